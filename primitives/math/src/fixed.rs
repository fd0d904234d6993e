//! The [`Fixed`] type and its checked arithmetic.

use crate::wide::mul_div_floor;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::{cmp::Ordering, fmt};
use scale_info::TypeInfo;

/// Why a fixed-point operation has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum MathError {
	/// The result is outside the representable range (about ±1.7·10^20).
	Overflow,
	/// A division (or reciprocal) by zero.
	DivisionByZero,
	/// The argument is outside the function's domain (`ln` of x ≤ 0, `sqrt` of x < 0, ...).
	Domain,
	/// An operation on an empty set (e.g. the standard deviation of no values).
	Empty,
}

/// Result of a fixed-point operation.
pub type MathResult<T = Fixed> = Result<T, MathError>;

/// A signed decimal fixed-point number: `raw / 10^18`.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Fixed(i128);

/// 10^18: the raw value of one.
const SCALE: u128 = 1_000_000_000_000_000_000;

impl Fixed {
	/// Number of fractional decimal digits.
	pub const DECIMALS: u32 = 18;
	/// The raw value of 1.
	pub const SCALE: i128 = SCALE as i128;
	/// 0.
	pub const ZERO: Fixed = Fixed(0);
	/// 1.
	pub const ONE: Fixed = Fixed(SCALE as i128);
	/// The smallest positive value, 10^-18.
	pub const EPSILON: Fixed = Fixed(1);
	/// The largest value.
	pub const MAX: Fixed = Fixed(i128::MAX);
	/// The smallest value (one above `i128::MIN`, so that negation never overflows).
	pub const MIN: Fixed = Fixed(-i128::MAX);

	/// The number whose raw representation is `raw` (i.e. `raw · 10^-18`).
	pub const fn from_raw(raw: i128) -> Self {
		Fixed(raw)
	}

	/// The raw representation (`self · 10^18`).
	pub const fn into_raw(self) -> i128 {
		self.0
	}

	/// An integer as a fixed-point number.
	pub fn from_int(n: i64) -> Self {
		// |n| ≤ 9.3·10^18, times 10^18 ≤ 9.3·10^36 < i128::MAX.
		Fixed(i128::from(n).saturating_mul(SCALE as i128))
	}

	/// `n / d`, truncated toward zero.
	pub fn from_rational(n: i128, d: i128) -> MathResult {
		Fixed::checked_from_i128(n)?.checked_div(Fixed::checked_from_i128(d)?)
	}

	/// An `i128` integer, or [`MathError::Overflow`] outside the range.
	pub fn checked_from_i128(n: i128) -> MathResult {
		n.checked_mul(SCALE as i128).map(Fixed).ok_or(MathError::Overflow)
	}

	/// Token base units (10^-18 of a token) as a number of tokens: exact, since one base
	/// unit is exactly the raw value 1. Fails above `i128::MAX` base units.
	pub fn from_base_units(units: u128) -> MathResult {
		i128::try_from(units).map(Fixed).map_err(|_| MathError::Overflow)
	}

	/// Tokens as base units, truncated toward zero; negative values are an error.
	pub fn to_base_units(self) -> MathResult<u128> {
		u128::try_from(self.0).map_err(|_| MathError::Domain)
	}

	/// The integer part, truncated toward zero.
	pub fn trunc_to_i128(self) -> i128 {
		self.0.wrapping_div(Fixed::SCALE)
	}

	/// `true` if zero.
	pub const fn is_zero(self) -> bool {
		self.0 == 0
	}

	/// `true` if strictly negative.
	pub const fn is_negative(self) -> bool {
		self.0 < 0
	}

	/// `true` if strictly positive.
	pub const fn is_positive(self) -> bool {
		self.0 > 0
	}

	/// The absolute value (never overflows: `MIN` is `-MAX`).
	pub fn abs(self) -> Self {
		Fixed(self.0.saturating_abs())
	}

	/// The negation.
	pub fn saturating_neg(self) -> Self {
		Fixed(self.0.saturating_neg())
	}

	/// The smaller of two values.
	pub fn min(self, other: Self) -> Self {
		if self <= other {
			self
		} else {
			other
		}
	}

	/// The larger of two values.
	pub fn max(self, other: Self) -> Self {
		if self >= other {
			self
		} else {
			other
		}
	}

	/// `self` limited to `[lo, hi]`.
	pub fn clamp(self, lo: Self, hi: Self) -> Self {
		self.max(lo).min(hi)
	}

