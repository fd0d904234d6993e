//! `allora-client` against a real `allora-node --dev --dev-block-time 1000` (the release binary beside this test's,
//! or `$ALLORA_NODE`): a topic is created, workers and a reputer register and stake through the
//! CLI, worker and reputer processes run from their config files, rounds are settled, the node
//! is restarted in the middle of the run (the clients reconnect and go on), and `status`
//! explains a worker's standing. Bad input (unknown topic, a key without funds, a model answer
//! that is not a number, a broken config) gives a clear message and submits nothing wrong.

use allora_client::chain::{allora, keypair, ss58, Account, Chain};
use std::{
	fs,
	path::{Path, PathBuf},
	process::{Command, Stdio},
	time::{Duration, Instant},
};

mod common;
use common::*;

/// Runs the client CLI to completion: (success, stdout, stderr).
fn cli(args: &[&str], env: &[(&str, &str)]) -> Result<(bool, String, String), String> {
	let mut command = Command::new(client_binary());
	command.args(args).env_remove("ALLORA_SECRET");
	for (k, v) in env {
		command.env(k, v);
	}
	let output = command.output().map_err(|e| e.to_string())?;
	Ok((
		output.status.success(),
		String::from_utf8_lossy(&output.stdout).into_owned(),
		String::from_utf8_lossy(&output.stderr).into_owned(),
	))
}

/// Runs the client CLI and requires success; returns its stdout.
fn cli_ok(args: &[&str], env: &[(&str, &str)]) -> Result<String, String> {
	let (ok, out, err) = cli(args, env)?;
	if ok {
		Ok(out)
	} else {
		Err(format!("allora-client {args:?} failed: {err}"))
	}
}

fn spawn_client(
	config: &Path,
	action: &[&str],
	env: &[(&str, &str)],
	log: &Path,
) -> Result<Process, String> {
	let out = fs::File::create(log).map_err(|e| e.to_string())?;
	let mut command = Command::new(client_binary());
	command.arg("--config").arg(config).args(action).stdout(Stdio::null()).stderr(out);
	for (k, v) in env {
		command.env(k, v);
	}
	command.spawn().map(Process).map_err(|e| e.to_string())
}

