//! The worker's model adapters: what the client sends a model for one worker nonce, how it reads
//! the answer, and the models built into the client. An answer that is not what the topic
//! accepts (not a number, outside the topic's ranges, a forecast about an unknown inferer) is
//! refused with its reason: the epoch is skipped, nothing wrong is submitted.

use crate::{
	chain::AccountId,
	config::Adapter,
	exchange,
	market::{decimal, SeriesSource, SeriesTopic, Target},
	series_models::{fixed_to_f64, PastRound, SeriesModel},
	values::parse_value,
};
use allora_math::Fixed;
use serde::Serialize;
use serde_json::{json, Value};
use std::{collections::BTreeMap, time::Duration};

/// What the client tells a model about the nonce it predicts for.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModelRequest {
	/// The topic id.
	pub topic: u64,
	/// The worker nonce (the block of the epoch end).
	pub nonce: u32,
	/// The topic's description.
	pub metadata: String,
	/// The inferers whose losses the model may forecast (ss58), from the latest network inference.
	pub inferers: Vec<String>,
	/// The topic's latest network inferences, oldest first.
	pub history: Vec<HistoryEntry>,
}

/// One past network inference of the topic.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HistoryEntry {
	/// Its worker nonce.
	pub nonce: u32,
	/// The combined network inference.
	pub combined: Fixed,
	/// The naive network inference.
	pub naive: Fixed,
	/// Each inferer's inference (ss58 → value).
	pub inferers: BTreeMap<String, Fixed>,
}

/// The bounds a prediction must respect (the topic's declared ranges).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
	/// Inferences accepted, inclusive.
	pub inference: (Fixed, Fixed),
	/// Forecast losses accepted, inclusive.
	pub loss: (Fixed, Fixed),
}

/// A model's answer for one nonce, checked against the topic.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Prediction {
	/// The inference, if the model gave one.
	pub inference: Option<Fixed>,
	/// The forecast losses of other inferers.
	pub forecasts: Vec<(AccountId, Fixed)>,
}

/// A model built into the client.
#[derive(Clone, Debug)]
pub enum Builtin {
	/// Always the same inference (tests, and a baseline anyone can reproduce).
	Constant(Fixed),
	/// The latest combined network inference (persistence of the network's own value), or
	/// `value` before the first one.
	LastCombined(Fixed),
	/// A model of a daily market series (see [`SeriesModel`]): it reads the series' days
	/// before the one the nonce predicts.
	Series(SeriesModel, SeriesTopic),
}

impl Builtin {
	/// The built-in model `name` with its parameter `value` or its market `series`.
	pub fn new(
		name: &str,
		value: Option<&str>,
		series: Option<&SeriesSource>,
	) -> Result<Builtin, String> {
		if let Some(model) = SeriesModel::parse(name) {
			let source = series
				.ok_or_else(|| format!("built-in model {name:?} needs `series` (the market)"))?;
			return Ok(Builtin::Series(model, SeriesTopic::open(source)?));
		}
		let number = |what: &str| -> Result<Fixed, String> {
			let v =
				value.ok_or_else(|| format!("built-in model {name:?} needs `value` ({what})"))?;
			v.parse().map_err(|e| format!("`value` {v:?} of built-in model {name:?}: {e}"))
		};
		match name {
			"constant" => Ok(Builtin::Constant(number("the inference")?)),
			"last-combined" => Ok(Builtin::LastCombined(number("the first inference")?)),
			_ => Err(format!(
				"unknown built-in model {name:?} (known: constant, last-combined, {})",
				SeriesModel::NAMES
			)),
		}
	}

	fn answer(&self, request: &ModelRequest) -> Result<Value, String> {
		let value = match self {
			Builtin::Constant(v) => *v,
			Builtin::LastCombined(first) => {
				request.history.last().map(|h| h.combined).unwrap_or(*first)
			},
			Builtin::Series(model, topic) => return series_answer(*model, topic, request),
		};
		Ok(json!({ "inference": value.to_string() }))
	}
}

/// A series model's answer for `request`: it sees the targets of the days before the nonce's
/// day, and (forecasters) the past rounds whose days are over.
fn series_answer(
	model: SeriesModel,
	topic: &SeriesTopic,
	request: &ModelRequest,
) -> Result<Value, String> {
	let day = topic.day(request.nonce)?;
	let past = topic.known_before(day);
	if !model.is_forecaster() {
		let mut value = model.infer(past)?;
		if topic.target == Target::AbsLogReturnPct {
			value = value.max(0.0);
		}
		return Ok(json!({ "inference": decimal(value) }));
	}
	let rounds: Vec<PastRound> = request
		.history
		.iter()
		.filter_map(|h| {
			let d = topic.day(h.nonce).ok().filter(|d| *d < day && *d >= 1)?;
			Some(PastRound {
				values: h.inferers.iter().map(|(who, v)| (who.clone(), fixed_to_f64(*v))).collect(),
				truth: topic.targets.get(d).copied()?,
				known: d - 1,
			})
		})
		.collect();
	let forecasts = model.forecast(past, &rounds, &request.inferers);
	if forecasts.is_empty() {
		return Err("no inferer has three past rounds to forecast from yet".into());
	}
	let forecasts: serde_json::Map<String, Value> =
		forecasts.into_iter().map(|(who, v)| (who, Value::String(decimal(v)))).collect();
	Ok(json!({ "forecasts": forecasts }))
}

