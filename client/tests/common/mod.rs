//! What the client's node tests share: the binaries, free ports, and a development node killed
//! when dropped.
#![allow(dead_code)]

use std::{
	fs,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command},
};

/// A test's outcome: an error names what went wrong.
pub type TestResult = Result<(), String>;

/// The client binary this test was built with.
pub fn client_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_allora-client"))
}

/// The release node beside the client, or `$ALLORA_NODE`.
pub fn node_binary() -> Result<PathBuf, String> {
	let path = match std::env::var_os("ALLORA_NODE") {
		Some(p) => PathBuf::from(p),
		None => client_binary().with_file_name("allora-node"),
	};
	if path.exists() {
		Ok(path)
	} else {
		Err(format!(
			"allora-node not found at {} (build the workspace, or set ALLORA_NODE)",
			path.display()
		))
	}
}

/// A TCP port nobody listens on now.
pub fn free_port() -> Result<u16, String> {
	let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
	listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A child process killed when dropped (so a failing test leaves nothing running).
pub struct Process(pub Child);

impl Drop for Process {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

/// Starts `allora-node --dev --dev-block-time <block_ms>` (the fast development mode) on the
/// given ports, its output appended to `log`.
pub fn start_node(
	base: &Path,
	rpc: u16,
	p2p: u16,
	log: &Path,
	block_ms: u32,
) -> Result<Process, String> {
	let out =
		fs::OpenOptions::new().create(true).append(true).open(log).map_err(|e| e.to_string())?;
	let err = out.try_clone().map_err(|e| e.to_string())?;
	let child = Command::new(node_binary()?)
		.args(["--dev", "--dev-block-time", &block_ms.to_string()])
		.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
		.arg("--base-path")
		.arg(base)
		.args(["--rpc-port", &rpc.to_string(), "--port", &p2p.to_string()])
		.stdout(out)
		.stderr(err)
		.spawn()
		.map_err(|e| format!("starting allora-node: {e}"))?;
	Ok(Process(child))
}
