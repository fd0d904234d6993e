//! Upstream weights of `pallet_scheduler` until `scripts/benchmark-runtime.sh` regenerates this file
//! on the reference machine.

/// The upstream (Substrate reference machine) weights.
pub type WeightInfo<T> = pallet_scheduler::weights::SubstrateWeight<T>;