/// Asks the configured model for `request` and checks the answer against `bounds`.
pub async fn predict(
	adapter: &Adapter,
	request: &ModelRequest,
	bounds: &Bounds,
) -> Result<Prediction, String> {
	let body =
		serde_json::to_value(request).map_err(|e| format!("cannot encode the request: {e}"))?;
	let answer = match adapter {
		Adapter::Http { url, timeout_ms } => {
			exchange::http(url, &body, Duration::from_millis(*timeout_ms)).await?
		},
		Adapter::Command { program, args, timeout_ms } => {
			exchange::command(program, args, &body, Duration::from_millis(*timeout_ms)).await?
		},
		Adapter::Builtin { name, value, series } => {
			Builtin::new(name, value.as_deref(), series.as_ref())?.answer(request)?
		},
		Adapter::Csv { .. } | Adapter::Series(_) => {
			return Err("a ground-truth source is not a model".into())
		},
	};
	read_prediction(&answer, &request.inferers, bounds)
}

/// Reads a model's JSON answer `{"inference": x, "forecasts": {"<ss58>": loss, …}}` (numbers
/// or decimal strings; either key may be absent, not both).
pub fn read_prediction(
	answer: &Value,
	inferers: &[String],
	bounds: &Bounds,
) -> Result<Prediction, String> {
	let object = answer
		.as_object()
		.ok_or_else(|| format!("the answer is not a JSON object: {}", short(answer)))?;
	if let Some(key) = object.keys().find(|k| *k != "inference" && *k != "forecasts") {
		return Err(format!("unknown key {key:?} in the answer"));
	}
	let mut prediction = Prediction::default();
	if let Some(v) = object.get("inference").filter(|v| !v.is_null()) {
		let value = parse_value(v).map_err(|e| format!("`inference`: {e}"))?;
		if value < bounds.inference.0 || value > bounds.inference.1 {
			return Err(format!(
				"`inference` {value} is outside the topic's range [{}, {}]",
				bounds.inference.0, bounds.inference.1
			));
		}
		prediction.inference = Some(value);
	}
	if let Some(v) = object.get("forecasts").filter(|v| !v.is_null()) {
		let forecasts =
			v.as_object().ok_or_else(|| format!("`forecasts` is not an object: {}", short(v)))?;
		for (who, loss) in forecasts {
			if !inferers.contains(who) {
				return Err(format!(
					"`forecasts`: {who} is not an inferer of the topic's latest round"
				));
			}
			let account: AccountId =
				who.parse().map_err(|_| format!("`forecasts`: {who:?} is not an ss58 address"))?;
			let loss = parse_value(loss).map_err(|e| format!("`forecasts.{who}`: {e}"))?;
			if loss < bounds.loss.0 || loss > bounds.loss.1 {
				return Err(format!(
					"`forecasts.{who}` {loss} is outside the topic's loss range [{}, {}]",
					bounds.loss.0, bounds.loss.1
				));
			}
			prediction.forecasts.push((account, loss));
		}
	}
	if prediction.inference.is_none() && prediction.forecasts.is_empty() {
		return Err("the answer has neither an inference nor a forecast".into());
	}
	Ok(prediction)
}

