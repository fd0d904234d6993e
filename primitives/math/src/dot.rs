//! Exact sums of products: a 256-bit accumulator of raw products, truncated once at the end.

use crate::{Fixed, MathError, MathResult};

/// Accumulates Σ aᵢ·bᵢ of fixed-point numbers exactly (256-bit two's complement plus a count
/// of signed wraps past ±2^255) and rounds once, toward zero, in [`DotAccumulator::total`].
/// Used for dot products and Gram matrices, where per-term truncation and 128-bit division
/// would be both less precise and slower. No sum is ever silently wrapped: a total whose exact
/// value leaves the 256-bit range is an [`MathError::Overflow`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DotAccumulator {
	hi: u128,
	lo: u128,
	/// Exact sum = (hi, lo) as signed 256-bit + wraps · 2^256.
	wraps: i64,
}

impl DotAccumulator {
	/// An empty sum.
	pub const fn new() -> Self {
		DotAccumulator { hi: 0, lo: 0, wraps: 0 }
	}

	/// Adds `a · b`.
	pub fn add_product(&mut self, a: Fixed, b: Fixed) {
		let (a, b) = (a.into_raw(), b.into_raw());
		let negative = (a < 0) != (b < 0);
		let (ua, ub) = (a.unsigned_abs(), b.unsigned_abs());
		// Both below 2^64 (|x| < 18.4 as a number): the product fits in u128.
		let (hi, lo) = if (ua | ub) >> 64 == 0 {
			(0, ua.wrapping_mul(ub))
		} else {
			crate::wide::mul_wide(ua, ub)
		};
		let (hi, lo) = if negative { neg256(hi, lo) } else { (hi, lo) };
		let (new_lo, carry) = self.lo.overflowing_add(lo);
		let new_hi = self.hi.wrapping_add(hi).wrapping_add(u128::from(carry));
		// Signed overflow: both addends of one sign, the result of the other. A product is
		// below 2^254 in magnitude, so one addition wraps at most once.
		let (sign_acc, sign_term, sign_new) = (self.hi >> 127, hi >> 127, new_hi >> 127);
		if sign_acc == sign_term && sign_new != sign_acc {
			self.wraps = if sign_acc == 0 {
				self.wraps.saturating_add(1)
			} else {
				self.wraps.saturating_sub(1)
			};
		}
		self.lo = new_lo;
		self.hi = new_hi;
	}

	/// The sum, truncated toward zero at 18 decimals; [`MathError::Overflow`] out of range.
	pub fn total(&self) -> MathResult {
		// Any wrap puts the exact sum at or beyond 2^255 in magnitude, far outside `Fixed`.
		if self.wraps != 0 {
			return Err(MathError::Overflow);
		}
		let negative = (self.hi >> 127) == 1;
		let (hi, lo) = if negative { neg256(self.hi, self.lo) } else { (self.hi, self.lo) };
		let scale = Fixed::SCALE.unsigned_abs();
		let q = crate::wide::div_wide(hi, lo, scale).ok_or(MathError::Overflow)?;
		let q = i128::try_from(q).map_err(|_| MathError::Overflow)?;
		Ok(Fixed::from_raw(if negative { q.saturating_neg() } else { q }))
	}
}

fn neg256(hi: u128, lo: u128) -> (u128, u128) {
	let (lo, carry) = (!lo).overflowing_add(1);
	((!hi).wrapping_add(u128::from(carry)), lo)
}

/// Σ aᵢ·bᵢ over two equally long slices, exact until the final truncation.
pub fn dot(a: &[Fixed], b: &[Fixed]) -> MathResult {
	let mut acc = DotAccumulator::new();
	for (x, y) in a.iter().zip(b.iter()) {
		acc.add_product(*x, *y);
	}
	acc.total()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_default()
	}

	#[test]
	fn dot_is_exact_until_the_final_truncation() {
		let a = [fx("0.1"), fx("-0.2"), fx("1e10")];
		let b = [fx("0.3"), fx("0.4"), fx("1e10")];
		assert_eq!(
			dot(&a, &b),
			Ok(fx("100000000000000000000").checked_add(fx("-0.05")).unwrap_or_default())
		);
		// Per-term truncation would lose these: 3 · (1e-18 · 0.5).
		let tiny = [Fixed::EPSILON; 4];
		let half = [fx("0.5"); 4];
		assert_eq!(dot(&tiny, &half), Ok(Fixed::from_raw(2)));
		assert_eq!(dot(&[fx("-1.5")], &[fx("2")]), Ok(fx("-3")));
		assert_eq!(dot(&[Fixed::MAX, Fixed::MAX], &[fx("1"), fx("1")]), Err(MathError::Overflow));
		assert_eq!(dot(&[], &[]), Ok(Fixed::ZERO));
	}

	#[test]
	fn four_squares_near_the_maximum_overflow_instead_of_wrapping() {
		// Each square is ~2^254; four of them pass 2^255 and used to wrap to a negative sum.
		let a = [Fixed::MAX; 4];
		assert_eq!(dot(&a, &a), Err(MathError::Overflow));
		let b = [Fixed::MIN; 4];
		assert_eq!(dot(&a, &b), Err(MathError::Overflow));
		// A wrap that is undone later is still exact: +4 squares then -4 squares = 0.
		let mut acc = DotAccumulator::new();
		for _ in 0..4 {
			acc.add_product(Fixed::MAX, Fixed::MAX);
		}
		for _ in 0..4 {
			acc.add_product(Fixed::MAX, Fixed::MAX.saturating_neg());
		}
		assert_eq!(acc.total(), Ok(Fixed::ZERO));
	}

	mod against_big_integers {
		use super::*;
		use num_bigint::BigInt;
		use proptest::prelude::*;

		/// The reference: the exact sum, truncated toward zero, if it fits in `Fixed`.
		fn reference(pairs: &[(i128, i128)]) -> MathResult {
			let sum: BigInt = pairs.iter().map(|(a, b)| BigInt::from(*a) * BigInt::from(*b)).sum();
			// BigInt division truncates toward zero, as `total` does.
			let q = sum / BigInt::from(Fixed::SCALE);
			i128::try_from(q).map(Fixed::from_raw).map_err(|_| MathError::Overflow)
		}

		fn raw() -> impl Strategy<Value = i128> {
			prop_oneof![
				(-i128::MAX..=i128::MAX),
				(-(1i128 << 70)..(1i128 << 70)),
				(i128::MAX - 1_000..=i128::MAX),
				(-i128::MAX..=-i128::MAX + 1_000),
			]
		}

		proptest! {
			#![proptest_config(ProptestConfig::with_cases(4_000))]
			#[test]
			fn total_equals_the_exact_sum_or_overflows(
				pairs in proptest::collection::vec((raw(), raw()), 0..12)
			) {
				let mut acc = DotAccumulator::new();
				for (a, b) in &pairs {
					acc.add_product(Fixed::from_raw(*a), Fixed::from_raw(*b));
				}
				prop_assert_eq!(acc.total(), reference(&pairs));
			}
		}
	}
}
