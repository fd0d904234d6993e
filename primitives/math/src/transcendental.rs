//! `exp`, `ln`, `pow`, `powi` and `sqrt` on [`Fixed`].
//!
//! Both `exp` and `ln` reduce their argument with a 36-digit ln 2 and sum a short series at
//! 18 digits, so their error is a few units of the last place (10^-18), relative for `ln` and
//! for `exp` results ≥ 1, absolute for `exp` results < 1. `sqrt` is the exact floor.

use crate::{
	wide::{isqrt, mul_div_floor},
	Fixed, MathError, MathResult,
};

const SCALE: i128 = Fixed::SCALE;
/// ln 2 · 10^36 (truncated).
const LN2_36: i128 = 693_147_180_559_945_309_417_232_121_458_176_568;
/// ln 2 · 10^18 (rounded).
const LN2: i128 = 693_147_180_559_945_309;
/// Largest argument of `exp` whose result fits: ln(i128::MAX / 10^18) ≈ 46.5807.
const EXP_MAX: i128 = 46_580_000_000_000_000_000;
/// Below this, `exp` is smaller than 10^-18 and returns 0.
const EXP_MIN: i128 = -42 * SCALE;
/// 1/√2 · 10^18: lower end of the mantissa range of `ln`.
const INV_SQRT2: i128 = 707_106_781_186_547_524;

impl Fixed {
	/// e^self. Fails with [`MathError::Overflow`] above ≈ 46.58; returns 0 below −42.
	/// Error: ≤ 4e-18 relative for results ≥ 1 (plus 2^k amplification of a 2-unit series
	/// error for e^x ≥ 2^k), ≤ 3e-18 absolute below 1.
	pub fn exp(self) -> MathResult {
		let x = self.into_raw();
		if x == 0 {
			return Ok(Fixed::ONE);
		}
		if x > EXP_MAX {
			return Err(MathError::Overflow);
		}
		if x < EXP_MIN {
			return Ok(Fixed::ZERO);
		}
		// k = round(x / ln 2); r = x − k·ln 2 with |r| ≤ ln2/2, computed at 36 digits.
		let half = if x >= 0 { LN2 / 2 } else { -(LN2 / 2) };
		let k = x.checked_add(half).ok_or(MathError::Overflow)? / LN2;
		let x36 = x.checked_mul(SCALE).ok_or(MathError::Overflow)?;
		let r36 = x36
			.checked_sub(k.checked_mul(LN2_36).ok_or(MathError::Overflow)?)
			.ok_or(MathError::Overflow)?;
		let r = r36 / SCALE;

		// Taylor series of e^r in Horner form, 1 + r(1 + r/2(1 + r/3(…))): each step's
		// truncation is damped by |r|/n < 0.35, so the total error stays below 2 units.
		let mut sum = SCALE;
		let mut n: i128 = 24;
		while n >= 1 {
			let term = sum.checked_mul(r).ok_or(MathError::Overflow)? / SCALE;
			sum = SCALE.saturating_add(term.checked_div(n).ok_or(MathError::DivisionByZero)?);
			n = n.saturating_sub(1);
		}

		let shifted = if k >= 0 {
			let k = u32::try_from(k).map_err(|_| MathError::Overflow)?;
			let v = sum.checked_shl(k).ok_or(MathError::Overflow)?;
			// checked_shl does not detect lost high bits: verify by shifting back.
			if v.checked_shr(k) != Some(sum) || v < 0 {
				return Err(MathError::Overflow);
			}
			v
		} else {
			let k = u32::try_from(k.unsigned_abs()).map_err(|_| MathError::Overflow)?;
			if k >= 127 {
				0
			} else {
				sum >> k
			}
		};
		Ok(Fixed::from_raw(shifted))
	}

