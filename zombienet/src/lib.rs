//! # allora-zombienet
//!
//! A local network of `allora-node` validators for the multi-validator tests, spawned with
//! zombienet-sdk's native provider (plain processes on free ports; no Docker, no Kubernetes):
//! a raw chain spec generated from the `local` preset with the chosen genesis validators and a
//! short clock, validators whose BABE and GRANDPA keys are the dev keys of their names, and a
//! teardown that kills every process it started.

use std::{
	path::{Path, PathBuf},
	process::Command,
	time::{Duration, Instant},
};

use allora_client::chain::{params, Chain};
use zombienet_sdk::{
	AddNodeOptions, LocalFileSystem, Network, NetworkConfigBuilder, NetworkConfigExt,
};

/// What each genesis validator bonds: the presets' 5 000 ALLO (10^18 base units each).
pub const GENESIS_BOND: u128 = 5_000 * ALLO;
/// One ALLO in base units.
pub const ALLO: u128 = 1_000_000_000_000_000_000;

/// The chain's clock on a test network (`pallet-timing`'s genesis fields).
#[derive(Clone, Copy, Debug)]
pub struct Clock {
	/// Blocks per BABE epoch (= session).
	pub epoch_duration: u64,
	/// Sessions per staking era.
	pub sessions_per_era: u32,
}

impl Clock {
	/// Seconds an era lasts with 6-second blocks.
	pub fn era_seconds(&self) -> u64 {
		self.epoch_duration.saturating_mul(u64::from(self.sessions_per_era)).saturating_mul(6)
	}
}

/// The `allora-node` binary: `$ALLORA_NODE`, or the one built beside this test binary.
pub fn node_binary() -> Result<PathBuf, String> {
	let path = match std::env::var_os("ALLORA_NODE") {
		Some(p) => PathBuf::from(p),
		None => {
			// A test binary lives in <target>/<profile>/deps/; the node in <target>/<profile>/.
			let exe = std::env::current_exe().map_err(|e| e.to_string())?;
			let profile = exe.parent().and_then(Path::parent).ok_or("no target directory")?;
			profile.join("allora-node")
		},
	};
	if path.is_file() {
		Ok(path)
	} else {
		Err(format!(
			"allora-node not found at {} (build the workspace, or set ALLORA_NODE)",
			path.display()
		))
	}
}

/// A dev name's public key in ss58 form (`scheme`: `Sr25519` or `Ed25519`), as the node's
/// `key inspect` prints it.
fn dev_public(node: &Path, name: &str, scheme: &str) -> Result<String, String> {
	let out = Command::new(node)
		.args(["key", "inspect", "--output-type", "json", "--scheme", scheme])
		.arg(format!("//{name}"))
		.output()
		.map_err(|e| format!("key inspect: {e}"))?;
	if !out.status.success() {
		return Err(format!("key inspect //{name}: {}", String::from_utf8_lossy(&out.stderr)));
	}
	let json: serde_json::Value =
		serde_json::from_slice(&out.stdout).map_err(|e| format!("key inspect output: {e}"))?;
	json["ss58PublicKey"]
		.as_str()
		.map(str::to_string)
		.ok_or_else(|| format!("key inspect printed no ss58PublicKey: {json}"))
}

/// Marks integers of 16 digits or more outside JSON strings (balances above 2^53, which
/// `serde_json` would round through f64) as strings `"#big#<digits>"`.
pub fn protect_big_integers(json: &str) -> String {
	let mut out = String::with_capacity(json.len());
	let mut in_string = false;
	let mut escaped = false;
	let mut digits = String::new();
	let flush = |digits: &mut String, out: &mut String| {
		if digits.len() >= 16 {
			out.push_str("\"#big#");
			out.push_str(digits);
			out.push('"');
		} else {
			out.push_str(digits);
		}
		digits.clear();
	};
	for c in json.chars() {
		if in_string {
			out.push(c);
			if escaped {
				escaped = false;
			} else if c == '\\' {
				escaped = true;
			} else if c == '"' {
				in_string = false;
			}
			continue;
		}
		if c.is_ascii_digit() {
			digits.push(c);
			continue;
		}
		flush(&mut digits, &mut out);
		if c == '"' {
			in_string = true;
		}
		out.push(c);
	}
	flush(&mut digits, &mut out);
	out
}