	fn from_sign_magnitude(negative: bool, magnitude: u128) -> MathResult {
		let m = i128::try_from(magnitude).map_err(|_| MathError::Overflow)?;
		Ok(Fixed(if negative { m.saturating_neg() } else { m }))
	}

	/// `self + rhs`, exact.
	pub fn checked_add(self, rhs: Self) -> MathResult {
		self.0.checked_add(rhs.0).map(Fixed).ok_or(MathError::Overflow)
	}

	/// `self - rhs`, exact.
	pub fn checked_sub(self, rhs: Self) -> MathResult {
		self.0.checked_sub(rhs.0).map(Fixed).ok_or(MathError::Overflow)
	}

	/// `self · rhs`, truncated toward zero.
	pub fn checked_mul(self, rhs: Self) -> MathResult {
		let negative = (self.0 < 0) != (rhs.0 < 0);
		let (a, b) = (self.0.unsigned_abs(), rhs.0.unsigned_abs());
		let magnitude = mul_scaled(a, b).ok_or(MathError::Overflow)?;
		Fixed::from_sign_magnitude(negative, magnitude)
	}

	/// `self / rhs`, truncated toward zero.
	pub fn checked_div(self, rhs: Self) -> MathResult {
		if rhs.0 == 0 {
			return Err(MathError::DivisionByZero);
		}
		let negative = (self.0 < 0) != (rhs.0 < 0);
		let (a, b) = (self.0.unsigned_abs(), rhs.0.unsigned_abs());
		let magnitude = div_scaled(a, b).ok_or(MathError::Overflow)?;
		Fixed::from_sign_magnitude(negative, magnitude)
	}

	/// `self · n` for an integer `n`, exact.
	pub fn checked_mul_int(self, n: i128) -> MathResult {
		self.0.checked_mul(n).map(Fixed).ok_or(MathError::Overflow)
	}

	/// `self / n` for an integer `n`, truncated toward zero.
	pub fn checked_div_int(self, n: i128) -> MathResult {
		if n == 0 {
			return Err(MathError::DivisionByZero);
		}
		self.0.checked_div(n).map(Fixed).ok_or(MathError::Overflow)
	}

	/// `1 / self`.
	pub fn checked_recip(self) -> MathResult {
		Fixed::ONE.checked_div(self)
	}

	/// `self · a / b` with one truncation (a 256-bit intermediate), for ratios of large values.
	pub fn checked_mul_div(self, a: Self, b: Self) -> MathResult {
		if b.0 == 0 {
			return Err(MathError::DivisionByZero);
		}
		let negative = ((self.0 < 0) != (a.0 < 0)) != (b.0 < 0);
		let magnitude =
			mul_div_floor(self.0.unsigned_abs(), a.0.unsigned_abs(), b.0.unsigned_abs())
				.ok_or(MathError::Overflow)?;
		Fixed::from_sign_magnitude(negative, magnitude)
	}

	/// Sum of values, failing on overflow.
	pub fn checked_sum<I: IntoIterator<Item = Fixed>>(values: I) -> MathResult {
		values.into_iter().try_fold(Fixed::ZERO, |acc, v| acc.checked_add(v))
	}

	/// Compares two values (total order).
	pub fn compare(&self, other: &Self) -> Ordering {
		self.0.cmp(&other.0)
	}
}

/// `floor(a · b / 10^18)` for magnitudes, exact, without a 256-bit division when avoidable.
fn mul_scaled(a: u128, b: u128) -> Option<u128> {
	if let Some(p) = a.checked_mul(b) {
		return Some(p / SCALE);
	}
	// a = ai·S + af, b = bi·S + bf:  a·b/S = ai·bi·S + ai·bf + af·bi + af·bf/S (last floored).
	let (ai, af) = (a / SCALE, a % SCALE);
	let (bi, bf) = (b / SCALE, b % SCALE);
	let t1 = ai.checked_mul(bi)?.checked_mul(SCALE)?;
	let t2 = ai.checked_mul(bf)?;
	let t3 = af.checked_mul(bi)?;
	let t4 = af.checked_mul(bf)? / SCALE;
	t1.checked_add(t2)?.checked_add(t3)?.checked_add(t4)
}

/// `floor(a · 10^18 / b)` for magnitudes, `b > 0`.
fn div_scaled(a: u128, b: u128) -> Option<u128> {
	if let Some(p) = a.checked_mul(SCALE) {
		return p.checked_div(b);
	}
	let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
	let int_part = q.checked_mul(SCALE)?;
	let frac = match r.checked_mul(SCALE) {
		Some(p) => p.checked_div(b)?,
		None => mul_div_floor(r, SCALE, b)?,
	};
	int_part.checked_add(frac)
}

