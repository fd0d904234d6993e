//! What the demo measured, as pure functions: the epoch records, their CSV, the summary table
//! (mean loss of the network inference, the naive network inference, the equal-weight mean and
//! every worker over the same epochs) and an SVG plot of the rolling losses.

use std::{collections::BTreeMap, fmt::Write};

/// One epoch of the demo's topic as the chain published it when the worker window closed.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochRecord {
	/// The worker nonce.
	pub nonce: u32,
	/// The trading day it predicts.
	pub date: String,
	/// The true value of that day.
	pub truth: f64,
	/// The network inference.
	pub network: f64,
	/// The naive network inference (inferers only, no forecasts).
	pub naive: f64,
	/// Each inferer's inference, by participant name.
	pub inferers: BTreeMap<String, f64>,
	/// Each forecaster's forecast-implied inference, by participant name.
	pub implied: BTreeMap<String, f64>,
}

impl EpochRecord {
	/// The plain mean of the inferers' values (what a consumer gets without the network).
	pub fn equal_weight(&self) -> Option<f64> {
		(!self.inferers.is_empty())
			.then(|| self.inferers.values().sum::<f64>() / self.inferers.len() as f64)
	}

	/// Every predictor's value this epoch: network, naive, equal-weight mean, then each inferer.
	pub fn predictors(&self) -> Vec<(String, f64)> {
		let mut out = vec![("network".to_string(), self.network), ("naive".into(), self.naive)];
		if let Some(m) = self.equal_weight() {
			out.push(("equal-weight mean".into(), m));
		}
		out.extend(self.inferers.iter().map(|(k, v)| (k.clone(), *v)));
		out
	}
}

/// The squared error of `value`.
pub fn squared_error(value: f64, truth: f64) -> f64 {
	(value - truth).powi(2)
}

/// One line of the summary table.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
	/// The predictor.
	pub name: String,
	/// Mean squared error over the compared epochs.
	pub mse: f64,
	/// Mean of log10 squared errors (what the reputers report, floored at 1e-12).
	pub mean_log_loss: f64,
}

/// The summary over the epochs in which every inferer answered (so that every line is
/// measured on the same days).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
	/// Epochs compared.
	pub epochs: usize,
	/// Network, naive, equal-weight mean, then the workers (best MSE first).
	pub lines: Vec<Line>,
}

impl Summary {
	/// The summary of `records` with `inferers` (participant names); `skip` first epochs left out.
	pub fn of(records: &[EpochRecord], inferers: &[String], skip: usize) -> Summary {
		let compared: Vec<&EpochRecord> = records
			.iter()
			.skip(skip)
			.filter(|r| inferers.iter().all(|i| r.inferers.contains_key(i)))
			.collect();
		let mut sums: Vec<(String, f64, f64)> = Vec::new();
		for r in &compared {
			for (name, value) in r.predictors() {
				let se = squared_error(value, r.truth);
				match sums.iter_mut().find(|(n, _, _)| *n == name) {
					Some(entry) => {
						entry.1 += se;
						entry.2 += se.max(1e-12).log10();
					},
					None => sums.push((name, se, se.max(1e-12).log10())),
				}
			}
		}
		let n = compared.len().max(1) as f64;
		let mut lines: Vec<Line> = sums
			.into_iter()
			.map(|(name, se, log)| Line { name, mse: se / n, mean_log_loss: log / n })
			.collect();
		// The three network lines first, then the workers from best to worst.
		let split = lines.len().min(3);
		lines[split..].sort_by(|a, b| a.mse.total_cmp(&b.mse));
		Summary { epochs: compared.len(), lines }
	}

	/// The line called `name`.
	pub fn line(&self, name: &str) -> Option<&Line> {
		self.lines.iter().find(|l| l.name == name)
	}

	/// The best single worker (lowest MSE).
	pub fn best_worker(&self) -> Option<&Line> {
		self.lines.get(3..).and_then(|w| w.first())
	}

