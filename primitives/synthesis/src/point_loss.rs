//! The loss a reputer reports for one value against the ground truth (spec 0.3.1): the topic's
//! loss method (`mse`, `mae`, `huber`) of the error, as its base-10 logarithm when the topic does
//! not allow negative losses, clamped into the topic's declared loss range. The chain never
//! computes a loss; every reputer client computes it here, so reputers that see the same ground
//! truth report the same number to the last digit.

use crate::{Error, Result};
use allora_math::{Fixed, MathError};

/// A topic's loss function of the error e = value − truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossMethod {
	/// Squared error e².
	Mse,
	/// Absolute error |e|.
	Mae,
	/// Huber loss with δ = 1: e²/2 for |e| ≤ 1, |e| − 1/2 beyond.
	Huber,
}

impl LossMethod {
	/// The method a topic names in its `loss_method` field (case-insensitive), if known.
	pub fn parse(name: &[u8]) -> Option<Self> {
		match name.to_ascii_lowercase().as_slice() {
			b"mse" => Some(LossMethod::Mse),
			b"mae" => Some(LossMethod::Mae),
			b"huber" => Some(LossMethod::Huber),
			_ => None,
		}
	}

	/// The loss of `value` against `truth`.
	pub fn loss(self, truth: Fixed, value: Fixed) -> Result<Fixed> {
		let error = value.checked_sub(truth)?.abs();
		Ok(match self {
			LossMethod::Mse => error.checked_mul(error)?,
			LossMethod::Mae => error,
			LossMethod::Huber if error <= Fixed::ONE => {
				error.checked_mul(error)?.checked_div_int(2)?
			},
			LossMethod::Huber => error.checked_sub(Fixed::from_rational(1, 2)?)?,
		})
	}
}

/// How a topic wants its losses reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LossRule {
	/// The loss function.
	pub method: LossMethod,
	/// `false`: report log10 of the loss (spec 0.3.1); `true`: the loss itself.
	pub allow_negative: bool,
	/// The smallest loss the topic accepts (a report below it is raised to it).
	pub min: Fixed,
	/// The largest loss the topic accepts (a report above it is lowered to it).
	pub max: Fixed,
}

impl LossRule {
	/// The number to report for `value` against `truth`: the loss (or its log10) clamped into
	/// [`min`, `max`]. A zero loss has no logarithm and reports `min`, as does any loss whose
	/// logarithm is below it; a loss too large for the fixed-point range reports `max`.
	pub fn reported(&self, truth: Fixed, value: Fixed) -> Result<Fixed> {
		if self.min > self.max {
			return Err(Error::EmptyRange);
		}
		let loss = match self.method.loss(truth, value) {
			Ok(loss) => loss,
			Err(Error::Math(MathError::Overflow)) => return Ok(self.max),
			Err(e) => return Err(e),
		};
		let reported = if self.allow_negative {
			loss
		} else if loss.is_zero() {
			return Ok(self.min);
		} else {
			log10(loss)?
		};
		Ok(reported.clamp(self.min, self.max))
	}
}