/// Turns the strings `protect_big_integers` made (and [`big`] values) back into integers.
pub fn restore_big_integers(json: &str) -> String {
	let mut out = String::with_capacity(json.len());
	let mut rest = json;
	while let Some(at) = rest.find("\"#big#") {
		let (before, marked) = rest.split_at(at);
		out.push_str(before);
		let digits_and_more = marked.get(6..).unwrap_or_default();
		let end = digits_and_more.find('"').unwrap_or(digits_and_more.len());
		out.push_str(digits_and_more.get(..end).unwrap_or_default());
		rest = digits_and_more.get(end.saturating_add(1)..).unwrap_or_default();
	}
	out.push_str(rest);
	out
}

/// An exact big integer in a JSON value that goes through [`restore_big_integers`].
pub fn big(n: u128) -> serde_json::Value {
	serde_json::Value::String(format!("#big#{n}"))
}

/// Writes the network's chain specs into `dir`: the `local` preset with `validators` (dev
/// names, e.g. "Alice") as genesis validators (session keys //Name, [`GENESIS_BOND`] each),
/// the given clock, as a plain spec and the raw spec built from it. Returns the raw spec.
pub fn write_chain_spec(dir: &Path, validators: &[&str], clock: Clock) -> Result<PathBuf, String> {
	let node = node_binary()?;
	let exported = Command::new(&node)
		.args(["export-chain-spec", "--chain", "local"])
		.output()
		.map_err(|e| format!("export-chain-spec: {e}"))?;
	if !exported.status.success() {
		return Err(format!("export-chain-spec: {}", String::from_utf8_lossy(&exported.stderr)));
	}
	let text = String::from_utf8(exported.stdout).map_err(|e| e.to_string())?;
	let mut spec: serde_json::Value = serde_json::from_str(&protect_big_integers(&text))
		.map_err(|e| format!("the exported spec: {e}"))?;
	let mut keys = Vec::new();
	let mut stakers = Vec::new();
	for name in validators {
		let account = dev_public(&node, name, "Sr25519")?;
		let grandpa = dev_public(&node, name, "Ed25519")?;
		keys.push(serde_json::json!([
			account,
			account,
			{ "babe": account, "grandpa": grandpa }
		]));
		stakers.push(serde_json::json!([account, account, big(GENESIS_BOND), "Validator"]));
	}
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.ok_or("the exported spec has no genesis patch")?;
	patch["session"]["keys"] = serde_json::Value::Array(keys);
	patch["staking"]["stakers"] = serde_json::Value::Array(stakers);
	patch["timing"]["epochDuration"] = clock.epoch_duration.into();
	patch["timing"]["sessionsPerEra"] = clock.sessions_per_era.into();
	spec["name"] = "Allora Zombienet".into();
	spec["id"] = "allora_zombienet".into();
	spec["bootNodes"] = serde_json::Value::Array(Vec::new());
	let plain_text = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
	let plain = dir.join("allora-zombienet-plain.json");
	std::fs::write(&plain, restore_big_integers(&plain_text)).map_err(|e| e.to_string())?;
	let raw = Command::new(&node)
		.args(["build-spec", "--disable-default-bootnode", "--raw", "--chain"])
		.arg(&plain)
		.output()
		.map_err(|e| format!("build-spec --raw: {e}"))?;
	if !raw.status.success() {
		return Err(format!("build-spec --raw: {}", String::from_utf8_lossy(&raw.stderr)));
	}
	let raw_path = dir.join("allora-zombienet-raw.json");
	std::fs::write(&raw_path, raw.stdout).map_err(|e| e.to_string())?;
	Ok(raw_path)
}

/// A running test network; [`TestNetwork::stop`] kills every node (dropping it does too: each
/// process is killed when its handle is dropped).
pub struct TestNetwork {
	network: Option<Network<LocalFileSystem>>,
	/// The network's directory: chain specs, and per node its database, keystore and log.
	pub base: PathBuf,
	/// The network's clock.
	pub clock: Clock,
}

