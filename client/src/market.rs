//! A daily market series as a topic: the prices (a `Date,…,Close,…` CSV such as
//! `client/demo/msft-daily.csv`), the value the topic predicts for each day, and the clock that
//! maps a topic's nonce to a trading day (one day per epoch). The built-in series models, the
//! `series` ground-truth source and the demo all read a series through this module.

use serde::Deserialize;
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex, OnceLock},
};

/// What a series topic predicts for a day.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
	/// |ln(close_d / close_{d−1})| in percent: the size of the day's move (a volatility proxy).
	#[default]
	AbsLogReturnPct,
	/// ln(close_d / close_{d−1}) in percent.
	LogReturnPct,
	/// The day's close.
	Close,
}

impl Target {
	/// The name used in configuration files.
	pub fn name(&self) -> &'static str {
		match self {
			Target::AbsLogReturnPct => "abs-log-return-pct",
			Target::LogReturnPct => "log-return-pct",
			Target::Close => "close",
		}
	}
}

/// Where a series topic's values come from and which nonce is which day.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SeriesSource {
	/// The CSV file (header with `Date` and `Close` columns, oldest row first).
	pub path: PathBuf,
	/// What is predicted (default `abs-log-return-pct`).
	#[serde(default)]
	pub target: Target,
	/// The nonce that predicts `first_date`.
	pub first_nonce: u32,
	/// The topic's epoch length: each later epoch predicts the next trading day.
	pub epoch_length: u32,
	/// The trading day (`YYYY-MM-DD`, a row of the file) predicted at `first_nonce`.
	pub first_date: String,
}

/// A loaded daily series.
#[derive(Clone, Debug, PartialEq)]
pub struct Market {
	/// The trading days, oldest first.
	pub dates: Vec<String>,
	/// The closing prices, one per day.
	pub closes: Vec<f64>,
}

impl Market {
	/// Reads a CSV with `Date` and `Close` columns.
	pub fn parse(name: &str, text: &str) -> Result<Market, String> {
		let mut lines = text.lines().enumerate();
		let header: Vec<&str> = lines
			.next()
			.map(|(_, h)| h.split(',').map(str::trim).collect())
			.ok_or_else(|| format!("{name}: empty file"))?;
		let column = |wanted: &str| {
			header
				.iter()
				.position(|c| c.eq_ignore_ascii_case(wanted))
				.ok_or_else(|| format!("{name}: no `{wanted}` column in the header"))
		};
		let (date_col, close_col) = (column("Date")?, column("Close")?);
		let mut market = Market { dates: Vec::new(), closes: Vec::new() };
		for (i, line) in lines {
			if line.trim().is_empty() {
				continue;
			}
			let cells: Vec<&str> = line.split(',').map(str::trim).collect();
			let bad = || format!("{name}:{}: expected a date and a positive close", i + 1);
			let date = cells.get(date_col).ok_or_else(bad)?;
			let close: f64 = cells.get(close_col).and_then(|c| c.parse().ok()).ok_or_else(bad)?;
			if !(close.is_finite() && close > 0.0) {
				return Err(bad());
			}
			if market.dates.last().is_some_and(|last| last.as_str() >= *date) {
				return Err(format!("{name}:{}: dates must increase", i + 1));
			}
			market.dates.push((*date).to_string());
			market.closes.push(close);
		}
		if market.closes.len() < 2 {
			return Err(format!("{name}: fewer than two days"));
		}
		Ok(market)
	}

	/// The series at `path`, read once per process.
	pub fn load(path: &Path) -> Result<Arc<Market>, String> {
		static CACHE: OnceLock<Mutex<BTreeMap<PathBuf, Arc<Market>>>> = OnceLock::new();
		let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
		if let Some(m) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
			return Ok(m);
		}
		let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
		let market = Arc::new(Market::parse(&path.display().to_string(), &text)?);
		if let Ok(mut c) = cache.lock() {
			c.insert(path.to_path_buf(), market.clone());
		}
		Ok(market)
	}

	/// The row of `date`.
	pub fn day_of(&self, date: &str) -> Result<usize, String> {
		self.dates
			.binary_search_by(|d| d.as_str().cmp(date))
			.map_err(|_| format!("{date} is not a trading day of the series"))
	}

	/// The target of every day (day 0 has no previous close: its return targets are 0).
	pub fn targets(&self, target: Target) -> Vec<f64> {
		let mut out = Vec::with_capacity(self.closes.len());
		let mut previous = None;
		for &close in &self.closes {
			let r = previous.map(|p: f64| (close / p).ln() * 100.0).unwrap_or(0.0);
			out.push(match target {
				Target::AbsLogReturnPct => r.abs(),
				Target::LogReturnPct => r,
				Target::Close => close,
			});
			previous = Some(close);
		}
		out
	}
}

/// A series topic ready to answer: every day's target and the nonce → day clock.
#[derive(Clone, Debug)]
pub struct SeriesTopic {
	/// The market.
	pub market: Arc<Market>,
	/// Every day's target value.
	pub targets: Arc<Vec<f64>>,
	/// What is predicted.
	pub target: Target,
	/// The day predicted at `first_nonce`.
	pub first_day: usize,
	/// See [`SeriesSource::first_nonce`].
	pub first_nonce: u32,
	/// See [`SeriesSource::epoch_length`].
	pub epoch_length: u32,
}

