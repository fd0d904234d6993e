//! The load benchmark end to end on a small network: two topics of eight workers for two
//! epochs on the fast development chain; every payload must be included, none lost.

use std::process::Command;

/// Runs `load` with the small network's options plus `extra`; every payload included.
fn small_run(extra: &[&str]) -> Result<String, String> {
	let binary = env!("CARGO_BIN_EXE_load");
	let output = Command::new(binary)
		.args(["--topics", "2", "--workers", "8", "--forecast-elements", "3"])
		.args(["--epochs", "2", "--epoch-length", "4", "--block-time", "500"])
		.args(extra)
		.output()
		.map_err(|e| format!("running {binary}: {e}"))?;
	let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
	let stderr = String::from_utf8_lossy(&output.stderr);
	if !output.status.success() {
		return Err(format!("load failed:\n{stdout}\n{stderr}"));
	}
	// 2 topics × 8 workers × 2 epochs, all included.
	let expected =
		"payloads sent 32, included 32, rejected by the pool 0, failed in a block 0, lost 0";
	if !stdout.contains(expected) {
		return Err(format!("expected {expected:?} in:\n{stdout}"));
	}
	Ok(stdout)
}

#[test]
fn a_small_load_run_includes_every_payload() -> Result<(), String> {
	small_run(&[]).map(|_| ())
}

/// Bursts (every topic's payloads of a round sent together) and forecasts about workers not
/// counted yet (every element reads a registration) are included as well.
#[test]
fn a_small_burst_with_forecasts_about_later_workers_includes_every_payload() -> Result<(), String> {
	let stdout = small_run(&["--burst", "--forecast-later"])?;
	let described = "(3 forecast elements about workers sent later)";
	if !stdout.contains(described) || !stdout.contains("sent in bursts") {
		return Err(format!("expected a burst with later forecasts in:\n{stdout}"));
	}
	Ok(())
}
