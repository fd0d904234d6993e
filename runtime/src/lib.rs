//! # Allora runtime
//!
//! The state-transition function of the Allora appchain: FRAME pallets wired together
//! ([`configs`]), the genesis presets ([`genesis_config_presets`]) and the runtime APIs
//! ([`apis`]). This crate holds no business logic: mechanism math lives in `primitives/` and
//! behaviour in `pallets/`.
//!
//! Consensus is BABE (block production) + GRANDPA (finality). Their authorities are the
//! `pallet-session` keys `{babe, grandpa}` of the validators `pallet-staking` elects each era
//! (NPoS, sequential Phragmén); equivocations are reported as offences and slashed.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion and requires us to increase the limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Declared before `apis`: its `list_benchmarks!`/`add_benchmarks!` macros are used there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod bag_thresholds;
pub mod configs;
pub mod genesis_config_presets;
pub mod token;
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
pub use token::*;

/// Opaque types: what the node needs to know about the runtime without knowing its calls.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;

	impl_opaque_keys! {
		/// The session keys of a validator: BABE for block production, GRANDPA for finality.
		pub struct SessionKeys {
			pub babe: super::Babe,
			pub grandpa: super::Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

/// The runtime's version: bump `spec_version` on every logic change (and the `upgrade-test`
/// version below with it) and `transaction_version` when the encoding of calls or extensions
/// changes.
#[cfg(not(feature = "upgrade-test"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("allora"),
	impl_name: alloc::borrow::Cow::Borrowed("allora-node"),
	authoring_version: 1,
	spec_version: 111,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The `upgrade-test` build's version: `spec_version` one above the real one, for the
/// end-to-end runtime-upgrade test (`scripts/build-upgrade-test-wasm.sh`); never deployed.
#[cfg(feature = "upgrade-test")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("allora"),
	impl_name: alloc::borrow::Cow::Borrowed("allora-node"),
	authoring_version: 1,
	spec_version: 112,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time: 6 seconds (spec README, decision 5).
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// The BABE slot duration equals the block time.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Time measured in blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// One hour in blocks.
pub const HOURS: BlockNumber = MINUTES * 60;
/// One day in blocks.
pub const DAYS: BlockNumber = HOURS * 24;

/// A BABE epoch (and session) lasts one hour.
pub const EPOCH_DURATION_IN_BLOCKS: BlockNumber = HOURS;
/// BABE epoch duration in slots (one slot per block at the target rate).
pub const EPOCH_DURATION_IN_SLOTS: u64 = EPOCH_DURATION_IN_BLOCKS as u64;

/// The probability of a slot having a primary author: 1/4 (secondary VRF slots fill the rest).
pub const PRIMARY_PROBABILITY: (u64, u64) = (1, 4);

/// The BABE epoch configuration at genesis.
pub const BABE_GENESIS_EPOCH_CONFIG: sp_consensus_babe::BabeEpochConfiguration =
	sp_consensus_babe::BabeEpochConfiguration {
		c: PRIMARY_PROBABILITY,
		allowed_slots: sp_consensus_babe::AllowedSlots::PrimaryAndSecondaryVRFSlots,
	};

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;

/// Some way of identifying an account on the chain.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An amount of ALLO in base units (10^-18 ALLO).
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// An index to a block.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A Block signed with a Justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, in the order a signed transaction carries them.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on the next runtime upgrade: registrations with deposits (issue 12)
/// and fast-unstake added (issue 13); each runs once, keyed by its pallet's storage version.
#[allow(unused_parens)]
type Migrations = (
	pallet_inference::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_stake::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_inference::migrations::v3::MigrateV2ToV3<Runtime>,
	configs::AddFastUnstake,
	UpgradeTestMigration,
);

/// The `upgrade-test` build's migration (none in a real build).
#[cfg(not(feature = "upgrade-test"))]
type UpgradeTestMigration = ();
#[cfg(feature = "upgrade-test")]
type UpgradeTestMigration = upgrade_test::MarkUpgrade;

/// The migration of the `upgrade-test` build: writes its `spec_version` under
/// `:allora:upgrade-test`, which the end-to-end upgrade test reads back after the upgrade.
#[cfg(feature = "upgrade-test")]
pub mod upgrade_test {
	use frame_support::{traits::OnRuntimeUpgrade, weights::Weight};

	/// The storage key the migration writes.
	pub const MARKER_KEY: &[u8] = b":allora:upgrade-test";

	/// Marks the upgrade with the new spec version.
	pub struct MarkUpgrade;
	impl OnRuntimeUpgrade for MarkUpgrade {
		fn on_runtime_upgrade() -> Weight {
			frame_support::storage::unhashed::put(MARKER_KEY, &super::VERSION.spec_version);
			<super::Runtime as frame_system::Config>::DbWeight::get().writes(1)
		}
	}
}

/// Executive: handles dispatch to the various modules.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// Pallet indices are explicit and never reused: clients and stored calls depend on them.
// Hooks and genesis builds run in declaration order (`legacy_ordering`), not index order.
#[frame_support::runtime(legacy_ordering)]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	// The clock fixed at genesis (epoch length, sessions per era), read by BABE and Staking.
	#[runtime::pallet_index(21)]
	pub type Timing = pallet_timing;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Babe = pallet_babe;

	#[runtime::pallet_index(3)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(4)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Validators by stake. Authorship, Staking, Offences and Historical run their hooks before
	// Session (declaration order is hook order): a block's author is noted, and an era planned,
	// before the session rotates.
	#[runtime::pallet_index(15)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(16)]
	pub type Staking = pallet_staking;

	#[runtime::pallet_index(17)]
	pub type Offences = pallet_offences;

	#[runtime::pallet_index(18)]
	pub type Historical = pallet_session::historical;

	#[runtime::pallet_index(19)]
	pub type VoterList = pallet_bags_list<Instance1>;

	#[runtime::pallet_index(5)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(6)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(8)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(9)]
	pub type Vesting = pallet_vesting;

	// The Allora mechanism. `Topics` ends epochs before `Inference` closes windows in
	// `on_finalize` (spec 3.2 steps 3 and 5): keep this order.
	#[runtime::pallet_index(10)]
	pub type Topics = pallet_topics;

	#[runtime::pallet_index(11)]
	pub type Inference = pallet_inference;

	#[runtime::pallet_index(12)]
	pub type Stake = pallet_stake;

	// After `Inference`: a reputer nonce settled in a block is settled after that block's
	// worker windows closed.
	#[runtime::pallet_index(13)]
	pub type Reputation = pallet_reputation;

	// The emission and the reward step of each settled round (called by `Reputation`).
	#[runtime::pallet_index(14)]
	pub type Emissions = pallet_emissions;

	// Governance by referenda (issue 14). The treasury builds its genesis after Balances
	// funded its account (the foundation's allocation).
	#[runtime::pallet_index(22)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(23)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(24)]
	pub type Origins = pallet_governance_origins;

	#[runtime::pallet_index(25)]
	pub type Referenda = pallet_referenda;

	#[runtime::pallet_index(26)]
	pub type ConvictionVoting = pallet_conviction_voting;

	#[runtime::pallet_index(27)]
	pub type Whitelist = pallet_whitelist;

	#[runtime::pallet_index(28)]
	pub type TechnicalCommittee = pallet_collective<Instance1>;

	#[runtime::pallet_index(29)]
	pub type Treasury = pallet_treasury;

	// Index 20 held it in an unreleased build and stayed reserved for it.
	#[runtime::pallet_index(20)]
	pub type FastUnstake = pallet_fast_unstake;
}

#[cfg(test)]
mod tests;