	/// The table as text, with the verdict on the seed's claim.
	pub fn table(&self, title: &str) -> String {
		let mut out = format!("{title} ({} epochs)\n", self.epochs);
		let _ = writeln!(out, "| predictor | MSE | vs best worker | mean log10 loss |");
		let _ = writeln!(out, "|---|---:|---:|---:|");
		let best = self.best_worker().map(|b| b.mse).unwrap_or(f64::NAN);
		for line in &self.lines {
			let _ = writeln!(
				out,
				"| {} | {:.4} | {:+.1} % | {:.4} |",
				line.name,
				line.mse,
				(line.mse / best - 1.0) * 100.0,
				line.mean_log_loss
			);
		}
		if let (Some(net), Some(best)) = (self.line("network"), self.best_worker()) {
			let verdict = if net.mse < best.mse { "beats" } else { "does not beat" };
			let _ = writeln!(
				out,
				"MSE: the network inference {verdict} the best single worker ({}): {:.4} vs {:.4}.",
				best.name, net.mse, best.mse
			);
		}
		let workers = self.lines.get(3..).unwrap_or(&[]);
		let best_log = workers.iter().min_by(|a, b| a.mean_log_loss.total_cmp(&b.mean_log_loss));
		if let (Some(net), Some(best)) = (self.line("network"), best_log) {
			let verdict =
				if net.mean_log_loss < best.mean_log_loss { "beats" } else { "does not beat" };
			let _ = writeln!(
				out,
				"Log10 loss (what the reputers report): the network inference {verdict} the best single worker ({}): {:.4} vs {:.4}.",
				best.name, net.mean_log_loss, best.mean_log_loss
			);
		}
		out
	}
}

/// The records as CSV: values, then squared errors, one row per epoch.
pub fn csv(records: &[EpochRecord], inferers: &[String], forecasters: &[String]) -> String {
	let mut out = String::from("epoch,nonce,date,truth,network,naive,equal_weight");
	for i in inferers {
		let _ = write!(out, ",{i}");
	}
	for f in forecasters {
		let _ = write!(out, ",implied_{f}");
	}
	out.push_str(",se_network,se_naive,se_equal_weight");
	for i in inferers {
		let _ = write!(out, ",se_{i}");
	}
	out.push('\n');
	let cell = |v: Option<f64>| v.map(|v| format!("{v:.9}")).unwrap_or_default();
	for (k, r) in records.iter().enumerate() {
		let mean = r.equal_weight();
		let _ = write!(
			out,
			"{},{},{},{:.9},{:.9},{:.9},{}",
			k + 1,
			r.nonce,
			r.date,
			r.truth,
			r.network,
			r.naive,
			cell(mean)
		);
		for i in inferers {
			let _ = write!(out, ",{}", cell(r.inferers.get(i).copied()));
		}
		for f in forecasters {
			let _ = write!(out, ",{}", cell(r.implied.get(f).copied()));
		}
		let se = |v: Option<f64>| cell(v.map(|v| squared_error(v, r.truth)));
		let _ = write!(out, ",{},{},{}", se(Some(r.network)), se(Some(r.naive)), se(mean));
		for i in inferers {
			let _ = write!(out, ",{}", se(r.inferers.get(i).copied()));
		}
		out.push('\n');
	}
	out
}

/// The rolling mean (over `window` epochs) of each predictor's squared error.
pub fn rolling_losses(records: &[EpochRecord], window: usize) -> BTreeMap<String, Vec<f64>> {
	let mut errors: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
	for (k, r) in records.iter().enumerate() {
		for (name, value) in r.predictors() {
			let series = errors.entry(name).or_default();
			series.resize(k, None);
			series.push(Some(squared_error(value, r.truth)));
		}
	}
	errors
		.into_iter()
		.map(|(name, mut series)| {
			series.resize(records.len(), None);
			let rolled = (0..series.len())
				.map(|k| {
					let from = (k + 1).saturating_sub(window.max(1));
					let seen: Vec<f64> =
						series.get(from..=k).unwrap_or(&[]).iter().flatten().copied().collect();
					if seen.is_empty() {
						f64::NAN
					} else {
						seen.iter().sum::<f64>() / seen.len() as f64
					}
				})
				.collect();
			(name, rolled)
		})
		.collect()
}