/// The targets computed per (file, target name), once per process.
type TargetCache = BTreeMap<(PathBuf, &'static str), Arc<Vec<f64>>>;

impl SeriesTopic {
	/// Loads `source` (the file is read once per process).
	pub fn open(source: &SeriesSource) -> Result<SeriesTopic, String> {
		if source.epoch_length == 0 {
			return Err("`epoch_length` must be positive".into());
		}
		static TARGETS: OnceLock<Mutex<TargetCache>> = OnceLock::new();
		let market = Market::load(&source.path)?;
		let key = (source.path.clone(), source.target.name());
		let cache = TARGETS.get_or_init(|| Mutex::new(BTreeMap::new()));
		let cached = cache.lock().ok().and_then(|c| c.get(&key).cloned());
		let targets = match cached {
			Some(t) => t,
			None => {
				let t = Arc::new(market.targets(source.target));
				if let Ok(mut c) = cache.lock() {
					c.insert(key, t.clone());
				}
				t
			},
		};
		let first_day = market.day_of(&source.first_date)?;
		if first_day == 0 {
			return Err("`first_date` must have a previous day".into());
		}
		Ok(SeriesTopic {
			market,
			targets,
			target: source.target,
			first_day,
			first_nonce: source.first_nonce,
			epoch_length: source.epoch_length,
		})
	}

	/// The trading day nonce `nonce` predicts: one day per epoch after `first_nonce`, rounded to
	/// the nearest epoch (an epoch end deferred by a few blocks stays on its day).
	pub fn day(&self, nonce: u32) -> Result<usize, String> {
		let e = i64::from(self.epoch_length);
		let offset = i64::from(nonce) - i64::from(self.first_nonce);
		let epochs = (offset + e / 2).div_euclid(e);
		let day = i64::try_from(self.first_day).unwrap_or(i64::MAX).saturating_add(epochs);
		match usize::try_from(day) {
			Ok(day) if epochs >= 0 && day < self.targets.len() => Ok(day),
			_ if epochs < 0 => Err(format!("nonce {nonce} is before the series' first nonce")),
			_ => Err(format!("nonce {nonce} is after the series' last day")),
		}
	}

	/// The targets known before `day` (days 1..day; day 0 has no return).
	pub fn known_before(&self, day: usize) -> &[f64] {
		self.targets.get(1..day).unwrap_or(&[])
	}

	/// The true value of the day `nonce` predicts.
	pub fn truth(&self, nonce: u32) -> Result<f64, String> {
		let day = self.day(nonce)?;
		self.targets.get(day).copied().ok_or_else(|| format!("no day {day}"))
	}
}

/// `value` as the decimal text the chain's fixed-point numbers read (nine decimals).
pub fn decimal(value: f64) -> String {
	format!("{value:.9}")
}

#[cfg(test)]
mod tests {
	use super::*;

	const CSV: &str = "Date,Open,High,Low,Close,Volume,OpenInt\n\
		2008-01-02,1,1,1,100,1,0\n2008-01-03,1,1,1,110,1,0\n2008-01-04,1,1,1,99,1,0\n2008-01-07,1,1,1,99,1,0\n";

	#[test]
	fn targets_are_the_day_moves_in_percent() -> Result<(), String> {
		let m = Market::parse("m.csv", CSV)?;
		assert_eq!(m.day_of("2008-01-04")?, 2);
		assert!(m.day_of("2008-01-05").is_err(), "a weekend is not a trading day");
		let abs = m.targets(Target::AbsLogReturnPct);
		let log = m.targets(Target::LogReturnPct);
		assert_eq!(abs[0], 0.0);
		assert!((log[1] - 9.531_017_980_432_493).abs() < 1e-12, "ln(1.1) = 0.0953…");
		assert!((log[2] + 10.536_051_565_782_63).abs() < 1e-12, "ln(0.9) = −0.1053…");
		assert!((abs[2] - 10.536_051_565_782_63).abs() < 1e-12);
		assert_eq!(m.targets(Target::Close)[3], 99.0);
		assert!(Market::parse("m.csv", "Date,Close\n2008-01-02,1\n2008-01-01,2\n").is_err());
		assert!(Market::parse("m.csv", "Date,Close\n2008-01-02,-1\n2008-01-03,2\n").is_err());
		assert!(Market::parse("m.csv", "Day,Close\n2008-01-02,1\n").is_err());
		Ok(())
	}

	#[test]
	fn the_clock_maps_one_epoch_to_one_day_and_never_shows_the_future() -> Result<(), String> {
		let dir = std::env::temp_dir().join(format!("allora-market-{}", std::process::id()));
		std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
		let path = dir.join("m.csv");
		std::fs::write(&path, CSV).map_err(|e| e.to_string())?;
		let source = SeriesSource {
			path,
			target: Target::Close,
			first_nonce: 40,
			epoch_length: 4,
			first_date: "2008-01-03".into(),
		};
		let topic = SeriesTopic::open(&source)?;
		assert_eq!(topic.day(40)?, 1);
		assert_eq!(topic.day(44)?, 2);
		assert_eq!(topic.day(45)?, 2, "an epoch end deferred by a block keeps its day");
		assert_eq!(topic.day(48)?, 3);
		assert!(topic.day(36).is_err(), "before the first nonce");
		assert!(topic.day(52).is_err(), "after the last day");
		assert_eq!(topic.truth(44)?, 99.0);
		assert_eq!(topic.known_before(2), &[110.0], "day 1 only: day 2 is the one predicted");
		let bad = SeriesTopic::open(&SeriesSource { first_date: "2008-01-02".into(), ..source });
		assert!(bad.is_err(), "the first day has no previous close");
		std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())?;
		Ok(())
	}
}
