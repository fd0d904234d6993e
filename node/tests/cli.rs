//! Bad command-line input gets one clear line on stderr and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_allora-node"))
		.args(args)
		.output()
		.expect("allora-node runs");
	(out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_missing_chain_spec_file_is_a_one_line_error() {
	let (code, stderr) = run(&["--chain", "/nonexistent/allora-spec.json", "--tmp"]);
	assert_eq!(code, Some(1));
	let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
	assert_eq!(lines.len(), 1, "stderr: {stderr}");
	assert!(lines[0].starts_with("Error: "), "{}", lines[0]);
	assert!(lines[0].contains("/nonexistent/allora-spec.json"), "{}", lines[0]);
}

#[test]
fn a_malformed_chain_spec_file_is_a_one_line_error() {
	let dir = std::env::temp_dir().join(format!("allora-cli-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir");
	let path = dir.join("broken.json");
	std::fs::write(&path, "{ \"name\": \"half a spec\", ").expect("write");
	let (code, stderr) = run(&["--chain", path.to_str().expect("utf8 path"), "--tmp"]);
	let _ = std::fs::remove_dir_all(&dir);
	assert_eq!(code, Some(1));
	let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
	assert_eq!(lines.len(), 1, "stderr: {stderr}");
	assert!(lines[0].contains("broken.json"), "{}", lines[0]);
}

#[test]
fn export_chain_spec_of_an_unknown_file_fails() {
	let (code, stderr) = run(&["export-chain-spec", "--chain", "no-such-spec.json"]);
	assert_eq!(code, Some(1));
	assert!(stderr.contains("no-such-spec.json"), "{stderr}");
}

#[test]
fn the_fast_development_mode_needs_dev() {
	let (code, stderr) = run(&["--dev-block-time", "500", "--tmp"]);
	assert_eq!(code, Some(1));
	let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
	assert_eq!(lines.len(), 1, "stderr: {stderr}");
	assert!(
		lines[0].contains("--dev-block-time is a development mode: use it with --dev"),
		"{}",
		lines[0]
	);
	let (code, stderr) = run(&["--dev", "--dev-block-time", "10", "--tmp"]);
	assert_eq!(code, Some(2), "below the 50 ms floor: {stderr}");
}
