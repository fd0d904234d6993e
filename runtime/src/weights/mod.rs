//! Weights generated on the project's reference machine by `scripts/benchmark-runtime.sh`
//! (pallets) and `allora-node benchmark overhead` (block and extrinsic base weights).
//! `equivocation` composes BABE's and GRANDPA's weights from the measured parts of a report.

pub mod block_weights;
pub mod equivocation;
pub mod extrinsic_weights;
pub mod frame_election_provider_support;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_babe;
pub mod pallet_bags_list;
pub mod pallet_balances;
pub mod pallet_collective;
pub mod pallet_conviction_voting;
pub mod pallet_fast_unstake;
pub mod pallet_grandpa;
pub mod pallet_offences;
pub mod pallet_preimage;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_session;
pub mod pallet_staking;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_treasury;
pub mod pallet_utility;
pub mod pallet_vesting;
pub mod pallet_whitelist;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