	/// Natural logarithm; [`MathError::Domain`] for x ≤ 0. Error ≤ 8e-18 absolute.
	pub fn ln(self) -> MathResult {
		let x = self.into_raw();
		if x <= 0 {
			return Err(MathError::Domain);
		}
		let raw = x.unsigned_abs();
		// x = m · 2^k with m ∈ [1/√2, √2) (as raw values around SCALE).
		let msb = 127i32.saturating_sub(raw.leading_zeros() as i32);
		let mut k: i32 = msb.saturating_sub(59);
		let mut m: i128 = if k >= 0 {
			i128::try_from(raw >> k.unsigned_abs()).map_err(|_| MathError::Overflow)?
		} else {
			i128::try_from(raw << k.unsigned_abs()).map_err(|_| MathError::Overflow)?
		};
		if m < INV_SQRT2 {
			m = m.saturating_mul(2);
			k = k.saturating_sub(1);
		}
		// ln m = 2·atanh(z), z = (m − 1)/(m + 1), |z| ≤ 0.172.
		let num = m.saturating_sub(SCALE);
		let den = m.saturating_add(SCALE);
		let z = num
			.checked_mul(SCALE)
			.ok_or(MathError::Overflow)?
			.checked_div(den)
			.ok_or(MathError::DivisionByZero)?;
		let z2 = z.saturating_mul(z) / SCALE;
		// atanh(z)/z = Σ z^{2i}/(2i+1), in Horner form over z² (|z²| < 0.03, 14 terms).
		let mut series: i128 = SCALE / 29;
		let mut d: i128 = 27;
		while d >= 1 {
			let coefficient = SCALE.checked_div(d).ok_or(MathError::DivisionByZero)?;
			series = coefficient.saturating_add(series.saturating_mul(z2) / SCALE);
			d = d.saturating_sub(2);
		}
		let sum = z.saturating_mul(series) / SCALE;
		let k_ln2 = i128::from(k).saturating_mul(LN2_36) / SCALE;
		Ok(Fixed::from_raw(sum.saturating_mul(2).saturating_add(k_ln2)))
	}

	/// self^n for an integer n (square-and-multiply; negative n via the reciprocal).
	pub fn powi(self, n: i32) -> MathResult {
		let mut base = self;
		let mut e = n.unsigned_abs();
		let mut acc = Fixed::ONE;
		while e > 0 {
			if e & 1 == 1 {
				acc = acc.checked_mul(base)?;
			}
			e >>= 1;
			if e > 0 {
				base = base.checked_mul(base)?;
			}
		}
		if n < 0 {
			acc.checked_recip()
		} else {
			Ok(acc)
		}
	}

	/// self^y for a real exponent: `powi` for integer y (|y| ≤ 1024), else e^(y·ln self).
	/// 0^y is 0 for y > 0 and an error for y < 0; a negative base needs an integer exponent.
	pub fn pow(self, y: Fixed) -> MathResult {
		if y.is_zero() {
			return Ok(Fixed::ONE);
		}
		if y.into_raw() % SCALE == 0 {
			let n = y.into_raw() / SCALE;
			if n.unsigned_abs() <= 1024 {
				return self.powi(i32::try_from(n).map_err(|_| MathError::Overflow)?);
			}
		}
		if self.is_zero() {
			return if y.is_positive() { Ok(Fixed::ZERO) } else { Err(MathError::DivisionByZero) };
		}
		if self.is_negative() {
			return Err(MathError::Domain);
		}
		y.checked_mul(self.ln()?)?.exp()
	}

	/// Square root, the exact floor at 18 decimals; [`MathError::Domain`] for x < 0.
	pub fn sqrt(self) -> MathResult {
		let x = self.into_raw();
		if x < 0 {
			return Err(MathError::Domain);
		}
		let raw = x.unsigned_abs();
		let scale = SCALE.unsigned_abs();
		let root = match raw.checked_mul(scale) {
			Some(n) => isqrt(n),
			None => {
				// Newton's method on n = raw · 10^18 (256-bit), from above.
				let mut y = isqrt(raw).saturating_add(1).saturating_mul(1_000_000_000);
				loop {
					let q = mul_div_floor(raw, scale, y).ok_or(MathError::Overflow)?;
					let next = (y.saturating_add(q)) >> 1;
					if next >= y {
						break y;
					}
					y = next;
				}
			},
		};
		i128::try_from(root).map(Fixed::from_raw).map_err(|_| MathError::Overflow)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
	}

