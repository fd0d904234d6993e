//! The built-in models of a series topic (the demo's workers): five standard forecasting models
//! of a daily series, and two forecasters that predict each inferer's log10 squared error from
//! its recent errors and the market's volatility. Each model sees only the days before the one
//! it predicts; each is a pure function of that past.

use std::collections::BTreeMap;

/// A built-in series model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesModel {
	/// Tomorrow equals today (the random walk's forecast).
	RandomWalk,
	/// The mean of the last 250 days (a year): the long-run level.
	RollingMean,
	/// Exponential smoothing with λ = 0.94 (RiskMetrics' daily decay).
	ExpSmoothing,
	/// An AR(5) with intercept, refitted by least squares on the last 500 days at every epoch.
	OnlineAr,
	/// A regression on lagged features (yesterday, the 5-day and the 22-day means), refitted
	/// on the last 1 000 days (Corsi's HAR model of volatility).
	LaggedRegression,
	/// Forecaster: each inferer's next loss is the exponentially weighted mean (α = 0.2) of its
	/// recent log10 squared errors.
	LossEwma,
	/// Forecaster: each inferer's recent log10 squared errors relative to the market's variance
	/// at the time, applied to today's variance (errors grow with volatility).
	LossByVolatility,
}

impl SeriesModel {
	/// The model called `name` in configuration files.
	pub fn parse(name: &str) -> Option<SeriesModel> {
		Some(match name {
			"random-walk" => SeriesModel::RandomWalk,
			"rolling-mean" => SeriesModel::RollingMean,
			"exp-smoothing" => SeriesModel::ExpSmoothing,
			"online-ar" => SeriesModel::OnlineAr,
			"lagged-regression" => SeriesModel::LaggedRegression,
			"loss-ewma" => SeriesModel::LossEwma,
			"loss-by-volatility" => SeriesModel::LossByVolatility,
			_ => return None,
		})
	}

	/// The names of all series models.
	pub const NAMES: &'static str = "random-walk, rolling-mean, exp-smoothing, online-ar, \
		lagged-regression, loss-ewma, loss-by-volatility";

	/// Whether the model forecasts losses (instead of inferring the value).
	pub fn is_forecaster(&self) -> bool {
		matches!(self, SeriesModel::LossEwma | SeriesModel::LossByVolatility)
	}

	/// The model's inference from the targets of the days before (oldest first).
	pub fn infer(&self, past: &[f64]) -> Result<f64, String> {
		let need = match self {
			SeriesModel::RandomWalk => 1,
			SeriesModel::RollingMean | SeriesModel::ExpSmoothing => 20,
			SeriesModel::OnlineAr => 100,
			SeriesModel::LaggedRegression => 200,
			SeriesModel::LossEwma | SeriesModel::LossByVolatility => {
				return Err("a loss forecaster does not infer".into())
			},
		};
		if past.len() < need {
			return Err(format!("the model needs {need} past days, the series has {}", past.len()));
		}
		let value = match self {
			SeriesModel::RandomWalk => past.last().copied().unwrap_or_default(),
			SeriesModel::RollingMean => mean(tail(past, 250)),
			SeriesModel::ExpSmoothing => ewma(tail(past, 500), 0.06),
			SeriesModel::OnlineAr => autoregression(tail(past, 500), 5)?,
			SeriesModel::LaggedRegression => har(tail(past, 1_000))?,
			SeriesModel::LossEwma | SeriesModel::LossByVolatility => 0.0,
		};
		if value.is_finite() {
			Ok(value)
		} else {
			Err("the fit is degenerate".into())
		}
	}

