//! Upstream weights of `pallet_conviction_voting` until `scripts/benchmark-runtime.sh` regenerates this file
//! on the reference machine.

/// The upstream (Substrate reference machine) weights.
pub type WeightInfo<T> = pallet_conviction_voting::weights::SubstrateWeight<T>;
