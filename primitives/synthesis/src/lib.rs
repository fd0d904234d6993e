//! # allora-synthesis
//!
//! The Allora collective-intelligence mechanism (spec `allora-mechanism.md`, sections 4-7) as
//! pure, storage-free, `no_std` functions over plain data. The pallets, the runtime APIs, the
//! benchmarks and the off-chain replay tool all call this crate, so the chain and the
//! researchers' tools compute exactly the same numbers.
//!
//! Actors are identified by any ordered type `A` (an `AccountId` on chain, an index in the
//! replay tool); every list is kept sorted by `A`, which is the canonical order of spec 13.3.
//!
//! | module | spec | what |
//! |---|---|---|
//! | [`weights`] | 4.3 | regret → weight map |
//! | [`inference`] | 4.4-4.8 | forecast-implied, combined, naive, one-out, one-in inferences, confidence interval |
//! | [`losses`] | 5.3 | network losses from reputer bundles |
//! | [`point_loss`] | 0.3.1 | the loss a reputer reports for one value (mse, mae, huber; log10) |
//! | [`regrets`] | 5.4-5.5 | the nine regret families, topic initial regret |
//! | [`consensus`] | 5.6 | reputer scores, adjusted stakes, listening coefficients |
//! | [`scores`] | 6.2-6.3 | worker instant scores, score EMAs, quantiles |
//! | [`fractions`] | 6.4-6.5 | reward fractions, smoothed fractions, entropy |
//! | [`rewards`] | 6.6-6.7 | τ, χ, γ, task totals and per-actor rewards |
//! | [`topic`] | 7.1-7.2 | topic weight and topic reward |
//! | [`emission`] | 8.2-8.4 | monthly target emission, yield cap, EMA, block emission, vesting lock |

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod consensus;
pub mod emission;
pub mod error;
pub mod fractions;
pub mod inference;
pub mod losses;
pub mod params;
pub mod point_loss;
pub mod regrets;
pub mod rewards;
pub mod scores;
pub mod stats;
pub mod topic;
pub mod weights;

pub use allora_math::{Fixed, MathError};
pub use error::{Error, Result};
pub use params::*;

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod testing {
	use alloc::vec::Vec;
	use allora_math::Fixed;

	/// A decimal literal (0 if malformed, which fails the test's assertion).
	pub fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_default()
	}

	/// Short alias of [`fx`].
	pub fn f(s: &str) -> Fixed {
		fx(s)
	}

	/// Decimal literals.
	pub fn fxs(v: &[&str]) -> Vec<Fixed> {
		v.iter().map(|s| fx(s)).collect()
	}

	/// |a − b| ≤ tol.
	pub fn close(a: Fixed, b: &str, tol: &str) -> bool {
		a.checked_sub(fx(b)).map(|d| d.abs() <= fx(tol)).unwrap_or(false)
	}
}
