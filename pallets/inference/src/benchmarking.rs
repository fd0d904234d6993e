//! Benchmarks (v2): written after the pallet compiles.