const COLOURS: [&str; 10] = [
	"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
	"#17becf", "#ff7f0e",
];

/// An SVG line chart of the rolling losses (log10 scale), the network's line drawn last and
/// thickest; `dates` label the x axis.
pub fn svg(title: &str, losses: &BTreeMap<String, Vec<f64>>, dates: &[String]) -> String {
	let (w, h, left, right, top, bottom) = (960.0, 540.0, 70.0, 200.0, 40.0, 50.0);
	let (pw, ph) = (w - left - right, h - top - bottom);
	let values = losses.values().flatten().filter(|v| v.is_finite() && **v > 0.0);
	let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
		(lo.min(v.log10()), hi.max(v.log10()))
	});
	let (lo, hi) = if lo.is_finite() && hi > lo { (lo.floor(), hi.ceil()) } else { (-1.0, 1.0) };
	let n = losses.values().map(Vec::len).max().unwrap_or(0).max(2);
	let x = |k: usize| left + pw * k as f64 / (n - 1) as f64;
	let y = |v: f64| top + ph * (1.0 - (v.log10() - lo) / (hi - lo));
	let mut out = format!(
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
		 font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" \
		 fill=\"white\"/>\n<text x=\"{left}\" y=\"24\" font-size=\"15\">{}</text>\n",
		escape(title)
	);
	// Axes, decades on y, dates on x.
	let _ = writeln!(
		out,
		"<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#444\"/>"
	);
	let mut decade = lo;
	while decade <= hi {
		let yy = top + ph * (1.0 - (decade - lo) / (hi - lo));
		let _ = writeln!(
			out,
			"<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#ddd\"/>\
			 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">1e{decade}</text>",
			left + pw,
			left - 6.0,
			yy + 4.0
		);
		decade += 1.0;
	}
	for k in (0..n).step_by((n / 6).max(1)) {
		if let Some(date) = dates.get(k) {
			let _ = writeln!(
				out,
				"<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
				x(k),
				top + ph + 18.0,
				escape(date)
			);
		}
	}
	let _ = writeln!(
		out,
		"<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">rolling mean squared error \
		 (log scale)</text>",
		left + pw / 2.0,
		h - 8.0
	);
	// The network last, on top.
	let mut names: Vec<&String> = losses.keys().filter(|k| *k != "network").collect();
	names.extend(losses.keys().filter(|k| *k == "network"));
	for (i, name) in names.iter().enumerate() {
		let colour = if *name == "network" { "#000000" } else { COLOURS[i % COLOURS.len()] };
		let width = if *name == "network" { 2.5 } else { 1.2 };
		let dash = if *name == "naive" || *name == "equal-weight mean" {
			" stroke-dasharray=\"6 3\""
		} else {
			""
		};
		let points: Vec<String> = losses
			.get(*name)
			.map(|s| {
				s.iter()
					.enumerate()
					.filter(|(_, v)| v.is_finite() && **v > 0.0)
					.map(|(k, v)| format!("{:.1},{:.1}", x(k), y(*v)))
					.collect()
			})
			.unwrap_or_default();
		let _ = writeln!(
			out,
			"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash} \
			 points=\"{}\"/>",
			points.join(" ")
		);
		let ly = top + 16.0 * i as f64 + 10.0;
		let _ = writeln!(
			out,
			"<line x1=\"{:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" \
			 stroke-width=\"{width}\"{dash}/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
			left + pw + 10.0,
			left + pw + 34.0,
			left + pw + 40.0,
			ly + 4.0,
			escape(name)
		);
	}
	out.push_str("</svg>\n");
	out
}