	/// The forecasters' log10 squared error of each inferer in `inferers`, from the targets
	/// before today (`past`) and the network's past rounds (oldest first).
	pub fn forecast(
		&self,
		past: &[f64],
		rounds: &[PastRound],
		inferers: &[String],
	) -> BTreeMap<String, f64> {
		let volatility = |p: &[f64]| ewma(tail(p, 500), 0.06).powi(2).max(1e-6).log10();
		let now = volatility(past);
		let mut out = BTreeMap::new();
		for who in inferers {
			// (log10 squared error, the market's log10 variance known before that round)
			let errors: Vec<(f64, f64)> = rounds
				.iter()
				.filter_map(|r| {
					let before = past.get(..r.known.min(past.len())).unwrap_or(past);
					r.values.get(who).map(|v| (log_square_error(*v, r.truth), volatility(before)))
				})
				.collect();
			if errors.len() < 3 {
				continue;
			}
			let value = match self {
				SeriesModel::LossEwma => {
					ewma(&errors.iter().map(|(e, _)| *e).collect::<Vec<_>>(), 0.2)
				},
				SeriesModel::LossByVolatility => {
					mean(&errors.iter().map(|(e, v)| e - v).collect::<Vec<_>>()) + now
				},
				_ => continue,
			};
			if value.is_finite() {
				out.insert(who.clone(), value);
			}
		}
		out
	}
}

/// One past round of the topic as a forecaster sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct PastRound {
	/// Each inferer's inference (ss58 → value).
	pub values: BTreeMap<String, f64>,
	/// The round's true value.
	pub truth: f64,
	/// How many of today's `past` targets were known before the round's day.
	pub known: usize,
}

/// log10 of the squared error, floored at 1e-12 (what a reputer reports for mse, up to the
/// topic's clamp).
pub fn log_square_error(value: f64, truth: f64) -> f64 {
	((value - truth).powi(2)).max(1e-12).log10()
}

/// The f64 nearest a chain fixed-point value.
pub fn fixed_to_f64(v: allora_math::Fixed) -> f64 {
	v.to_string().parse().unwrap_or(f64::NAN)
}

fn tail(past: &[f64], n: usize) -> &[f64] {
	past.get(past.len().saturating_sub(n)..).unwrap_or(past)
}

fn mean(v: &[f64]) -> f64 {
	if v.is_empty() {
		return f64::NAN;
	}
	v.iter().sum::<f64>() / v.len() as f64
}

/// Exponential smoothing with weight `alpha` on the newest value, started at the first value.
fn ewma(v: &[f64], alpha: f64) -> f64 {
	let mut iter = v.iter();
	let Some(first) = iter.next() else { return f64::NAN };
	iter.fold(*first, |s, x| s + alpha * (x - s))
}

/// AR(`p`) with intercept fitted by least squares on `v`; its one-step forecast.
fn autoregression(v: &[f64], p: usize) -> Result<f64, String> {
	let rows: Vec<(Vec<f64>, f64)> = (p..v.len())
		.map(|t| {
			let mut x = vec![1.0];
			x.extend((1..=p).map(|k| v.get(t - k).copied().unwrap_or_default()));
			(x, v.get(t).copied().unwrap_or_default())
		})
		.collect();
	let beta = least_squares(&rows)?;
	let mut x = vec![1.0];
	x.extend((1..=p).map(|k| v.get(v.len() - k).copied().unwrap_or_default()));
	Ok(dot(&beta, &x))
}

