//! Rows 301-305 of the research simulator (`../shared/data/allora-sim-epochs.csv`) through the
//! library and through the `allora-replay` binary: every output column to 1e-6 relative.

use allora_math::Fixed;
use allora_replay::{compare, layout::Layout, replay, Mode, Settings, Table};
use std::path::PathBuf;

/// The simulator file, from `$ALLORA_SHARED_DIR/data` or `../shared/data` beside the checkout.
/// Missing data fails under CI and skips (loudly) elsewhere.
fn simulator_csv() -> Option<PathBuf> {
	let shared = std::env::var_os("ALLORA_SHARED_DIR").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(
			std::env::var_os("CARGO_MANIFEST_DIR")
				.unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
		)
		.join("../../../shared")
	});
	let path = shared.join("data/allora-sim-epochs.csv");
	if path.exists() {
		return Some(path);
	}
	if std::env::var_os("CI").is_some() {
		panic!("{} is missing: the simulator vectors are required in CI", path.display());
	}
	eprintln!("SKIPPED: {} is missing (set ALLORA_SHARED_DIR)", path.display());
	None
}

fn rtol() -> Fixed {
	Fixed::from_raw(1_000_000_000_000) // 1e-6
}

#[test]
fn library_reproduces_every_output_column_of_rows_301_to_305() {
	let Some(path) = simulator_csv() else { return };
	let text = std::fs::read_to_string(&path).expect("readable simulator file");
	let input = Table::parse(&text).expect("simulator file parses");
	let layout = Layout::detect(&input).expect("simulator layout");
	assert_eq!((layout.inferers, layout.forecasters, layout.reputers), (5, 3, 5));

	let (out, notes) =
		replay(&input, Settings::default(), Mode::StateFromFirstRow).expect("replay");
	// Forecaster fractions of rows 301-302 come from the file (history before row 300 is
	// unknown), exactly as the reference tests do; nothing else does.
	assert_eq!(notes.len(), 2, "{notes:?}");
	assert!(notes.iter().all(|n| n.contains("forecaster reward fractions")));

	let columns = layout.output_columns();
	let groups = compare::compare(&out, &input, &columns, 1).expect("comparable");
	let mut failures = Vec::new();
	let mut cells = 0;
	for (group, g) in &groups {
		cells += g.cells;
		if g.max_relative_error > rtol() {
			failures.push(format!(
				"{group}: {} at row {} {}",
				g.max_relative_error,
				g.worst.0 + 1,
				g.worst.1
			));
		}
	}
	assert!(failures.is_empty(), "groups above 1e-6:\n{}", failures.join("\n"));
	// Rows 301-305 are computed: every output column of the file is compared in every row.
	let per_row = columns.iter().filter(|c| input.index.contains_key(*c)).count();
	assert_eq!(cells, 5 * per_row, "every output cell of rows 301-305 is compared");
	// The replay actually filled the computed rows (not just copied them).
	for row in 1..6 {
		assert!(out.get(row, "network_inference").is_some());
		assert!(out.get(row, "reputer_reward_4").is_some());
	}
}

#[test]
fn replay_tool_reproduces_the_simulator_file() {
	let Some(path) = simulator_csv() else { return };
	let out_path = std::env::temp_dir().join(format!("allora-replay-{}.csv", std::process::id()));
	let status = std::process::Command::new(env!("CARGO_BIN_EXE_allora-replay"))
		.arg("--state-from-first-row")
		.arg(&path)
		.arg("-o")
		.arg(&out_path)
		.arg("--compare")
		.arg(&path)
		.output()
		.expect("allora-replay runs");
	let stdout = String::from_utf8_lossy(&status.stdout);
	assert!(
		status.status.success(),
		"allora-replay failed:\n{stdout}\n{}",
		String::from_utf8_lossy(&status.stderr)
	);
	assert!(stdout.contains("rtol 0.000001: ok"), "{stdout}");
	let written = std::fs::read_to_string(&out_path).expect("output written");
	let _ = std::fs::remove_file(&out_path);
	let table = Table::parse(&written).expect("output parses");
	assert_eq!(table.rows.len(), 6);
}

