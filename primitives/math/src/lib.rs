//! # allora-math
//!
//! A deterministic signed fixed-point number, [`Fixed`], with 18 fractional decimal digits in
//! an `i128` (range about ±1.7·10^20), and the functions the Allora mechanism needs: `exp`,
//! `ln`, `pow` (real exponent), `powi`, `sqrt`. Every operation is checked: overflow, division
//! by zero and arguments outside a function's domain return a [`MathError`]; nothing panics
//! and nothing uses floating point, so results are identical in native and wasm builds.
//!
//! Rounding: `+` and `-` are exact; `*` and `/` truncate toward zero (as the reference's
//! round-down decimal context does). Accuracy of the transcendental functions is documented on
//! each and checked against `f64` by property tests (`tests/accuracy.rs`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod dot;
mod fixed;
mod parse;
#[cfg(feature = "serde")]
mod serde_impl;
mod transcendental;
mod wide;

pub use dot::{dot, DotAccumulator};
pub use fixed::{Fixed, MathError, MathResult};
pub use parse::ParseFixedError;
pub use wide::mul_div_floor;
