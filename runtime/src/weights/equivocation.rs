//! BABE's and GRANDPA's `WeightInfo`, composed from what this machine measured: an equivocation
//! report checks the key-ownership proof (an estimate: see `membership_proof`),
//! checks the equivocation proof (`pallet_babe` and `pallet_grandpa` benchmarks) and reports the
//! offence to staking, which slashes the offender and up to `n` nominators (`pallet_offences`
//! benchmarks at 0 to 16 nominators, linear in `n`, extrapolated to `MaxNominators`).

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{
		constants::{WEIGHT_REF_TIME_PER_MICROS, WEIGHT_REF_TIME_PER_NANOS},
		Weight,
	},
};

use super::{pallet_babe, pallet_grandpa, pallet_offences};

/// Checking a key-ownership proof against the historical session's root: polkadot-sdk's
/// estimate (35 µs, 175 ns per validator of the session counted as at least 100, 5 reads),
/// with this runtime's database weights. pallet-session-benchmarking's extra benchmark of it
/// cannot run (its setup's `set_keys` fails: it notes itself as broken).
fn membership_proof<T: frame_system::Config>(validator_count: u32) -> Weight {
	let validators = u64::from(validator_count.max(100));
	Weight::from_parts(35 * WEIGHT_REF_TIME_PER_MICROS, 0)
		.saturating_add(
			Weight::from_parts(175 * WEIGHT_REF_TIME_PER_NANOS, 0).saturating_mul(validators),
		)
		.saturating_add(T::DbWeight::get().reads(5))
}

/// BABE's weights on this runtime.
pub struct BabeWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> ::pallet_babe::WeightInfo for BabeWeight<T> {
	/// `plan_config_change` (Root only) writes the pending configuration: one write.
	fn plan_config_change() -> Weight {
		T::DbWeight::get().writes(1)
	}
	fn report_equivocation(validator_count: u32, max_nominators_per_validator: u32) -> Weight {
		membership_proof::<T>(validator_count)
			.saturating_add(pallet_babe::WeightInfo::<T>::check_equivocation_proof(1))
			.saturating_add(pallet_offences::WeightInfo::<T>::report_offence_babe(
				max_nominators_per_validator,
			))
	}
}

/// GRANDPA's weights on this runtime.
pub struct GrandpaWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> ::pallet_grandpa::WeightInfo for GrandpaWeight<T> {
	fn report_equivocation(validator_count: u32, max_nominators_per_validator: u32) -> Weight {
		membership_proof::<T>(validator_count)
			.saturating_add(pallet_grandpa::WeightInfo::<T>::check_equivocation_proof(1))
			.saturating_add(pallet_offences::WeightInfo::<T>::report_offence_grandpa(
				max_nominators_per_validator,
			))
			// The set id's session (`SetIdSession`) and the current set id.
			.saturating_add(T::DbWeight::get().reads(2))
	}
	fn note_stalled() -> Weight {
		pallet_grandpa::WeightInfo::<T>::note_stalled()
	}
}
