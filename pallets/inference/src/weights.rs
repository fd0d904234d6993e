//! Weights for `pallet_inference`: replaced by `scripts/benchmark-runtime.sh` output.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// Weight functions needed by `pallet_inference`.
pub trait WeightInfo {
	fn register_worker() -> Weight;
	fn unregister_worker() -> Weight;
	fn submit_worker_payload() -> Weight;
	fn close_worker_window(i: u32, f: u32) -> Weight;
	fn open_worker_nonce() -> Weight;
}

/// Weights measured on the reference machine.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_worker() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(10, 10))
	}
	fn unregister_worker() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(10, 10))
	}
	fn submit_worker_payload() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(10, 10))
	}
	fn close_worker_window(i: u32, f: u32) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(i.into())).saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(f.into())).saturating_add(T::DbWeight::get().reads_writes(10, 10))
	}
	fn open_worker_nonce() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(10, 10))
	}
}

impl WeightInfo for () {
	fn register_worker() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10))
	}
	fn unregister_worker() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10))
	}
	fn submit_worker_payload() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10))
	}
	fn close_worker_window(i: u32, f: u32) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(i.into())).saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(f.into())).saturating_add(ParityDbWeight::get().reads_writes(10, 10))
	}
	fn open_worker_nonce() -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10))
	}
}
