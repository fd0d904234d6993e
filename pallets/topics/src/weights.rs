//! Weights for `pallet_topics`: replaced by `scripts/benchmark-runtime.sh` output.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// Weight functions needed by `pallet_topics`.
pub trait WeightInfo {
	fn create_topic() -> Weight;
	fn fund_topic() -> Weight;
	fn update_params() -> Weight;
	fn update_topic() -> Weight;
	fn pay_fee() -> Weight;
	fn on_finalize_epoch_ends(n: u32) -> Weight;
}

/// Weights measured on the reference machine.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_topic() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn fund_topic() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(20, 10))
	}
	fn update_params() -> Weight {
		Weight::from_parts(50_000_000, 2_000).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn update_topic() -> Weight {
		Weight::from_parts(50_000_000, 2_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn pay_fee() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(20, 10))
	}
	fn on_finalize_epoch_ends(n: u32) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_mul(n.into())
			.saturating_add(T::DbWeight::get().reads_writes(20, 10).saturating_mul(n.into()))
	}
}

impl WeightInfo for () {
	fn create_topic() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(ParityDbWeight::get().reads_writes(5, 5))
	}
	fn fund_topic() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(ParityDbWeight::get().reads_writes(20, 10))
	}
	fn update_params() -> Weight {
		Weight::from_parts(50_000_000, 2_000).saturating_add(ParityDbWeight::get().reads_writes(1, 1))
	}
	fn update_topic() -> Weight {
		Weight::from_parts(50_000_000, 2_000).saturating_add(ParityDbWeight::get().reads_writes(2, 1))
	}
	fn pay_fee() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(ParityDbWeight::get().reads_writes(20, 10))
	}
	fn on_finalize_epoch_ends(n: u32) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_mul(n.into())
			.saturating_add(ParityDbWeight::get().reads_writes(20, 10).saturating_mul(n.into()))
	}
}