/// Base-10 logarithm of a positive number (ln x / ln 10).
pub fn log10(x: Fixed) -> Result<Fixed> {
	let ln10 = Fixed::from_int(10).ln()?;
	Ok(x.ln()?.checked_div(ln10)?)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	fn close(a: Fixed, b: &str, tolerance: &str) -> bool {
		a.checked_sub(fx(b)).map(|d| d.abs() <= fx(tolerance)).unwrap_or(false)
	}

	#[test]
	fn methods_are_named_as_topics_name_them() {
		assert_eq!(LossMethod::parse(b"mse"), Some(LossMethod::Mse));
		assert_eq!(LossMethod::parse(b"MAE"), Some(LossMethod::Mae));
		assert_eq!(LossMethod::parse(b"huber"), Some(LossMethod::Huber));
		assert_eq!(LossMethod::parse(b"crps"), None);
		assert_eq!(LossMethod::parse(b""), None);
	}

	#[test]
	fn losses_equal_hand_computed_values() {
		// e = 101.5 − 100 = 1.5: mse 2.25, mae 1.5, huber 1.5 − 0.5 = 1.
		let (truth, value) = (fx("100"), fx("101.5"));
		assert_eq!(LossMethod::Mse.loss(truth, value), Ok(fx("2.25")));
		assert_eq!(LossMethod::Mae.loss(truth, value), Ok(fx("1.5")));
		assert_eq!(LossMethod::Huber.loss(truth, value), Ok(fx("1")));
		// e = −0.4: mse 0.16, mae 0.4, huber 0.16/2 = 0.08 (quadratic branch); the sign of the
		// error does not matter.
		let (truth, value) = (fx("0.1"), fx("-0.3"));
		assert_eq!(LossMethod::Mse.loss(truth, value), Ok(fx("0.16")));
		assert_eq!(LossMethod::Mae.loss(truth, value), Ok(fx("0.4")));
		assert_eq!(LossMethod::Huber.loss(truth, value), Ok(fx("0.08")));
		assert_eq!(
			LossMethod::Huber.loss(fx("0"), fx("1")),
			Ok(fx("0.5")),
			"both branches meet at |e| = 1"
		);
	}

	#[test]
	fn log_losses_are_base_ten_logarithms_as_in_the_simulator() {
		let rule = LossRule {
			method: LossMethod::Mse,
			allow_negative: false,
			min: fx("-30"),
			max: fx("30"),
		};
		// (100 − 101)² = 1 → 0; (0.1 − 0.2)² = 0.01 → −2; (0 − 1000)² = 1e6 → 6.
		assert!(close(
			rule.reported(fx("100"), fx("101")).unwrap_or_default(),
			"0",
			"0.000000000000001"
		));
		assert!(close(
			rule.reported(fx("0.1"), fx("0.2")).unwrap_or(Fixed::MAX),
			"-2",
			"0.000000000000001"
		));
		assert!(close(
			rule.reported(fx("0"), fx("1000")).unwrap_or_default(),
			"6",
			"0.000000000000001"
		));
		// log10(2.25) = 0.35218251811136247...
		assert!(close(
			rule.reported(fx("100"), fx("101.5")).unwrap_or_default(),
			"0.352182518111362",
			"0.000000000000001"
		));
	}

	#[test]
	fn reports_stay_in_the_topics_loss_range() {
		let rule = LossRule {
			method: LossMethod::Mse,
			allow_negative: false,
			min: fx("-12"),
			max: fx("4"),
		};
		// A perfect value has no logarithm: it reports the range's minimum, as does a tiny loss.
		assert_eq!(rule.reported(fx("5"), fx("5")), Ok(fx("-12")));
		assert_eq!(
			rule.reported(fx("5"), fx("5.0000001")),
			Ok(fx("-12")),
			"log10(1e-14) = -14 < -12"
		);
		// A huge loss reports the maximum, even one whose square overflows the fixed point.
		assert_eq!(rule.reported(fx("0"), fx("1000")), Ok(fx("4")));
		assert_eq!(rule.reported(fx("-100000000000"), fx("100000000000")), Ok(fx("4")));
		// Raw losses (allow_negative) are clamped the same way.
		let raw =
			LossRule { method: LossMethod::Mae, allow_negative: true, min: fx("0"), max: fx("10") };
		assert_eq!(raw.reported(fx("3"), fx("1")), Ok(fx("2")));
		assert_eq!(raw.reported(fx("30"), fx("1")), Ok(fx("10")));
		// An empty range is a configuration error, not a silent value.
		let bad = LossRule { min: fx("1"), max: fx("0"), ..raw };
		assert!(bad.reported(fx("0"), fx("0")).is_err());
	}
}