#[test]
fn replay_tool_fails_above_the_tolerance_and_on_bad_input() {
	let Some(path) = simulator_csv() else { return };
	let bin = env!("CARGO_BIN_EXE_allora-replay");
	// A tolerance of 0 cannot be met by fixed-point arithmetic against 16-digit decimals.
	let out = std::process::Command::new(bin)
		.args(["--state-from-first-row", "--rtol", "0", "--compare"])
		.arg(&path)
		.arg(&path)
		.output()
		.expect("runs");
	assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));

	let dir = std::env::temp_dir().join(format!("allora-replay-bad-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir");
	let bad = dir.join("bad.csv");
	std::fs::write(&bad, "epoch,inference_0,topic_rewards\n1,abc,1\n").expect("write");
	let out =
		std::process::Command::new(bin).arg(&bad).args(["-o", "/dev/null"]).output().expect("runs");
	let _ = std::fs::remove_dir_all(&dir);
	assert_eq!(out.status.code(), Some(2));
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert_eq!(stderr.lines().count(), 1, "{stderr}");
	assert!(stderr.contains("row 1, column `inference_0`"), "{stderr}");
}
/// The fast one-out stage of the synthesis (forecasts that do not name the left-out inferer
/// are shared) gives every simulator row bit for bit as the straightforward baseline does.
#[test]
fn fast_and_baseline_synthesis_replay_the_simulator_identically() {
	let Some(path) = simulator_csv() else { return };
	let text = std::fs::read_to_string(&path).expect("readable simulator file");
	let input = Table::parse(&text).expect("simulator file parses");
	let (fast, _) = replay(&input, Settings::default(), Mode::StateFromFirstRow).expect("replay");
	let baseline_settings = Settings { one_out_baseline: true, ..Settings::default() };
	let (baseline, _) =
		replay(&input, baseline_settings, Mode::StateFromFirstRow).expect("baseline replay");
	assert_eq!(fast, baseline);
	assert!(fast.get(5, "network_inference_oneout_0").is_some());
}

