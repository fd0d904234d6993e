//! The committed chain specs are what the current runtime generates.
//!
//! The runtime's wasm blob (`code`, the `:code` storage key in raw specs) is left out of the
//! comparison: its bytes depend on the build machine's paths. Everything else (names, ids,
//! properties, the genesis patch, and every other raw storage entry) must match exactly.

use serde_json::Value;
use std::{path::PathBuf, process::Command};

const CODE_KEY: &str = "0x3a636f6465";

fn repo_root() -> PathBuf {
	PathBuf::from(
		std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("..")
}

fn export(chain: &str, raw: bool) -> Value {
	let mut cmd = Command::new(env!("CARGO_BIN_EXE_allora-node"));
	cmd.args(["export-chain-spec", "--chain", chain]);
	if raw {
		cmd.arg("--raw");
	}
	let out = cmd.output().expect("allora-node runs");
	assert!(
		out.status.success(),
		"export-chain-spec {chain} failed: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	serde_json::from_slice(&out.stdout).expect("export-chain-spec prints JSON")
}

fn committed(file: &str) -> Value {
	let path = repo_root().join("chain-specs").join(file);
	let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
		panic!("{} is missing ({e}): run scripts/generate-chain-specs.sh", path.display())
	});
	serde_json::from_str(&text).expect("committed chain spec is JSON")
}

fn without_code(mut spec: Value) -> Value {
	let genesis = &mut spec["genesis"];
	if let Some(g) = genesis.get_mut("runtimeGenesis").and_then(Value::as_object_mut) {
		assert!(g.remove("code").is_some(), "plain spec carries the runtime code");
	}
	if let Some(top) = genesis.pointer_mut("/raw/top").and_then(Value::as_object_mut) {
		assert!(top.remove(CODE_KEY).is_some(), "raw spec carries the runtime code");
	}
	spec
}

fn assert_matches(chain: &str, raw: bool, file: &str) {
	let generated = without_code(export(chain, raw));
	let committed = without_code(committed(file));
	assert!(
		generated == committed,
		"chain-specs/{file} is stale: run scripts/generate-chain-specs.sh and commit the result"
	);
}

#[test]
fn committed_dev_spec_matches_the_runtime() {
	assert_matches("dev", false, "dev.json");
}

#[test]
fn committed_local_spec_matches_the_runtime() {
	assert_matches("local", false, "local.json");
}

#[test]
fn committed_testnet_raw_spec_matches_the_runtime() {
	assert_matches("testnet", true, "testnet-raw.json");
}

#[test]
fn specs_report_allo_properties_and_expected_ids() {
	for (file, id, chain_type) in [
		("dev.json", "allora_dev", "Development"),
		("local.json", "allora_local", "Local"),
		("testnet-raw.json", "allora_testnet", "Live"),
	] {
		let spec = committed(file);
		assert_eq!(spec["id"], id, "{file}");
		assert_eq!(spec["chainType"], chain_type, "{file}");
		assert_eq!(spec["properties"]["tokenSymbol"], "ALLO", "{file}");
		assert_eq!(spec["properties"]["tokenDecimals"], 18, "{file}");
		assert_eq!(spec["properties"]["ss58Format"], 7000, "{file}");
	}
	// The testnet has no sudo key; the dev and local presets do.
	let dev = committed("dev.json");
	assert_eq!(
		dev["genesis"]["runtimeGenesis"]["patch"]["sudo"]["key"].as_str().map(str::len),
		Some(48)
	);
}

#[test]
fn testnet_has_two_validators_and_no_sudo() {
	let spec = without_code(export("testnet", false));
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	assert_eq!(patch["session"]["keys"].as_array().map(Vec::len), Some(2));
	assert_eq!(patch["sudo"]["key"], Value::Null);
	// Its two test validators are the genesis stakers: each its own controller, bonded as a
	// validator (the amount is checked by the runtime's tests: above u64, JSON loses it here).
	let session_accounts: Vec<&Value> =
		patch["session"]["keys"].as_array().into_iter().flatten().map(|k| &k[0]).collect();
	let stakers = patch["staking"]["stakers"].as_array().cloned().unwrap_or_default();
	assert_eq!(stakers.len(), 2, "stakers: {stakers:?}");
	for (staker, account) in stakers.iter().zip(session_accounts) {
		assert_eq!(&staker[0], account);
		assert_eq!(staker[1], staker[0]);
		assert_eq!(staker[3], "Validator");
	}
}
