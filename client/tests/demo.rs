//! `allora-client demo` against a real `allora-node --dev --dev-block-time 500` (the release
//! binary beside this test's, or `$ALLORA_NODE`), shortened to 14 epochs: the setup through
//! sudo, the five workers, two forecasters and two reputers on the market series, and the
//! outputs (CSV with every epoch and every participant, the plot, the summary table, the
//! participants' config files, which the client reads back); `status` of a demo worker shows
//! its scores and the rewards of a paid round.

use allora_client::{
	chain::{keypair, ss58},
	config::Config,
	demo,
};
use std::{
	fs,
	process::Command,
	time::{Duration, Instant},
};

mod common;
use common::*;

#[test]
fn the_demo_runs_a_whole_network_and_reports_on_it() -> TestResult {
	let dir = std::env::temp_dir().join(format!("allora-client-demo-{}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
	let (rpc, p2p) = (free_port()?, free_port()?);
	let url = format!("ws://127.0.0.1:{rpc}");
	let _node = start_node(&dir.join("chain"), rpc, p2p, &dir.join("node.log"), 500)?;
	let out = dir.join("out");
	let series = std::path::PathBuf::from(
		std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("demo/msft-daily.csv");
	let started = Instant::now();
	let run = Command::new(client_binary())
		.args(["--node", &url, "demo", "--epochs", "14", "--exit", "--start", "2008-09-15"])
		.arg("--series")
		.arg(&series)
		.arg("--out")
		.arg(&out)
		.output()
		.map_err(|e| e.to_string())?;
	let stdout = String::from_utf8_lossy(&run.stdout);
	assert!(
		run.status.success(),
		"demo failed: {stdout}\n{}",
		String::from_utf8_lossy(&run.stderr)
	);
	assert!(started.elapsed() < Duration::from_secs(240), "bounded");

	// The terminal and summary.md carry the table and both verdicts.
	let summary = fs::read_to_string(out.join("summary.md")).map_err(|e| e.to_string())?;
	for text in [stdout.as_ref(), summary.as_str()] {
		// Epochs in which every inferer answered (a worker may miss a window on a loaded machine).
		let compared: usize = text
			.split("All epochs (")
			.nth(1)
			.and_then(|t| t.split(' ').next())
			.and_then(|n| n.parse().ok())
			.ok_or_else(|| format!("no table: {text}"))?;
		assert!((12..=14).contains(&compared), "{text}");
		assert!(text.contains("| network |") && text.contains("| equal-weight mean |"), "{text}");
		assert!(text.contains("MSE: the network inference"), "{text}");
		assert!(text.contains("Log10 loss (what the reputers report)"), "{text}");
	}

	// The CSV: a row per epoch, one day per epoch from the start date, every inferer answered
	// every epoch, and the forecasters once they had three past rounds.
	let csv = fs::read_to_string(out.join("epochs.csv")).map_err(|e| e.to_string())?;
	let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
	assert_eq!(rows.len(), 15, "{csv}");
	let column = |name: &str| rows[0].iter().position(|c| *c == name);
	let date = column("date").ok_or("date column")?;
	assert_eq!(rows[1][date], "2008-09-15");
	assert_eq!(rows[2][date], "2008-09-16");
	assert_eq!(rows[14][date], "2008-10-02");
	// 2008-09-29: MSFT closed at 20.972 after 22.978 (ln 0.9127 = −9.135 %): the truth column
	// is the real move.
	let truth = column("truth").ok_or("truth column")?;
	let day = rows.iter().position(|r| r[date] == "2008-09-29").ok_or("2008-09-29 row")?;
	let value: f64 = rows[day][truth].parse().map_err(|_| "truth")?;
	assert!((value - 9.1349).abs() < 1e-3, "|log return| of 2008-09-29: {value}");
	for name in demo::INFERERS {
		let c = column(name).ok_or(format!("{name} column"))?;
		let answered = rows[1..].iter().filter(|r| !r[c].is_empty()).count();
		assert!(answered >= 13, "{name} answered {answered} of 14 epochs");
	}
	for name in demo::FORECASTERS {
		let c = column(&format!("implied_{name}")).ok_or(format!("{name} column"))?;
		assert!(!rows[14][c].is_empty(), "{name}'s forecast-implied inference in the last epoch");
	}

	// The plot: the network, the naive inference, the equal-weight mean and five workers.
	let svg = fs::read_to_string(out.join("rolling-loss.svg")).map_err(|e| e.to_string())?;
	assert_eq!(svg.matches("<polyline").count(), 8);

	// Every participant's configuration file is one the client accepts.
	for name in demo::INFERERS.iter().chain(demo::FORECASTERS.iter()) {
		let config = Config::load(&out.join("configs").join(format!("{name}.toml")))
			.map_err(|e| e.to_string())?;
		assert_eq!(config.worker.len(), 1);
	}
	for (name, _) in demo::REPUTERS {
		let config = Config::load(&out.join("configs").join(format!("{name}.toml")))
			.map_err(|e| e.to_string())?;
		assert_eq!(config.reputer.len(), 1);
	}

	// `status` of a demo worker: scored, with the rewards of the latest paid round.
	let who = ss58(&keypair(&demo::secret("exp-smoothing"))?.public_key().to_account_id());
	let status = Command::new(client_binary())
		.args(["--node", &url, "status", "--account", &who, "--topic", "1"])
		.output()
		.map_err(|e| e.to_string())?;
	let status = String::from_utf8_lossy(&status.stdout);
	assert!(status.contains("inferer score EMA"), "{status}");
	assert!(status.contains("rewards paid to you for it: "), "{status}");
	let _ = fs::remove_dir_all(&dir);
	Ok(())
}