fn short(v: &Value) -> String {
	v.to_string().chars().take(120).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_default()
	}

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

	fn bounds() -> Bounds {
		Bounds { inference: (fx("0"), fx("1000")), loss: (fx("-30"), fx("30")) }
	}

	#[test]
	fn reads_numbers_and_decimal_strings() -> Result<(), String> {
		let answer = json!({ "inference": 101.5, "forecasts": { ALICE: "-2.25" } });
		let p = read_prediction(&answer, &[ALICE.into()], &bounds())?;
		assert_eq!(p.inference, Some(fx("101.5")));
		assert_eq!(p.forecasts.len(), 1);
		assert_eq!(p.forecasts[0].1, fx("-2.25"));
		let only_forecast =
			read_prediction(&json!({ "forecasts": { BOB: 1 } }), &[BOB.into()], &bounds())?;
		assert_eq!(only_forecast.inference, None);
		Ok(())
	}

	#[test]
	fn refuses_wrong_answers_with_their_reason() {
		let err = |answer: Value| {
			read_prediction(&answer, &[ALICE.into()], &bounds()).err().unwrap_or_default()
		};
		assert_eq!(err(json!("101")), "the answer is not a JSON object: \"101\"");
		assert_eq!(
			err(json!({ "inference": "abc" })),
			"`inference`: \"abc\" is not a decimal number"
		);
		assert_eq!(err(json!({ "inference": true })), "`inference`: true is not a number");
		assert_eq!(
			err(json!({ "inference": "1e30" })),
			"`inference`: \"1e30\" is number out of the fixed-point range"
		);
		assert_eq!(
			err(json!({ "inference": 5000 })),
			"`inference` 5000 is outside the topic's range [0, 1000]"
		);
		assert_eq!(err(json!({})), "the answer has neither an inference nor a forecast");
		assert_eq!(
			err(json!({ "inference": 1, "confidence": 2 })),
			"unknown key \"confidence\" in the answer"
		);
		assert!(
			err(json!({ "inference": 1, "forecasts": { BOB: 1 } })).contains("is not an inferer")
		);
		assert!(
			err(json!({ "forecasts": { ALICE: 99 } })).contains("outside the topic's loss range")
		);
		assert!(err(json!({ "forecasts": [1, 2] })).starts_with("`forecasts` is not an object"));
	}

	#[test]
	fn builtin_models_answer_from_their_parameter_and_the_history() -> Result<(), String> {
		let mut request = ModelRequest {
			topic: 1,
			nonce: 10,
			metadata: String::new(),
			inferers: vec![],
			history: vec![],
		};
		let constant = Builtin::new("constant", Some("42.5"), None)?;
		assert_eq!(constant.answer(&request)?, json!({ "inference": "42.5" }));
		let last = Builtin::new("last-combined", Some("100"), None)?;
		assert_eq!(last.answer(&request)?, json!({ "inference": "100" }));
		request.history.push(HistoryEntry {
			nonce: 4,
			combined: fx("99.5"),
			naive: fx("99"),
			inferers: BTreeMap::new(),
		});
		assert_eq!(last.answer(&request)?, json!({ "inference": "99.5" }));
		assert!(Builtin::new("constant", None, None).is_err());
		assert!(Builtin::new("constant", Some("x"), None).is_err());
		Ok(())
	}

	#[test]
	fn series_models_see_only_the_days_before_the_one_they_predict() -> Result<(), String> {
		let dir = std::env::temp_dir().join(format!("allora-series-model-{}", std::process::id()));
		std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
		let path = dir.join("m.csv");
		// Closes 100·1.01^d: every day moves ln(1.01) = 0.995033…%, except day 30 (+10 %).
		let mut text = String::from("Date,Close\n");
		let mut close = 100.0f64;
		for d in 0..40 {
			close *= if d == 30 { 1.1 } else { 1.01 };
			text.push_str(&format!("2000-01-{:02},{close}\n", d + 1));
		}
		std::fs::write(&path, text).map_err(|e| e.to_string())?;
		let source = SeriesSource {
			path,
			target: Target::AbsLogReturnPct,
			first_nonce: 100,
			epoch_length: 4,
			first_date: "2000-01-31".into(),
		};
		let walk = Builtin::new("random-walk", None, Some(&source))?;
		let mut request = ModelRequest {
			topic: 1,
			nonce: 100,
			metadata: String::new(),
			inferers: vec![ALICE.into()],
			history: vec![],
		};
		// Nonce 100 predicts day 30 (the +10 % day) from day 29: it cannot know the jump.
		assert_eq!(walk.answer(&request)?, json!({ "inference": "0.995033085" }));
		request.nonce = 104;
		assert_eq!(walk.answer(&request)?, json!({ "inference": "9.531017980" }));
		request.nonce = 96;
		assert!(walk.answer(&request).is_err(), "before the first nonce");
		assert!(Builtin::new("random-walk", None, None).is_err(), "a series model needs `series`");

		// The loss forecaster: Alice's past inferences were 0.1 off each day.
		let forecaster = Builtin::new("loss-ewma", None, Some(&source))?;
		request.nonce = 116;
		assert!(forecaster.answer(&request).is_err(), "no past rounds yet");
		for nonce in [100u32, 104, 108, 112] {
			let truth = SeriesTopic::open(&source)?.truth(nonce)?;
			request.history.push(HistoryEntry {
				nonce,
				combined: fx("1"),
				naive: fx("1"),
				inferers: [(ALICE.to_string(), fx(&decimal(truth + 0.1)))].into_iter().collect(),
			});
		}
		let answer = forecaster.answer(&request)?;
		let loss: f64 = answer["forecasts"][ALICE].as_str().unwrap_or("x").parse().unwrap_or(0.0);
		assert!((loss + 2.0).abs() < 1e-6, "log10(0.1²) = −2, got {answer}");
		std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())?;
		Ok(())
	}
}