/// Other shapes, generated by the independent oracle (`../shared/oracle/verify_sim.py`, 40-digit
/// decimals) through `tests/oracle/generate_case.py`: the library must reproduce every output
/// column it computes, to 1e-6 relative.
#[test]
fn replay_matches_the_independent_oracle_on_other_shapes() {
	let Some(path) = simulator_csv() else { return };
	let oracle =
		path.parent().and_then(|d| d.parent()).map(|s| s.join("oracle")).expect("shared dir");
	let generator = PathBuf::from(
		std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("tests/oracle/generate_case.py");
	for (ni, nf, nr, seed) in [(6, 5, 3, 1), (9, 6, 7, 2), (5, 5, 2, 3)] {
		let out = match std::process::Command::new("python3")
			.arg(&generator)
			.arg(&oracle)
			.args([ni, nf, nr, 4, seed].map(|x| x.to_string()))
			.output()
		{
			Ok(o) if o.status.success() => o,
			Ok(o) => {
				panic!("oracle case generation failed: {}", String::from_utf8_lossy(&o.stderr))
			},
			Err(e) => {
				assert!(std::env::var_os("CI").is_none(), "python3 is required in CI: {e}");
				eprintln!("SKIPPED: python3 unavailable ({e})");
				return;
			},
		};
		let input =
			Table::parse(&String::from_utf8_lossy(&out.stdout)).expect("generated case parses");
		let layout = Layout::detect(&input).expect("layout");
		assert_eq!((layout.inferers, layout.forecasters, layout.reputers), (ni, nf, nr));
		let (replayed, notes) =
			replay(&input, Settings::default(), Mode::StateFromFirstRow).expect("replay");
		assert!(notes.is_empty(), "{notes:?}");
		// The straightforward one-out stage gives the same table, bit for bit.
		let baseline = Settings { one_out_baseline: true, ..Settings::default() };
		let (replayed_baseline, _) =
			replay(&input, baseline, Mode::StateFromFirstRow).expect("baseline replay");
		assert_eq!(replayed, replayed_baseline, "({ni},{nf},{nr}) baseline");
		let groups =
			compare::compare(&replayed, &input, &layout.output_columns(), 1).expect("comparable");
		// Synthesis, losses, regrets, reputer consensus and rewards are all covered.
		for g in [
			"network_inference",
			"network_loss",
			"inference_regret_worker_*_oneout_*",
			"reputer_listening_coefficient_*",
			"inferer_reward_*",
			"forecaster_reward_*",
			"reputer_reward_*",
		] {
			assert!(groups.contains_key(g), "{ni},{nf},{nr}: group {g} not compared");
		}
		for (group, e) in &groups {
			assert!(
				e.max_relative_error <= rtol(),
				"({ni},{nf},{nr}) {group}: {} at row {} {}",
				e.max_relative_error,
				e.worst.0 + 1,
				e.worst.1
			);
		}
	}
}

/// Fresh mode: a brand-new topic. Rows 1-2 have no network loss yet (median), later rows run
/// in "all new" mode (initial regret 0, plain means) with regrets growing from 0; the network
/// losses depend only on the row's reports, so they equal the simulator's. A worker that skips
/// a round is left out of that round and of the losses that evaluate it.
#[test]
fn fresh_mode_starts_a_new_topic_and_handles_a_skipped_round() {
	let Some(path) = simulator_csv() else { return };
	let mut input =
		Table::parse(&std::fs::read_to_string(&path).expect("readable")).expect("parses");
	let original = input.clone();
	input.set(2, "inference_3", None); // inferer 3 skips row 3 (epoch 302)
									// Rows 2 and 3 judge rows 1 and 2, synthesised in the median mode: honest reputers report
									// the combined, naive and inferer losses only (decision 12; the chain refuses the rest).
	let judged_median: Vec<String> = input
		.columns
		.iter()
		.filter(|c| {
			c.starts_with("reputer_")
				&& c.contains("_loss_")
				&& !c.ends_with("_loss_network_inference")
				&& !c.ends_with("_loss_naive_network_inference")
				&& !c.split("_loss_").nth(1).is_some_and(|x| {
					x.strip_prefix("inference_").is_some_and(|j| j.parse::<u32>().is_ok())
				})
		})
		.cloned()
		.collect();
	for row in [1, 2] {
		for c in &judged_median {
			input.set(row, c, None);
		}
	}
	let (out, notes) = replay(&input, Settings::default(), Mode::Fresh).expect("replay");
	// Their reward steps are skipped as on chain: no inferer has a one-out score.
	for row in [2, 3] {
		let note = format!(
			"row {row}: reward step skipped: NoScoredInferers (no inferer has a one-out value)"
		);
		assert!(notes.contains(&note), "{notes:?}");
	}
	let f = |s: &str| s.parse::<Fixed>().expect("decimal");

	// Row 1: median of the inferences, nothing else.
	let mut row1: Vec<Fixed> =
		(0..5).map(|j| input.get(0, &format!("inference_{j}")).expect("inference")).collect();
	row1.sort();
	assert_eq!(out.get(0, "network_inference"), Some(row1[2]));
	assert_eq!(out.get(0, "network_naive_inference"), Some(Fixed::ZERO));
	for col in
		["network_loss", "inference_regret_worker_0", "reputer_score_0", "forecaster_score_ratio"]
	{
		assert_eq!(out.get(0, col), None, "{col} filled in row 1");
	}

	// Row 2: losses as the simulator's (same reports and stakes), regrets from an initial
	// regret of 0, and no reward step.
	for col in ["network_loss", "network_naive_loss", "inference_loss_2"] {
		let (got, want) = (out.get(1, col).expect(col), original.get(1, col).expect(col));
		assert!(compare::relative_error(got, want) <= rtol(), "{col}: {got} vs {want}");
	}
	// Row 2's predictions are combined before its losses arrive: still no network loss.
	let mut row2: Vec<Fixed> =
		(0..5).map(|j| input.get(1, &format!("inference_{j}")).expect("inference")).collect();
	row2.sort();
	assert_eq!(out.get(1, "network_inference"), Some(row2[2]));
	let (l_i, l_0) =
		(out.get(1, "network_loss").expect("loss"), out.get(1, "inference_loss_0").expect("loss"));
	let want = f("0.1").checked_mul(l_i.checked_sub(l_0).expect("diff")).expect("ema");
	assert_eq!(out.get(1, "inference_regret_worker_0"), Some(want));
	assert_eq!(out.get(1, "network_loss_oneout_6"), None);
	assert_eq!(out.get(1, "reputer_listening_coefficient_0"), None);
	assert_eq!(out.get(1, "forecaster_score_ratio"), None);
	assert_eq!(out.get(1, "inferer_reward_0"), None);
	// Row 4 (judging row 3, all-new mode) is paid.
	assert!(out.get(3, "reputer_listening_coefficient_0").is_some());
	assert!(out.get(3, "inferer_reward_0").is_some_and(|r| r.is_positive()));

	// Row 3: "all new" mode (a network loss exists, the initial regret is still 0): the plain
	// mean of the inferences; inferer 3 did not submit, so the one-out value without it does
	// not exist.
	let row3: Vec<Fixed> = [0, 1, 2, 4]
		.iter()
		.map(|j| input.get(2, &format!("inference_{j}")).expect("inference"))
		.collect();
	let mean =
		Fixed::checked_sum(row3.iter().copied()).and_then(|s| s.checked_div_int(4)).expect("mean");
	assert_eq!(out.get(2, "network_inference"), Some(mean));
	assert_eq!(out.get(2, "network_inference_oneout_3"), None);
	// Row 4's losses evaluate row 3: nothing about inferer 3 is counted or updated.
	assert_eq!(out.get(3, "inference_loss_3"), None);
	assert_eq!(out.get(3, "inference_regret_worker_3"), None);
	assert_eq!(out.get(3, "inferer_score_3"), None);
	assert!(out.get(3, "inference_regret_worker_2").is_some());
	// Row 5 has inferer 3 again.
	assert!(out.get(4, "inference_loss_3").is_some());
}
