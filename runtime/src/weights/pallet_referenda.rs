//! Upstream weights of `pallet_referenda` until `scripts/benchmark-runtime.sh` regenerates this file
//! on the reference machine.

/// The upstream (Substrate reference machine) weights.
pub type WeightInfo<T> = pallet_referenda::weights::SubstrateWeight<T>;
