// Placeholder until `scripts/benchmark-runtime.sh` generates this file on the reference machine.

#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed by `pallet_emissions`.
pub trait WeightInfo {
	fn update_params() -> Weight;
	fn recalculate_emission() -> Weight;
	fn emit_block() -> Weight;
	fn recalculate() -> Weight;
	fn pay_round(i: u32, f: u32, r: u32, ) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn update_params() -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(T::DbWeight::get().writes(1)) }
	fn recalculate_emission() -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(T::DbWeight::get().reads_writes(1, 1)) }
	fn emit_block() -> Weight { Weight::from_parts(200_000_000, 20000).saturating_add(T::DbWeight::get().reads_writes(12, 8)) }
	fn recalculate() -> Weight { Weight::from_parts(200_000_000, 20000).saturating_add(T::DbWeight::get().reads_writes(12, 4)) }
	fn pay_round(i: u32, f: u32, r: u32, ) -> Weight {
		Weight::from_parts(500_000_000, 50000)
			.saturating_add(Weight::from_parts(20_000_000, 3000).saturating_mul(i.saturating_add(f).saturating_add(r).into()))
			.saturating_add(T::DbWeight::get().reads_writes(20, 10))
			.saturating_add(T::DbWeight::get().reads_writes(8, 8).saturating_mul(i.saturating_add(f).saturating_add(r).into()))
	}
}

impl WeightInfo for () {
	fn update_params() -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(ParityDbWeight::get().writes(1)) }
	fn recalculate_emission() -> Weight { Weight::from_parts(20_000_000, 2000) }
	fn emit_block() -> Weight { Weight::from_parts(200_000_000, 20000) }
	fn recalculate() -> Weight { Weight::from_parts(200_000_000, 20000) }
	fn pay_round(i: u32, f: u32, r: u32, ) -> Weight {
		Weight::from_parts(500_000_000, 50000).saturating_add(Weight::from_parts(20_000_000, 3000).saturating_mul(i.saturating_add(f).saturating_add(r).into()))
	}
}
