//! The reputer's ground-truth sources: the true value of a topic's nonce, or `None` while it
//! is not known yet (the reputer waits; it never reports against a guess).

use crate::{config::Adapter, exchange, values::parse_value};
use allora_math::Fixed;
use serde_json::{json, Value};
use std::{path::Path, time::Duration};

/// The ground truth of `nonce` of `topic` from `source`.
pub async fn ground_truth(
	source: &Adapter,
	topic: u64,
	nonce: u32,
) -> Result<Option<Fixed>, String> {
	let request = json!({ "topic": topic, "nonce": nonce });
	let answer = match source {
		Adapter::Csv { path } => {
			// The file is read whole: off the async workers.
			let path = path.clone();
			return tokio::task::spawn_blocking(move || from_csv(&path, nonce))
				.await
				.map_err(|e| format!("reading the csv: {e}"))?;
		},
		Adapter::Http { url, timeout_ms } => {
			exchange::http(url, &request, Duration::from_millis(*timeout_ms)).await?
		},
		Adapter::Command { program, args, timeout_ms } => {
			exchange::command(program, args, &request, Duration::from_millis(*timeout_ms)).await?
		},
		Adapter::Builtin { .. } => {
			return Err("a built-in model is not a ground-truth source".into())
		},
		Adapter::Series(source) => {
			let source = source.clone();
			let value = tokio::task::spawn_blocking(move || {
				let topic = crate::market::SeriesTopic::open(&source)?;
				topic.truth(nonce).map(crate::market::decimal)
			})
			.await
			.map_err(|e| format!("reading the series: {e}"))??;
			return value.parse().map(Some).map_err(|e| format!("{value:?} is {e}"));
		},
	};
	read_truth(&answer)
}

/// Reads `{"value": x}` (a number or decimal string; `null` while unknown).
pub fn read_truth(answer: &Value) -> Result<Option<Fixed>, String> {
	let object =
		answer.as_object().ok_or_else(|| format!("the answer is not a JSON object: {answer}"))?;
	match object.get("value") {
		None => Err("the answer has no `value`".into()),
		Some(Value::Null) => Ok(None),
		Some(v) => parse_value(v).map(Some).map_err(|e| format!("`value`: {e}")),
	}
}

/// The value of `nonce` in a CSV file with the header `nonce,value` (read whole each time, so
/// that a feed may append rows); `None` when the nonce has no row yet.
pub fn from_csv(path: &Path, nonce: u32) -> Result<Option<Fixed>, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
	let mut lines = text.lines().enumerate();
	match lines.next() {
		Some((_, header)) if header.trim().replace(' ', "") == "nonce,value" => {},
		_ => {
			return Err(format!(
				"{}: the first line must be the header `nonce,value`",
				path.display()
			))
		},
	}
	for (i, line) in lines {
		let line = line.trim();
		if line.is_empty() {
			continue;
		}
		let bad =
			|| format!("{}:{}: expected `nonce,value`, found {line:?}", path.display(), i + 1);
		let (n, v) = line.split_once(',').ok_or_else(bad)?;
		let n: u32 = n.trim().parse().map_err(|_| bad())?;
		if n == nonce {
			let value: Fixed = v
				.trim()
				.parse()
				.map_err(|e| format!("{}:{}: {v:?} is {e}", path.display(), i + 1))?;
			return Ok(Some(value));
		}
	}
	Ok(None)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn csv_rows_give_the_truth_of_their_nonce_and_nothing_else() -> Result<(), String> {
		let dir = std::env::temp_dir().join(format!("allora-truth-{}", std::process::id()));
		std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
		let path = dir.join("truth.csv");
		std::fs::write(&path, "nonce,value\n10,101.25\n20, -3e-2\n").map_err(|e| e.to_string())?;
		assert_eq!(from_csv(&path, 10)?, Some("101.25".parse().unwrap_or_default()));
		assert_eq!(from_csv(&path, 20)?, Some("-0.03".parse().unwrap_or_default()));
		assert_eq!(from_csv(&path, 30)?, None, "not known yet");
		std::fs::write(&path, "nonce,value\n10,abc\n").map_err(|e| e.to_string())?;
		assert!(from_csv(&path, 10)
			.err()
			.unwrap_or_default()
			.ends_with("truth.csv:2: \"abc\" is not a decimal number"));
		std::fs::write(&path, "day,close\n").map_err(|e| e.to_string())?;
		assert!(from_csv(&path, 10).err().unwrap_or_default().contains("header `nonce,value`"));
		assert!(from_csv(&dir.join("missing.csv"), 1).is_err());
		std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())?;
		Ok(())
	}

	#[test]
	fn answers_name_the_value_or_say_it_is_unknown() {
		assert_eq!(
			read_truth(&json!({ "value": "99.5" })),
			Ok(Some("99.5".parse().unwrap_or_default()))
		);
		assert_eq!(read_truth(&json!({ "value": null })), Ok(None));
		assert_eq!(read_truth(&json!({ "price": 1 })), Err("the answer has no `value`".into()));
		assert_eq!(
			read_truth(&json!({ "value": [1] })),
			Err("`value`: [1] is not a number".into())
		);
	}
}
