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

/// Waits up to `secs` for `child` to exit; kills it otherwise.
fn exit_within(child: &mut std::process::Child, secs: u64) -> Option<std::process::ExitStatus> {
	let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
	while std::time::Instant::now() < deadline {
		if let Ok(Some(status)) = child.try_wait() {
			return Some(status);
		}
		std::thread::sleep(std::time::Duration::from_millis(100));
	}
	let _ = child.kill();
	let _ = child.wait();
	None
}

#[test]
fn a_fast_chain_ahead_of_time_is_not_continued_by_babe() {
	use std::process::Stdio;
	let dir = std::env::temp_dir().join(format!("allora-fast-restart-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	let base = dir.to_str().expect("utf8 path").to_string();
	let node = |extra: &[&str]| {
		let mut args = vec!["--dev", "--base-path", &base, "--rpc-port", "0", "--port", "0"];
		args.extend_from_slice(extra);
		Command::new(env!("CARGO_BIN_EXE_allora-node"))
			.args(args)
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.expect("allora-node starts")
	};
	// 100 ms blocks until block 20: the chain's clock (6 s per block) runs 2 minutes ahead.
	let mut fast = node(&["--dev-block-time", "100"]);
	let (tx, rx) = std::sync::mpsc::channel();
	if let Some(pipe) = fast.stderr.take() {
		std::thread::spawn(move || {
			use std::io::BufRead;
			for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
				if line.contains("Imported #20 ") {
					let _ = tx.send(());
				}
			}
		});
	}
	let sealed = rx.recv_timeout(std::time::Duration::from_secs(90)).is_ok();
	let _ = fast.kill();
	let _ = fast.wait();
	assert!(sealed, "the fast chain did not reach block 20 within 90 s");
	let mut normal = node(&[]);
	let status = exit_within(&mut normal, 60);
	let mut stderr = String::new();
	if let Some(mut pipe) = normal.stderr.take() {
		let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
	}
	let _ = std::fs::remove_dir_all(&dir);
	assert_eq!(status.and_then(|s| s.code()), Some(1), "stderr: {stderr}");
	assert!(stderr.contains("s ahead of now"), "{stderr}");
	assert!(stderr.contains("--dev-block-time again"), "{stderr}");
}