impl fmt::Debug for Fixed {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Display::fmt(self, f)
	}
}

impl fmt::Display for Fixed {
	/// Exact decimal form with trailing zeros removed, e.g. `-0.25`, `3`.
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let sign = if self.0 < 0 { "-" } else { "" };
		let m = self.0.unsigned_abs();
		let (int, frac) = (m / SCALE, m % SCALE);
		if frac == 0 {
			return write!(f, "{sign}{int}");
		}
		let mut digits = [0u8; 18];
		let mut rest = frac;
		for d in digits.iter_mut().rev() {
			*d = b'0'.saturating_add((rest % 10) as u8);
			rest /= 10;
		}
		let mut end = digits.len();
		while end > 0 && digits.get(end.saturating_sub(1)) == Some(&b'0') {
			end = end.saturating_sub(1);
		}
		let frac_str = core::str::from_utf8(digits.get(..end).unwrap_or(&[])).unwrap_or("");
		write!(f, "{sign}{int}.{frac_str}")
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
	}

	#[test]
	fn multiplication_truncates_toward_zero_and_is_exact_for_large_operands() {
		assert_eq!(fx("1.5").checked_mul(fx("2")), Ok(fx("3")));
		assert_eq!(fx("-1.5").checked_mul(fx("2")), Ok(fx("-3")));
		assert_eq!(Fixed::from_raw(1).checked_mul(fx("0.5")), Ok(Fixed::ZERO));
		assert_eq!(Fixed::from_raw(-3).checked_mul(fx("0.5")), Ok(Fixed::from_raw(-1)));
		// Operands whose raw product exceeds u128 take the split path.
		assert_eq!(
			fx("123456789.123456789").checked_mul(fx("1000")),
			Ok(fx("123456789123.456789"))
		);
		assert_eq!(fx("1e10").checked_mul(fx("1e10")), Ok(fx("1e20")));
		assert_eq!(fx("1e11").checked_mul(fx("1e10")), Err(MathError::Overflow));
	}

	#[test]
	fn division_truncates_and_rejects_zero() {
		assert_eq!(fx("1").checked_div(fx("3")), Ok(Fixed::from_raw(333_333_333_333_333_333)));
		assert_eq!(fx("-1").checked_div(fx("3")), Ok(Fixed::from_raw(-333_333_333_333_333_333)));
		assert_eq!(fx("1").checked_div(Fixed::ZERO), Err(MathError::DivisionByZero));
		assert_eq!(fx("1e20").checked_div(fx("1e19")), Ok(fx("10")));
		assert_eq!(fx("1e20").checked_div(fx("0.1")), Err(MathError::Overflow));
		assert_eq!(fx("170141183460").checked_div(fx("1000000000000")), Ok(fx("0.17014118346")));
	}

	#[test]
	fn add_and_sub_are_exact_and_checked() {
		assert_eq!(fx("0.1").checked_add(fx("0.2")), Ok(fx("0.3")));
		assert_eq!(Fixed::MAX.checked_add(Fixed::EPSILON), Err(MathError::Overflow));
		assert_eq!(Fixed::MIN.checked_sub(Fixed::ONE), Err(MathError::Overflow));
		assert_eq!(Fixed::MIN.abs(), Fixed::MAX);
	}

	#[test]
	fn base_units_convert_exactly() {
		assert_eq!(Fixed::from_base_units(1), Ok(Fixed::from_raw(1)));
		assert_eq!(Fixed::from_base_units(10u128.pow(27)), Ok(fx("1000000000")));
		assert_eq!(fx("1.9999").to_base_units(), Ok(1_999_900_000_000_000_000));
		assert_eq!(fx("-1").to_base_units(), Err(MathError::Domain));
	}

	#[test]
	fn mul_div_keeps_precision_of_large_ratios() {
		let s = fx("100000000000"); // 1e11: s·s overflows, s·s/s does not
		assert_eq!(s.checked_mul_div(s, s), Ok(s));
		assert_eq!(fx("3").checked_mul_div(fx("2"), Fixed::ZERO), Err(MathError::DivisionByZero));
		assert_eq!(fx("-3").checked_mul_div(fx("2"), fx("-4")), Ok(fx("1.5")));
	}

	#[test]
	fn display_is_exact() {
		assert_eq!(format!("{}", fx("-0.25")), "-0.25");
		assert_eq!(format!("{}", fx("3")), "3");
		assert_eq!(format!("{}", Fixed::EPSILON), "0.000000000000000001");
		assert_eq!(format!("{}", Fixed::MAX), "170141183460469231731.687303715884105727");
	}
}