fn escape(text: &str) -> String {
	text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
	use super::*;

	fn record(nonce: u32, truth: f64, network: f64, a: f64, b: Option<f64>) -> EpochRecord {
		let mut inferers = BTreeMap::from([("a".to_string(), a)]);
		if let Some(b) = b {
			inferers.insert("b".into(), b);
		}
		EpochRecord {
			nonce,
			date: format!("d{nonce}"),
			truth,
			network,
			naive: a,
			inferers,
			implied: BTreeMap::from([("f".to_string(), network)]),
		}
	}

	#[test]
	fn the_summary_compares_everyone_on_the_same_epochs() {
		let records = vec![
			record(4, 1.0, 1.5, 2.0, Some(0.0)),
			record(8, 1.0, 1.0, 3.0, None), // b missing: left out of the comparison
			record(12, 2.0, 2.5, 2.0, Some(4.0)),
		];
		let names = ["a".to_string(), "b".to_string()];
		let s = Summary::of(&records, &names, 0);
		assert_eq!(s.epochs, 2);
		let mse = |n: &str| s.line(n).map(|l| l.mse).unwrap_or(f64::NAN);
		assert_eq!(mse("network"), 0.25);
		assert_eq!(mse("a"), 0.5, "(1 + 0) / 2");
		assert_eq!(mse("b"), 2.5, "(1 + 4) / 2");
		assert_eq!(mse("equal-weight mean"), 0.5, "means 1 and 3: (0 + 1) / 2");
		assert_eq!(s.best_worker().map(|l| l.name.as_str()), Some("a"));
		let table = s.table("t");
		assert!(table.contains("| network | 0.2500 | -50.0 % |"), "{table}");
		assert!(
			table.contains("MSE: the network inference beats the best single worker (a)"),
			"{table}"
		);
		// a's exact hit counts as 1e-12 (log10 −12): the log loss rewards it far more than MSE.
		assert!(
			table.contains("the network inference does not beat the best single worker (a): -0.6021 vs -6.0000"),
			"{table}"
		);
		assert_eq!(Summary::of(&records, &names, 1).epochs, 1, "the first epoch skipped");
	}

	#[test]
	fn csv_and_plot_hold_every_epoch() {
		let records: Vec<EpochRecord> =
			(1..=40).map(|k| record(4 * k, 1.0, 1.1, 1.0 + k as f64 / 10.0, Some(0.5))).collect();
		let names = ["a".to_string(), "b".to_string()];
		let text = csv(&records, &names, &["f".to_string()]);
		let lines: Vec<&str> = text.lines().collect();
		assert_eq!(lines.len(), 41);
		assert_eq!(
			lines[0],
			"epoch,nonce,date,truth,network,naive,equal_weight,a,b,implied_f,se_network,se_naive,se_equal_weight,se_a,se_b"
		);
		assert!(lines[1].starts_with("1,4,d4,1.000000000,1.100000000,1.100000000,0.800000000,"));
		let rolled = rolling_losses(&records, 10);
		assert!((rolled["network"][39] - 0.01).abs() < 1e-12);
		assert!((rolled["b"][0] - 0.25).abs() < 1e-12);
		// a's error k/10 squared, averaged over k = 31..=40.
		let expected = (31..=40).map(|k| (k as f64 / 10.0).powi(2)).sum::<f64>() / 10.0;
		assert!((rolled["a"][39] - expected).abs() < 1e-9);
		let dates: Vec<String> = records.iter().map(|r| r.date.clone()).collect();
		let svg = svg("t & <u>", &rolled, &dates);
		assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
		assert_eq!(svg.matches("<polyline").count(), 5, "network, naive, mean, a, b");
		assert!(svg.contains("t &amp; &lt;u&gt;"));
	}
}