/// Waits (bounded) until `probe` returns a value.
async fn until<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T, String>
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let started = Instant::now();
	loop {
		if let Some(value) = probe().await {
			return Ok(value);
		}
		if started.elapsed() > timeout {
			return Err(format!("{what}: not reached within {} s", timeout.as_secs()));
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

fn count(log: &Path, needle: &str) -> usize {
	fs::read_to_string(log).map(|t| t.matches(needle).count()).unwrap_or(0)
}

async fn latest_round(chain: &Chain, topic: u64) -> Option<(u32, usize)> {
	let at = chain.at_best().await.ok()?;
	let round = at
		.runtime_apis()
		.call(allora::runtime_apis().reputation_api().latest_round(topic))
		.await
		.ok()??;
	Some((round.nonce, round.inferer_scores.len()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_and_a_reputer_take_part_through_the_client_and_survive_a_node_restart(
) -> TestResult {
	let dir = std::env::temp_dir().join(format!("allora-client-dev-node-{}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
	let (rpc, p2p, metrics) = (free_port()?, free_port()?, free_port()?);
	let url = format!("ws://127.0.0.1:{rpc}");
	let node_log = dir.join("node.log");
	let mut node_process = start_node(&dir.join("chain"), rpc, p2p, &node_log, 1_000)?;
	let chain = Chain::connect(&url, Duration::from_secs(90)).await?;

	// Governance (sudo on the dev chain) allows 4-block epochs for this test.
	let alice = Account::new(keypair("//Alice")?);
	let update = allora::runtime_types::pallet_topics::types::ParamsUpdate {
		min_epoch_length: Some(4),
		..Default::default()
	};
	let call =
		allora::Call::Topics(allora::runtime_types::pallet_topics::pallet::Call::update_params {
			update: Box::new(update),
		});
	alice.submit(&chain, &allora::tx().sudo().sudo(call)).await.map_err(|e| e.to_string())?;

	let secrets = [
		("ALICE", "//Alice"),
		("BOB", "//Bob"),
		("CHARLIE", "//Charlie"),
		("DAVE", "//Dave"),
		("EVE", "//Eve"),
		("FERDIE", "//Ferdie"),
		("NOBODY", "//Nobody"),
	];
	let node = ["--node", url.as_str()];
	let run = |args: &[&str]| cli_ok(&[&node[..], args].concat(), &secrets);

	// Alice creates the topic through the CLI; it prints the new id.
	let topic = run(&[
		"--key-env",
		"ALICE",
		"topic",
		"create",
		"--metadata",
		"client e2e",
		"--epoch-length",
		"4",
		"--ground-truth-lag",
		"4",
		"--worker-window",
		"3",
		"--inference-min",
		"0",
		"--inference-max",
		"1000",
	])?;
	let topic: u64 = topic.trim().parse().map_err(|_| format!("topic id {topic:?}"))?;
	let t = topic.to_string();
	for worker in ["BOB", "CHARLIE", "DAVE"] {
		run(&["--key-env", worker, "register", "--topic", &t, "--as", "worker"])?;
	}
	run(&["--key-env", "EVE", "register", "--topic", &t, "--as", "reputer"])?;
	run(&["--key-env", "EVE", "stake", "--topic", &t, "--amount", "1000"])?;
	// Ferdie registers as a reputer but stakes nothing: its client must wait, not pay fees
	// for bundles the runtime would refuse.
	run(&["--key-env", "FERDIE", "register", "--topic", &t, "--as", "reputer"])?;

	// Bad input through the CLI: named errors, nothing submitted.
	let (ok, _, err) = cli(
		&[node[0], node[1], "--key-env", "BOB", "register", "--topic", "999", "--as", "worker"],
		&secrets,
	)?;
	assert!(!ok && err.contains("refused by the chain: inference.TopicNotFound"), "{err}");
	let (ok, _, err) = cli(
		&[node[0], node[1], "--key-env", "BOB", "register", "--topic", &t, "--as", "worker"],
		&secrets,
	)?;
	assert!(!ok && err.contains("inference.AlreadyRegistered"), "{err}");
	let (ok, _, err) = cli(
		&[node[0], node[1], "--key-env", "NOBODY", "register", "--topic", &t, "--as", "worker"],
		&secrets,
	)?;
	assert!(
		!ok && err.contains("invalid transaction") && err.contains("pay"),
		"a key without funds: {err}"
	);
	let (ok, _, err) = cli(
		&[node[0], node[1], "--key-env", "UNSET_VARIABLE", "stake", "--topic", &t, "--amount", "1"],
		&secrets,
	)?;
	assert!(
		!ok && err.contains("the key's environment variable UNSET_VARIABLE is not set"),
		"{err}"
	);
	assert!(!err.contains("//"), "no secret is ever printed");

	// The config files: three workers (a built-in model, a program, a broken program) and a
	// reputer whose ground truth is a CSV file.
	let truth = dir.join("truth.csv");
	let rows: String = (1..=2_000).map(|n| format!("{n},100\n")).collect();
	fs::write(&truth, format!("nonce,value\n{rows}")).map_err(|e| e.to_string())?;
	let write = |name: &str, text: String| -> Result<PathBuf, String> {
		let path = dir.join(name);
		fs::write(&path, text).map_err(|e| e.to_string())?;
		Ok(path)
	};
	let bob = write(
		"bob.toml",
		format!("node = \"{url}\"\nkey = {{ env = \"BOB\" }}\nmetrics = \"127.0.0.1:{metrics}\"\n[[worker]]\ntopic = {topic}\nmodel = {{ kind = \"builtin\", name = \"constant\", value = \"100.5\" }}\n"),
	)?;
	let charlie = write(
		"charlie.toml",
		format!("node = \"{url}\"\nkey = {{ env = \"CHARLIE\" }}\n[[worker]]\ntopic = {topic}\nmodel = {{ kind = \"command\", program = \"sh\", args = [\"-c\", \"cat > /dev/null; echo '{{\\\"inference\\\": 99}}'\"] }}\n"),
	)?;
	let dave = write(
		"dave.toml",
		format!("node = \"{url}\"\nkey = {{ env = \"DAVE\" }}\n[[worker]]\ntopic = {topic}\nmodel = {{ kind = \"command\", program = \"sh\", args = [\"-c\", \"cat > /dev/null; echo '{{\\\"inference\\\": \\\"n/a\\\"}}'\"] }}\n"),
	)?;
	let eve = write(
		"eve.toml",
		format!("node = \"{url}\"\nkey = {{ env = \"EVE\" }}\n[[reputer]]\ntopic = {topic}\ntruth = {{ kind = \"csv\", path = \"{}\" }}\nkeep_minimum_stake = true\n", truth.display()),
	)?;
	let ferdie = write(
		"ferdie.toml",
		format!("node = \"{url}\"\nkey = {{ env = \"FERDIE\" }}\n[[reputer]]\ntopic = {topic}\ntruth = {{ kind = \"csv\", path = \"{}\" }}\n", truth.display()),
	)?;
	let unknown = write(
		"unknown.toml",
		format!("node = \"{url}\"\nkey = {{ env = \"BOB\" }}\n[[worker]]\ntopic = 999\nmodel = {{ kind = \"builtin\", name = \"constant\", value = \"1\" }}\n"),
	)?;
	let broken = write("broken.toml", "key = { env = \"BOB\" }\n[[worker]]\ntopic = 1\nmodel = { kind = \"http\", url = \"ftp://x\" }\n".into())?;

	let (ok, _, err) =
		cli(&["--config", &unknown.display().to_string(), "worker", "run"], &secrets)?;
	assert!(!ok && err.contains("topic 999 does not exist on the chain"), "{err}");
	let (ok, _, err) =
		cli(&["--config", &broken.display().to_string(), "worker", "run"], &secrets)?;
	assert!(
		!ok && err
			.contains("broken.toml: `worker[0].model.url`: \"ftp://x\" is not an http:// URL"),
		"{err}"
	);

	let logs = |name: &str| dir.join(format!("{name}.log"));
	let _bob = spawn_client(&bob, &["worker", "run"], &secrets, &logs("bob"))?;
	let _charlie = spawn_client(&charlie, &["worker", "run"], &secrets, &logs("charlie"))?;
	let _dave = spawn_client(&dave, &["worker", "run"], &secrets, &logs("dave"))?;
	let _eve = spawn_client(&eve, &["reputer", "run"], &secrets, &logs("eve"))?;
	let _ferdie = spawn_client(&ferdie, &["reputer", "run"], &secrets, &logs("ferdie"))?;

	// The first round is settled from the workers' inferences and Eve's losses.
	let (first, _) =
		until("a settled round", Duration::from_secs(240), || latest_round(&chain, topic)).await?;
	assert!(count(&logs("bob"), "submitted inference 100.5") >= 1);
	assert!(count(&logs("eve"), "loss bundle submitted (truth 100") >= 1);
	// Dave's model answers a word: every epoch is skipped with the reason, nothing is sent,
	// and the process keeps going.
	assert!(count(&logs("dave"), "skipped: `inference`: \"n/a\" is not a decimal number") >= 1);
	assert_eq!(count(&logs("dave"), "submitted"), 0);
	// Ferdie's stake is below the minimum: it waits (said once per nonce) and sends nothing.
	assert!(
		count(&logs("ferdie"), "is below the network's minimum (0.01 ALLO); waiting") >= 1,
		"{}",
		fs::read_to_string(logs("ferdie")).unwrap_or_default()
	);
	assert_eq!(count(&logs("ferdie"), "loss bundle submitted"), 0);
	assert_eq!(count(&logs("ferdie"), "not submitted"), 0);

	// The node restarts from its database; the clients reconnect and go on.
	let before =
		(count(&logs("bob"), "submitted inference"), count(&logs("eve"), "loss bundle submitted"));
	drop(node_process);
	tokio::time::sleep(Duration::from_secs(3)).await;
	node_process = start_node(&dir.join("chain"), rpc, p2p, &node_log, 1_000)?;
	let chain = Chain::connect(&url, Duration::from_secs(90)).await?;
	// A round after the first settlement is synthesised from regrets and scores every inferer.
	let (scored, inferers) =
		until("a round with inferer scores", Duration::from_secs(300), || async {
			latest_round(&chain, topic)
				.await
				.filter(|(nonce, scores)| *nonce > first && *scores > 0)
		})
		.await?;
	assert_eq!(inferers, 2, "Bob and Charlie were scored; Dave never submitted");
	// The scored round may hold payloads sent before the restart: wait (bounded) for the
	// clients' first submissions after it.
	until("Bob's inference after the restart", Duration::from_secs(120), || async {
		(count(&logs("bob"), "submitted inference") > before.0).then_some(())
	})
	.await?;
	until("Eve's loss bundle after the restart", Duration::from_secs(120), || async {
		(count(&logs("eve"), "loss bundle submitted") > before.1).then_some(())
	})
	.await?;
	assert!(count(&logs("dave"), "skipped") >= 2, "Dave's client kept running");

	// `status` explains a worker's standing.
	let bob_id = ss58(&keypair("//Bob")?.public_key().to_account_id());
	let status = cli_ok(&[node[0], &url, "status", "--account", &bob_id, "--topic", &t], &[])?;
	assert!(status.contains(&format!("account {bob_id}")), "{status}");
	assert!(status.contains("worker: registered (deposit 1 ALLO)"), "{status}");
	assert!(status.contains("inferer score EMA"), "{status}");
	assert!(status.contains("inferer regret"), "{status}");
	let dave_id = ss58(&keypair("//Dave")?.public_key().to_account_id());
	let status = cli_ok(&[node[0], &url, "status", "--account", &dave_id, "--topic", &t], &[])?;
	assert!(
		status.contains("not scored as a worker: no inference or forecast of yours was in nonce"),
		"{status}"
	);
	let ferdie_id = ss58(&keypair("//Ferdie")?.public_key().to_account_id());
	let status = cli_ok(&[node[0], &url, "status", "--account", &ferdie_id, "--topic", &t], &[])?;
	assert!(
		status.contains("not scored as a reputer: your stake (0 ALLO, own and delegated) is below the network's minimum (0.01 ALLO)"),
		"{status}"
	);
	let _ = scored;

	// The metrics endpoint counts Bob's submissions.
	let body = tokio::task::spawn_blocking(move || {
		use std::io::{Read, Write};
		let mut stream =
			std::net::TcpStream::connect(("127.0.0.1", metrics)).map_err(|e| e.to_string())?;
		stream
			.write_all(b"GET /metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
			.map_err(|e| e.to_string())?;
		let mut text = String::new();
		stream.read_to_string(&mut text).map_err(|e| e.to_string())?;
		Ok::<String, String>(text)
	})
	.await
	.map_err(|e| e.to_string())??;
	assert!(
		body.contains(&format!(
			"allora_client_submissions_total{{role=\"worker\",topic=\"{topic}\"}}"
		)),
		"{body}"
	);

	drop(node_process);
	let _ = fs::remove_dir_all(&dir);
	Ok(())
}