impl TestNetwork {
	/// Spawns `validators` (dev names, the first one the bootnode) from a generated raw spec
	/// with `clock`; each node's keystore holds the BABE (sr25519) and GRANDPA (ed25519) keys
	/// of its name. Returns once every node is up.
	pub async fn start(validators: &[&str], clock: Clock) -> Result<TestNetwork, String> {
		let node = node_binary()?;
		let node = node.to_str().ok_or("the node's path is not UTF-8")?.to_string();
		let stamp = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_millis())
			.unwrap_or_default();
		let base =
			std::env::temp_dir().join(format!("allora-zombienet-{}-{stamp}", std::process::id()));
		let spec_dir = base.join("spec");
		std::fs::create_dir_all(&spec_dir).map_err(|e| e.to_string())?;
		let spec = write_chain_spec(&spec_dir, validators, clock)?;
		let spec = spec.to_str().ok_or("the spec's path is not UTF-8")?.to_string();
		let names: Vec<String> = validators.iter().map(|v| v.to_lowercase()).collect();
		let config = NetworkConfigBuilder::new()
			.with_relaychain(|r| {
				let r = r
					.with_chain("allora_zombienet")
					.with_default_command(node.as_str())
					.with_chain_spec_path(spec.as_str())
					.with_default_args(vec!["--no-mdns".into()]);
				let mut names = names.iter();
				let first = names.next().map(String::as_str).unwrap_or("alice");
				let mut r = r.with_validator(|n| {
					n.with_name(first).with_keystore_key_types(vec!["babe", "gran"])
				});
				for name in names {
					r = r.with_validator(|n| {
						n.with_name(name.as_str()).with_keystore_key_types(vec!["babe", "gran"])
					});
				}
				r
			})
			.with_global_settings(|g| {
				g.with_base_dir(base.clone())
					.with_network_spawn_timeout(300)
					.with_node_spawn_timeout(120)
					// A node this harness kills on purpose must not end the test process.
					.with_tear_down_on_failure(false)
			})
			.build()
			.map_err(|e| format!("network config: {e:?}"))?;
		let network = config.spawn_native().await.map_err(|e| format!("spawning: {e}"))?;
		Ok(TestNetwork { network: Some(network), base, clock })
	}

	fn network(&self) -> Result<&Network<LocalFileSystem>, String> {
		self.network.as_ref().ok_or_else(|| "the network was stopped".to_string())
	}

	/// The websocket RPC address of node `name` (lower-case dev name).
	pub fn ws_uri(&self, name: &str) -> Result<String, String> {
		Ok(self.network()?.get_node(name).map_err(|e| e.to_string())?.ws_uri().to_string())
	}

	/// A client connected to node `name`.
	pub async fn chain(&self, name: &str) -> Result<Chain, String> {
		Chain::connect(&self.ws_uri(name)?, Duration::from_secs(60)).await
	}

	/// Kills node `name` with SIGKILL (a crash: no clean shutdown).
	pub async fn kill(&self, name: &str) -> Result<(), String> {
		let node = self.network()?.get_node(name).map_err(|e| e.to_string())?;
		let data = node.base_dir().join("data");
		let pid = pid_of(&data)?;
		let status = Command::new("kill")
			.args(["-KILL", &pid.to_string()])
			.status()
			.map_err(|e| format!("kill: {e}"))?;
		if !status.success() {
			return Err(format!("kill -KILL {pid} failed"));
		}
		// Bounded: the process is gone once /proc no longer lists it as running.
		wait_for(&format!("{name} (pid {pid}) to exit"), 10, || async move { Ok(!running(pid)) })
			.await
	}

	/// Starts node `name` again with its arguments, database, keystore and network key.
	pub async fn restart(&self, name: &str) -> Result<(), String> {
		let node = self.network()?.get_node(name).map_err(|e| e.to_string())?;
		node.restart(None).await.map_err(|e| format!("restarting {name}: {e}"))?;
		node.wait_until_is_up(120u64).await.map_err(|e| format!("{name} up again: {e}"))
	}

	/// Adds a node `name` that runs as an authority (`--validator`) with an empty keystore:
	/// its operator generates the session keys (`author_rotateKeysWithOwner`).
	pub async fn add_validator_without_keys(&mut self, name: &str) -> Result<(), String> {
		let network = self.network.as_mut().ok_or("the network was stopped")?;
		let options = AddNodeOptions {
			is_validator: false,
			args: vec!["--validator".into(), "--no-mdns".into()],
			..Default::default()
		};
		network.add_node(name, options).await.map_err(|e| format!("adding {name}: {e}"))
	}

	/// The last `lines` lines of every node's log (for a failing test's report).
	pub fn log_tails(&self, lines: usize) -> String {
		let mut out = String::new();
		let Ok(entries) = std::fs::read_dir(&self.base) else { return out };
		for entry in entries.flatten() {
			let name = entry.file_name().to_string_lossy().to_string();
			let log = entry.path().join(format!("{name}.log"));
			if let Ok(text) = std::fs::read_to_string(&log) {
				let tail: Vec<&str> = text.lines().rev().take(lines).collect();
				out.push_str(&format!("---- {name} ({})\n", log.display()));
				for line in tail.iter().rev() {
					out.push_str(line);
					out.push('\n');
				}
			}
		}
		out
	}

	/// Kills every node; removes the network's directory unless `ALLORA_ZOMBIENET_KEEP` is set.
	pub async fn stop(mut self) -> Result<(), String> {
		let result = match self.network.take() {
			Some(network) => network.destroy().await.map_err(|e| format!("teardown: {e}")),
			None => Ok(()),
		};
		if std::env::var_os("ALLORA_ZOMBIENET_KEEP").is_none() {
			let _ = std::fs::remove_dir_all(&self.base);
		} else {
			eprintln!("the network's directory is kept: {}", self.base.display());
		}
		result
	}
}

