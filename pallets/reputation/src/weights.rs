// Placeholder until `scripts/benchmark-runtime.sh` generates this file.

#![allow(missing_docs)]

use frame_support::weights::Weight;
use core::marker::PhantomData;

/// Weight functions needed by `pallet_reputation`.
pub trait WeightInfo {
	fn submit_loss_bundle() -> Weight;
	fn close_reputer_nonce(i: u32, f: u32, r: u32, ) -> Weight;
	fn queue_due_closes() -> Weight;
}

/// Weights for `pallet_reputation`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit_loss_bundle() -> Weight { Weight::zero() }
	fn close_reputer_nonce(_i: u32, _f: u32, _r: u32, ) -> Weight { Weight::zero() }
	fn queue_due_closes() -> Weight { Weight::zero() }
}

impl WeightInfo for () {
	fn submit_loss_bundle() -> Weight { Weight::zero() }
	fn close_reputer_nonce(_i: u32, _f: u32, _r: u32, ) -> Weight { Weight::zero() }
	fn queue_due_closes() -> Weight { Weight::zero() }
}
