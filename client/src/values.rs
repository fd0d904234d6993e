//! Numbers as people and models write them: a JSON number or a decimal string becomes the
//! chain's 18-decimal fixed point exactly (never through a binary float).

use allora_math::Fixed;
use serde_json::Value;

/// A JSON number (`101.5`) or decimal string (`"101.5"`, `"1e-3"`) as a [`Fixed`].
pub fn parse_value(v: &Value) -> Result<Fixed, String> {
	let text = match v {
		Value::String(s) => s.clone(),
		Value::Number(n) => n.to_string(),
		other => return Err(format!("{other} is not a number")),
	};
	text.parse().map_err(|e| format!("{v} is {e}"))
}

/// A decimal amount of ALLO (`"1.5"`) in base units (10^18 per ALLO).
pub fn parse_allo(text: &str) -> Result<u128, String> {
	let value: Fixed = text.parse().map_err(|e| format!("{text:?} is {e}"))?;
	if value.is_negative() {
		return Err(format!("{text:?} is negative"));
	}
	value.to_base_units().map_err(|_| format!("{text:?} is too large"))
}

/// Base units as a decimal amount of ALLO.
pub fn format_allo(units: u128) -> String {
	let whole = units / 1_000_000_000_000_000_000;
	let frac = units % 1_000_000_000_000_000_000;
	if frac == 0 {
		return whole.to_string();
	}
	let digits = format!("{frac:018}");
	format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn numbers_and_strings_become_exact_fixed_point_values() {
		assert_eq!(parse_value(&json!(101.5)), Ok(Fixed::from_raw(101_500_000_000_000_000_000)));
		assert_eq!(parse_value(&json!("-0.000000000000000001")), Ok(Fixed::from_raw(-1)));
		assert_eq!(parse_value(&json!("1e-3")), Ok(Fixed::from_raw(1_000_000_000_000_000)));
		assert_eq!(parse_value(&json!("abc")), Err("\"abc\" is not a decimal number".into()));
		assert_eq!(
			parse_value(&json!("1e30")),
			Err("\"1e30\" is number out of the fixed-point range".into())
		);
		assert_eq!(parse_value(&json!(null)), Err("null is not a number".into()));
	}

	#[test]
	fn allo_amounts_round_trip_in_base_units() {
		assert_eq!(parse_allo("1.5"), Ok(1_500_000_000_000_000_000));
		assert_eq!(format_allo(1_500_000_000_000_000_000), "1.5");
		assert_eq!(format_allo(3_000_000_000_000_000_000), "3");
		assert!(parse_allo("-1").is_err());
		assert!(parse_allo("ten").is_err());
	}
}