/// The pid of the running `allora-node` whose `--base-path` is `data`.
fn pid_of(data: &Path) -> Result<u32, String> {
	let wanted = data.to_string_lossy().to_string();
	for entry in std::fs::read_dir("/proc").map_err(|e| e.to_string())?.flatten() {
		let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
		let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
		let args: Vec<String> =
			cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).to_string()).collect();
		let is_node = args.first().is_some_and(|a| a.ends_with("allora-node"));
		let has_base = args
			.windows(2)
			.any(|w| w.first().is_some_and(|a| a == "--base-path") && w.get(1) == Some(&wanted));
		if is_node && has_base && running(pid) {
			return Ok(pid);
		}
	}
	Err(format!("no running allora-node with --base-path {wanted}"))
}

/// Whether `pid` is a live process (not gone, not a zombie).
fn running(pid: u32) -> bool {
	match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
		// The state follows the parenthesised command name: "pid (comm) S ...".
		Ok(stat) => stat
			.rsplit_once(')')
			.and_then(|(_, rest)| rest.split_whitespace().next())
			.is_some_and(|state| state != "Z" && state != "X"),
		Err(_) => false,
	}
}

/// Polls `check` every second until it returns `Ok(true)`; fails after `seconds` with the
/// last error seen.
pub async fn wait_for<F, Fut>(what: &str, seconds: u64, mut check: F) -> Result<(), String>
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Result<bool, String>>,
{
	let deadline = Instant::now() + Duration::from_secs(seconds);
	let mut last = String::from("never true");
	loop {
		// A check that hangs (an RPC call to a stalled node) is given up on at the deadline
		// (plus a little, so a check started just before it can still answer).
		let limit = tokio::time::Instant::from_std(deadline) + Duration::from_secs(10);
		match tokio::time::timeout_at(limit, check()).await {
			Ok(Ok(true)) => return Ok(()),
			Ok(Ok(false)) => {},
			Ok(Err(e)) => last = e,
			Err(_) => last = "a check did not answer in time".into(),
		}
		if Instant::now() >= deadline {
			return Err(format!("timed out after {seconds} s waiting for {what} (last: {last})"));
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// The node's finalized block number.
pub async fn finalized_number(chain: &Chain) -> Result<u64, String> {
	let hash = chain.request("chain_getFinalizedHead", params![]).await?;
	let header = chain.request("chain_getHeader", params![hash]).await?;
	header_number(&header)
}

/// The node's best block number.
pub async fn best_number(chain: &Chain) -> Result<u64, String> {
	chain.best_number().await.map(u64::from)
}

/// The number of a JSON header (hex string).
fn header_number(header: &serde_json::Value) -> Result<u64, String> {
	let hex =
		header["number"].as_str().ok_or_else(|| format!("a header without number: {header}"))?;
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}
