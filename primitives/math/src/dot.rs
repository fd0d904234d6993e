//! Exact sums of products: a 256-bit accumulator of raw products, truncated once at the end.

use crate::{Fixed, MathError, MathResult};

/// Accumulates Σ aᵢ·bᵢ of fixed-point numbers exactly (256-bit two's complement) and rounds
/// once, toward zero, in [`DotAccumulator::total`]. Used for dot products and Gram matrices,
/// where per-term truncation and 128-bit division would be both less precise and slower.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DotAccumulator {
	hi: u128,
	lo: u128,
}

impl DotAccumulator {
	/// An empty sum.
	pub const fn new() -> Self {
		DotAccumulator { hi: 0, lo: 0 }
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
		self.lo = new_lo;
		self.hi = self.hi.wrapping_add(hi).wrapping_add(u128::from(carry));
	}

	/// The sum, truncated toward zero at 18 decimals; [`MathError::Overflow`] out of range.
	pub fn total(&self) -> MathResult {
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
}