	fn close(a: Fixed, b: Fixed, ulps: i128) -> bool {
		a.into_raw().abs_diff(b.into_raw()) <= ulps.unsigned_abs()
	}

	#[test]
	fn exp_of_known_points() {
		assert_eq!(Fixed::ZERO.exp(), Ok(Fixed::ONE));
		let e = Fixed::ONE.exp().unwrap_or_default();
		assert!(close(e, fx("2.718281828459045235"), 6), "{e}");
		let e10 = fx("10").exp().unwrap_or_default();
		assert!(close(e10, fx("22026.465794806716516957"), 40_000), "{e10}");
		let em1 = fx("-1").exp().unwrap_or_default();
		assert!(close(em1, fx("0.367879441171442321"), 3), "{em1}");
		assert_eq!(fx("47").exp(), Err(MathError::Overflow));
		assert_eq!(fx("-43").exp(), Ok(Fixed::ZERO));
		assert!(fx("46.5").exp().is_ok());
	}

	#[test]
	fn ln_of_known_points() {
		assert_eq!(Fixed::ONE.ln(), Ok(Fixed::ZERO));
		for (x, want) in [
			("2", "0.693147180559945309"),
			("10", "2.302585092994045684"),
			("0.001", "-6.907755278982137052"),
			("0.000000000000000001", "-41.446531673892822312"),
			("100000000000000000000", "46.051701859880913680"),
			("1.2345", "0.210666029803097141"),
		] {
			let got = fx(x).ln().unwrap_or_default();
			assert!(close(got, fx(want), 8), "ln {x} = {got}, want {want}");
		}
		assert_eq!(Fixed::ZERO.ln(), Err(MathError::Domain));
		assert_eq!(fx("-1").ln(), Err(MathError::Domain));
	}

	#[test]
	fn pow_and_powi() {
		assert_eq!(fx("2").pow(fx("10")), Ok(fx("1024")));
		assert_eq!(fx("2").powi(-2), Ok(fx("0.25")));
		assert_eq!(fx("-2").pow(fx("3")), Ok(fx("-8")));
		assert_eq!(fx("-2").pow(fx("0.5")), Err(MathError::Domain));
		assert_eq!(Fixed::ZERO.pow(fx("0.5")), Ok(Fixed::ZERO));
		assert_eq!(Fixed::ZERO.pow(fx("-0.5")), Err(MathError::DivisionByZero));
		assert_eq!(fx("7").pow(Fixed::ZERO), Ok(Fixed::ONE));
		let r = fx("16").pow(fx("0.25")).unwrap_or_default();
		assert!(close(r, fx("2"), 10), "{r}");
		let r = fx("0.75").pow(fx("0.25")).unwrap_or_default();
		assert!(close(r, fx("0.930604859102099598"), 10), "{r}");
	}

	#[test]
	fn sqrt_is_the_exact_floor() {
		assert_eq!(fx("4").sqrt(), Ok(fx("2")));
		assert_eq!(fx("2").sqrt(), Ok(fx("1.414213562373095048")));
		assert_eq!(fx("0.0001").sqrt(), Ok(fx("0.01")));
		assert_eq!(fx("1e20").sqrt(), Ok(fx("1e10")));
		assert_eq!(fx("1.5e20").sqrt(), Ok(fx("12247448713.915890490986420373")));
		assert_eq!(Fixed::MAX.sqrt().map(|r| r.trunc_to_i128()), Ok(13_043_817_825));
		assert_eq!(fx("-1").sqrt(), Err(MathError::Domain));
		assert_eq!(Fixed::ZERO.sqrt(), Ok(Fixed::ZERO));
	}
}