/// The HAR regression: y_t on (1, y_{t−1}, mean of y_{t−5..t−1}, mean of y_{t−22..t−1}).
fn har(v: &[f64]) -> Result<f64, String> {
	let features = |end: usize| -> Vec<f64> {
		let window = |n: usize| mean(v.get(end.saturating_sub(n)..end).unwrap_or(&[]));
		vec![1.0, window(1), window(5), window(22)]
	};
	let rows: Vec<(Vec<f64>, f64)> =
		(22..v.len()).map(|t| (features(t), v.get(t).copied().unwrap_or_default())).collect();
	let beta = least_squares(&rows)?;
	Ok(dot(&beta, &features(v.len())))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
	a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Ordinary least squares through the normal equations (Gaussian elimination with partial
/// pivoting, a 1e-9 ridge for stability).
fn least_squares(rows: &[(Vec<f64>, f64)]) -> Result<Vec<f64>, String> {
	let k = rows.first().map(|(x, _)| x.len()).ok_or("no data to fit")?;
	let mut a = vec![vec![0.0; k + 1]; k];
	for (x, y) in rows {
		for i in 0..k {
			for j in 0..k {
				a[i][j] += x[i] * x[j];
			}
			a[i][k] += x[i] * y;
		}
	}
	for (i, row) in a.iter_mut().enumerate() {
		row[i] += 1e-9;
	}
	for col in 0..k {
		let pivot =
			(col..k).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs())).unwrap_or(col);
		a.swap(col, pivot);
		if a[col][col].abs() < 1e-12 {
			return Err("the regression is singular".into());
		}
		for r in 0..k {
			if r != col {
				let f = a[r][col] / a[col][col];
				let pivot_row = a[col].clone();
				for (x, p) in a[r].iter_mut().zip(&pivot_row).skip(col) {
					*x -= f * p;
				}
			}
		}
	}
	Ok((0..k).map(|i| a[i][k] / a[i][i]).collect())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_simple_models_compute_what_they_say() -> Result<(), String> {
		let past: Vec<f64> = (1..=300).map(f64::from).collect();
		assert_eq!(SeriesModel::RandomWalk.infer(&past)?, 300.0);
		assert_eq!(SeriesModel::RollingMean.infer(&past)?, 175.5, "mean of 51..=300");
		let flat = vec![2.0; 300];
		assert!((SeriesModel::ExpSmoothing.infer(&flat)? - 2.0).abs() < 1e-12);
		assert!(SeriesModel::RandomWalk.infer(&[]).is_err());
		assert!(SeriesModel::OnlineAr.infer(&past[..50]).is_err(), "too short to fit");
		assert!(SeriesModel::LossEwma.infer(&past).is_err());
		Ok(())
	}

	#[test]
	fn the_regressions_recover_a_known_process() -> Result<(), String> {
		// y_t = 1 + 0.5·y_{t−1} + e_t with a deterministic pseudo-random e_t in [−0.05, 0.05).
		let mut state = 12_345u64;
		let mut v = vec![2.0];
		for t in 1..1_200 {
			state = state
				.wrapping_mul(6_364_136_223_846_793_005)
				.wrapping_add(1_442_695_040_888_963_407);
			let shock = ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) / 10.0;
			let last = v[t - 1];
			v.push(1.0 + 0.5 * last + shock);
		}
		let expected = 1.0 + 0.5 * v[v.len() - 1];
		let ar = SeriesModel::OnlineAr.infer(&v)?;
		assert!((ar - expected).abs() < 0.01, "AR(5) {ar} vs {expected}");
		let beta =
			least_squares(&(1..v.len()).map(|t| (vec![1.0, v[t - 1]], v[t])).collect::<Vec<_>>())?;
		assert!((beta[0] - 1.0).abs() < 0.1 && (beta[1] - 0.5).abs() < 0.05, "{beta:?}");
		let har = SeriesModel::LaggedRegression.infer(&v)?;
		assert!((har - expected).abs() < 0.01, "HAR {har} vs {expected}");
		Ok(())
	}

	#[test]
	fn forecasters_rank_a_worse_inferer_higher() {
		let round = |good: f64, bad: f64| PastRound {
			values: [("good".to_string(), good), ("bad".to_string(), bad)].into_iter().collect(),
			truth: 1.0,
			known: 290,
		};
		let rounds: Vec<PastRound> = (0..10).map(|_| round(1.1, 3.0)).collect();
		let past = vec![1.0; 300];
		let names = ["good".to_string(), "bad".to_string(), "new".to_string()];
		for model in [SeriesModel::LossEwma, SeriesModel::LossByVolatility] {
			let f = model.forecast(&past, &rounds, &names);
			let (good, bad) = (f.get("good").copied(), f.get("bad").copied());
			assert!(good.zip(bad).is_some_and(|(g, b)| g < b), "{model:?}: {f:?}");
			assert!(!f.contains_key("new"), "no history, no forecast");
		}
		let ewma = SeriesModel::LossEwma.forecast(&past, &rounds, &names);
		assert!((ewma["good"] - (0.01f64).log10()).abs() < 1e-9, "(1.1 − 1)² = 0.01");
		// In a calm market the volatility forecaster expects smaller errors than after a storm.
		let calm = SeriesModel::LossByVolatility.forecast(&vec![0.5; 300], &rounds, &names);
		let mut stormy = vec![0.5; 290];
		stormy.extend([5.0; 10]);
		let storm = SeriesModel::LossByVolatility.forecast(&stormy, &rounds, &names);
		assert!(calm["good"] < storm["good"]);
	}
}
