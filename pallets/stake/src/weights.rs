//! Weight functions of `pallet_stake`.
//!
//! Not measured yet: the pallet is not part of the runtime. `scripts/benchmark-runtime.sh`
//! generates this file (trait, `SubstrateWeight`, `()`) once the pallet is wired and
//! benchmarked; until then only the test mock uses the zero weights below.

#![allow(missing_docs)]

use frame_support::weights::Weight;

/// Weight functions needed by `pallet_stake`.
pub trait WeightInfo {
	fn register_reputer() -> Weight;
	fn unregister_reputer() -> Weight;
	fn add_stake() -> Weight;
	fn remove_stake() -> Weight;
	fn cancel_removal() -> Weight;
	fn delegate_stake() -> Weight;
	fn claim_delegator_reward() -> Weight;
	fn process_removals(n: u32, p: u32) -> Weight;
}

/// Zero weights for the test mock.
impl WeightInfo for () {
	fn register_reputer() -> Weight {
		Weight::zero()
	}
	fn unregister_reputer() -> Weight {
		Weight::zero()
	}
	fn add_stake() -> Weight {
		Weight::zero()
	}
	fn remove_stake() -> Weight {
		Weight::zero()
	}
	fn cancel_removal() -> Weight {
		Weight::zero()
	}
	fn delegate_stake() -> Weight {
		Weight::zero()
	}
	fn claim_delegator_reward() -> Weight {
		Weight::zero()
	}
	fn process_removals(_n: u32, _p: u32) -> Weight {
		Weight::zero()
	}
}
