//! The runtime's benchmarks (built with `--features runtime-benchmarks`): the pallets whose
//! weights this runtime generates on its reference machine (see `weights/` and
//! `scripts/benchmark-runtime.sh`).

use crate::Runtime;

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_utility, Utility]
	[pallet_sudo, Sudo]
	[pallet_topics, Topics]
	[pallet_inference, Inference]
	[pallet_stake, Stake]
	[pallet_reputation, Reputation]
	[pallet_vesting, Vesting]
	[pallet_emissions, Emissions]
	[pallet_staking, Staking]
	[pallet_bags_list, VoterList]
	[frame_election_provider_support, ElectionProviderBench::<Runtime>]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_whitelist, Whitelist]
	[pallet_collective, TechnicalCommittee]
	[pallet_treasury, Treasury]
	[pallet_fast_unstake, FastUnstake]
	[pallet_session, SessionBench::<Runtime>]
	[pallet_offences, OffencesBench::<Runtime>]
	[pallet_babe, Babe]
	[pallet_grandpa, Grandpa]
	[pallet_transaction_payment, TransactionPayment]
);

// The defaults: `set_code` is benchmarked with the reference runtime blob shipped by
// frame-system-benchmarking (version checks are skipped when benchmarking).
impl frame_system_benchmarking::Config for Runtime {}

// The election's solver (sequential Phragmén) at up to 2 000 voters, 1 000 targets and 16 votes
// each; its weights are linear in each, which sizes the on-chain election (runtime README).
impl pallet_election_provider_support_benchmarking::Config for Runtime {}

// `set_keys` with keys generated in the benchmark's keystore and their ownership proof.
impl pallet_session_benchmarking::Config for Runtime {
	fn generate_session_keys_and_proof(
		owner: crate::AccountId,
	) -> (crate::SessionKeys, alloc::vec::Vec<u8>) {
		use codec::Encode;
		let generated = crate::SessionKeys::generate(&owner.encode(), None);
		(generated.keys, generated.proof.encode())
	}
}

// Reporting a BABE or GRANDPA equivocation to staking (the offender's nominators slashed).
impl pallet_offences_benchmarking::Config for Runtime {}

// Charging a transaction's fee (its payer funded by the benchmark; fees go to the ecosystem).
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}
