//! Parsing decimal strings (`-12.5`, `1e-7`, `3.2E+4`) into [`Fixed`], truncating digits
//! beyond the 18th decimal toward zero. No floating point is involved.

use crate::Fixed;
use core::str::FromStr;

/// Why a string is not a [`Fixed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseFixedError {
	/// Empty input or a character that is not part of a decimal number.
	Invalid,
	/// The value is outside the representable range.
	Overflow,
}

impl core::fmt::Display for ParseFixedError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ParseFixedError::Invalid => write!(f, "not a decimal number"),
			ParseFixedError::Overflow => write!(f, "number out of the fixed-point range"),
		}
	}
}

impl FromStr for Fixed {
	type Err = ParseFixedError;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		let s = s.trim();
		let (negative, body) = match s.as_bytes().first() {
			Some(b'-') => (true, s.get(1..).unwrap_or("")),
			Some(b'+') => (false, s.get(1..).unwrap_or("")),
			_ => (false, s),
		};
		let (mantissa_str, exp_str) = match body.find(['e', 'E']) {
			Some(i) => {
				(body.get(..i).unwrap_or(""), Some(body.get(i.saturating_add(1)..).unwrap_or("")))
			},
			None => (body, None),
		};
		let mut exponent: i64 = match exp_str {
			Some(e) => parse_exponent(e)?,
			None => 0,
		};

		let mut mantissa: u128 = 0;
		let mut seen_digit = false;
		let mut seen_point = false;
		for c in mantissa_str.bytes() {
			match c {
				b'0'..=b'9' => {
					seen_digit = true;
					let d = u128::from(c.saturating_sub(b'0'));
					// Keep every digit that fits in u128 (all of any in-range value); a dropped
					// integer digit still scales the value, a dropped fractional one is truncated.
					match mantissa.checked_mul(10).and_then(|m| m.checked_add(d)) {
						Some(m) => {
							mantissa = m;
							if seen_point {
								exponent = exponent.saturating_sub(1);
							}
						},
						None if !seen_point => exponent = exponent.saturating_add(1),
						None => {},
					}
				},
				b'.' if !seen_point => seen_point = true,
				_ => return Err(ParseFixedError::Invalid),
			}
		}
		if !seen_digit {
			return Err(ParseFixedError::Invalid);
		}

		// raw = mantissa · 10^(exponent + 18), truncated.
		let shift = exponent.saturating_add(i64::from(Fixed::DECIMALS));
		let raw = if shift >= 0 {
			let mut r = mantissa;
			for _ in 0..shift {
				if r == 0 {
					break;
				}
				r = r.checked_mul(10).ok_or(ParseFixedError::Overflow)?;
			}
			r
		} else {
			let mut r = mantissa;
			for _ in 0..shift.unsigned_abs() {
				if r == 0 {
					break;
				}
				r /= 10;
			}
			r
		};
		let raw = i128::try_from(raw).map_err(|_| ParseFixedError::Overflow)?;
		Ok(Fixed::from_raw(if negative { raw.saturating_neg() } else { raw }))
	}
}

fn parse_exponent(e: &str) -> Result<i64, ParseFixedError> {
	let (neg, digits) = match e.as_bytes().first() {
		Some(b'-') => (true, e.get(1..).unwrap_or("")),
		Some(b'+') => (false, e.get(1..).unwrap_or("")),
		_ => (false, e),
	};
	if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|c| c.is_ascii_digit()) {
		return Err(ParseFixedError::Invalid);
	}
	let v: i64 = digits.parse().map_err(|_| ParseFixedError::Invalid)?;
	Ok(if neg { v.saturating_neg() } else { v })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_plain_and_scientific_decimals() {
		assert_eq!("1".parse::<Fixed>(), Ok(Fixed::ONE));
		assert_eq!("-0.5".parse::<Fixed>(), Ok(Fixed::from_raw(-500_000_000_000_000_000)));
		assert_eq!("+2.".parse::<Fixed>(), Ok(Fixed::from_int(2)));
		assert_eq!(".25".parse::<Fixed>(), Ok(Fixed::from_raw(250_000_000_000_000_000)));
		assert_eq!("1e-7".parse::<Fixed>(), Ok(Fixed::from_raw(100_000_000_000)));
		assert_eq!("3.2E+4".parse::<Fixed>(), Ok(Fixed::from_int(32_000)));
		assert_eq!("0.0000000000000000019".parse::<Fixed>(), Ok(Fixed::from_raw(1)));
		assert_eq!("-0.0000000000000000019".parse::<Fixed>(), Ok(Fixed::from_raw(-1)));
		assert_eq!(
			"0.12345678901234567890123456789012345678901234".parse::<Fixed>(),
			Ok(Fixed::from_raw(123_456_789_012_345_678))
		);
		assert_eq!(
			"123456789012345678901234567890123456789012".parse::<Fixed>(),
			Err(ParseFixedError::Overflow)
		);
	}

	#[test]
	fn rejects_what_is_not_a_number() {
		for bad in ["", "-", ".", "1.2.3", "abc", "1e", "1e+", "1x", "NaN", "1e9999999"] {
			assert_eq!(bad.parse::<Fixed>(), Err(ParseFixedError::Invalid), "{bad}");
		}
	}
}
