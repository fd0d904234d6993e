//! Rows 301-305 of the research simulator (`../shared/data/allora-sim-epochs.csv`) through the
//! library and through the `allora-replay` binary: every output column to 1e-6 relative.

use allora_math::Fixed;
use allora_replay::{compare, layout::Layout, replay, Mode, Settings, Table};
use std::path::PathBuf;

/// The simulator file, from `$ALLORA_SHARED_DIR/data` or `../shared/data` beside the checkout.
/// Missing data fails under CI and skips (loudly) elsewhere.
fn simulator_csv() -> Option<PathBuf> {
	let shared = std::env::var_os("ALLORA_SHARED_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
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
