//! `serde` support: a [`Fixed`] is written and read as its exact decimal string (`"0.25"`), so
//! genesis JSON and RPC responses never round through a binary float.

use crate::Fixed;
use alloc::string::{String, ToString};
use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

impl Serialize for Fixed {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&self.to_string())
	}
}

impl<'de> Deserialize<'de> for Fixed {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let s = String::deserialize(deserializer)?;
		s.parse().map_err(|e| D::Error::custom(alloc::format!("{s:?}: {e}")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn round_trips_through_json_as_a_decimal_string() {
		let x: Fixed = "-0.000000000000000001".parse().unwrap_or_default();
		let json = serde_json::to_string(&x).unwrap_or_default();
		assert_eq!(json, "\"-0.000000000000000001\"");
		let back: Fixed = serde_json::from_str(&json).unwrap_or_default();
		assert_eq!(back, x);
		assert!(serde_json::from_str::<Fixed>("\"1.2.3\"").is_err());
		assert!(serde_json::from_str::<Fixed>("0.5").is_err(), "numbers must be strings");
	}
}
