//! The payload load benchmark (issue 11): starts its own development node, creates topics and
//! worker accounts, and has every worker send a payload at every worker nonce of its topic;
//! then prints how many payloads each block included, their charged weight against the block's
//! limit and the proposer's real time, the inclusion latency, and how many were rejected or
//! lost. `bash benchmarks/load.sh --help` lists the options.

use allora_client::{
	chain::{allora, keypair, Account, AccountId, Chain},
	commands::NewTopic,
};
use allora_math::Fixed;
use clap::Parser;
use futures::{stream, StreamExt};
use std::{
	collections::BTreeMap,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command},
	time::{Duration, Instant},
};
use subxt::utils::{MultiAddress, Static};
use subxt_signer::sr25519::Keypair;

use allora::runtime_types::{
	allora_runtime::OriginCaller, frame_support::dispatch::RawOrigin,
	pallet_topics::types::ParamsUpdate,
};

const ALLO: u128 = 1_000_000_000_000_000_000;

/// What to load the chain with.
#[derive(Parser, Debug, Clone)]
#[command(
	name = "load",
	about = "Payload load benchmark: its own dev node, many topics and workers"
)]
pub struct Options {
	/// The node binary (default: `allora-node` beside this program).
	#[arg(long)]
	pub node: Option<PathBuf>,
	/// Topics.
	#[arg(long, default_value_t = 16)]
	pub topics: u32,
	/// Workers per topic; each sends one payload per worker nonce (at most the runtime's 128
	/// active inferers: the benchmark measures admitted payloads).
	#[arg(long, default_value_t = 125)]
	pub workers: u32,
	/// Elements of a forecast attached to every payload (0: inferences only).
	#[arg(long, default_value_t = 0)]
	pub forecast_elements: u32,
	/// Forecasts name the workers sent after the forecaster (whose inferences the nonce does
	/// not count yet: every element reads a registration, the worst case) instead of the
	/// first workers of the topic.
	#[arg(long)]
	pub forecast_later: bool,
	/// Epoch length E in blocks; the worker window is E − 1 blocks.
	#[arg(long, default_value_t = 6)]
	pub epoch_length: u32,
	/// Epochs under load.
	#[arg(long, default_value_t = 3)]
	pub epochs: u32,
	/// 0: the normal development chain (BABE, 6 s slots, GRANDPA); otherwise the fast
	/// development mode sealing a block every this many milliseconds.
	#[arg(long, default_value_t = 0)]
	pub block_time: u32,
	/// Payload submissions in flight at once.
	#[arg(long, default_value_t = 64)]
	pub in_flight: usize,
	/// Hold the payloads of opened nonces until every topic's nonce of the round is open
	/// (at most until 3 blocks are left of the oldest one's window), then send them all at once: blocks full by weight, which measures
	/// how many payloads one block carries rather than how many nonces open per block.
	#[arg(long)]
	pub burst: bool,
	/// Where the node's log is written (default: a temporary file).
	#[arg(long)]
	pub node_log: Option<PathBuf>,
}

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

fn free_port() -> Result<u16, String> {
	let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
	listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn say(text: &str) {
	println!("[load] {text}");
}

/// Starts the development node on free ports; returns it and its RPC address.
fn start_node(options: &Options, base: &Path, log: &Path) -> Result<(Process, String), String> {
	let binary = match &options.node {
		Some(path) => path.clone(),
		None => std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("allora-node"),
	};
	if !binary.exists() {
		return Err(format!(
			"allora-node not found at {} (build the workspace first, or pass --node)",
			binary.display()
		));
	}
	let (rpc, p2p) = (free_port()?, free_port()?);
	let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
	let err = out.try_clone().map_err(|e| e.to_string())?;
	let mut command = Command::new(&binary);
	command.arg("--dev");
	if options.block_time > 0 {
		command.args(["--dev-block-time", &options.block_time.to_string()]);
	}
	let child = command
		.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
		.arg("--base-path")
		.arg(base)
		.args(["--rpc-port", &rpc.to_string(), "--port", &p2p.to_string()])
		// Room for every payload of an epoch in the pool.
		.args(["--pool-limit", "65536", "--pool-kbytes", "409600"])
		.args(["--rpc-max-connections", "1000"])
		.stdout(out)
		.stderr(err)
		.spawn()
		.map_err(|e| format!("starting {}: {e}", binary.display()))?;
	Ok((Process(child), format!("ws://127.0.0.1:{rpc}")))
}

/// `calls` batched (all or nothing) and submitted by `who`; with `sudo`, dispatched as Root.
async fn batch(
	chain: &Chain,
	who: &Account,
	calls: Vec<allora::Call>,
	sudo: bool,
) -> Result<subxt::extrinsics::ExtrinsicEvents<allora_client::chain::Config>, String> {
	let all =
		allora::Call::Utility(allora::runtime_types::pallet_utility::pallet::Call::batch_all {
			calls,
		});
	let events = if sudo {
		who.submit(chain, &allora::tx().sudo().sudo(all)).await
	} else {
		match all {
			allora::Call::Utility(
				allora::runtime_types::pallet_utility::pallet::Call::batch_all { calls },
			) => who.submit(chain, &allora::tx().utility().batch_all(calls)).await,
			_ => return Err("not a batch".into()),
		}
	}
	.map_err(|e| e.to_string())?;
	dispatched(&events)?;
	Ok(events)
}

/// Sudo and `dispatch_as` succeed whatever their inner call does: their events say how it went.
fn dispatched(
	events: &subxt::extrinsics::ExtrinsicEvents<allora_client::chain::Config>,
) -> Result<(), String> {
	for e in events.find::<allora::sudo::events::Sudid>() {
		let e = e.map_err(|e| e.to_string())?;
		if let Err(error) = e.sudo_result {
			return Err(format!("the sudo call failed: {error:?}"));
		}
	}
	for e in events.find::<allora::utility::events::DispatchedAs>() {
		let e = e.map_err(|e| e.to_string())?;
		if let Err(error) = e.result {
			return Err(format!("a dispatch_as call failed: {error:?}"));
		}
	}
	Ok(())
}

/// A topic every load worker can submit to: inference range [0, 1 000 000].
fn topic_config(epoch_length: u32) -> Result<NewTopic, String> {
	NewTopic::with_defaults("load benchmark", epoch_length, ("0", "1000000"), ("-30", "30"))
}

/// Governance (sudo) allows the short epochs and full active sets; Alice creates the topics
/// and stakes on each (so that they activate); the workers get ALLO and are registered.
/// Returns the topic ids and each topic's workers.
async fn set_up(
	chain: &Chain,
	alice: &Account,
	options: &Options,
) -> Result<Vec<(u64, Vec<Keypair>)>, String> {
	let at = chain.at_best().await?;
	let constant = |entry| at.constants().entry(entry).map_err(|e| e.to_string());
	let inferers = constant(allora::constants().topics().max_active_inferers())?;
	let forecasters = constant(allora::constants().topics().max_active_forecasters())?;
	if options.workers > inferers {
		return Err(format!(
			"--workers {} is above the runtime's {inferers} active inferers",
			options.workers
		));
	}
	let per_block = constant(allora::constants().topics().max_topics_per_block())?;
	let update = ParamsUpdate {
		min_epoch_length: Some(options.epoch_length),
		// As many epoch ends per block as the runtime allows (the default is 1).
		max_active_topics_per_block: Some(options.topics.clamp(1, per_block)),
		max_top_inferers_to_reward: Some(options.workers.max(1)),
		max_top_forecasters_to_reward: Some(options.workers.min(forecasters)),
		max_elements_per_forecast: (options.forecast_elements > 0)
			.then_some(options.forecast_elements),
		..Default::default()
	};
	let call =
		allora::Call::Topics(allora::runtime_types::pallet_topics::pallet::Call::update_params {
			update: Box::new(update),
		});
	let events = alice
		.submit(chain, &allora::tx().sudo().sudo(call))
		.await
		.map_err(|e| format!("network parameters: {e}"))?;
	dispatched(&events).map_err(|e| format!("network parameters: {e}"))?;
	let config = topic_config(options.epoch_length)?.config();
	let creates = (0..options.topics)
		.map(|_| {
			allora::Call::Topics(allora::runtime_types::pallet_topics::pallet::Call::create_topic {
				config: config.clone(),
			})
		})
		.collect();
	let events = batch(chain, alice, creates, false)
		.await
		.map_err(|e| format!("creating the topics: {e}"))?;
	let topics: Vec<u64> = events
		.find::<allora::topics::events::TopicCreated>()
		.filter_map(|e| e.ok().map(|e| e.topic_id))
		.collect();
	if topics.len() != options.topics as usize {
		return Err(format!("{} topics created, {} asked", topics.len(), options.topics));
	}
	say(&format!("{} topics created (E = {} blocks)", topics.len(), options.epoch_length));

	let mut all = Vec::new();
	for (t, topic) in topics.iter().enumerate() {
		let keys = (0..options.workers)
			.map(|w| keypair(&format!("//load/{t}/{w}")))
			.collect::<Result<Vec<_>, _>>()?;
		all.push((*topic, keys));
	}
	let accounts: Vec<(u64, AccountId)> = all
		.iter()
		.flat_map(|(topic, keys)| keys.iter().map(|k| (*topic, k.public_key().to_account_id())))
		.collect();
	// Funding and registration in batches of 200, sent together (the account's nonces are
	// handed out in turn).
	let fund = accounts.chunks(200).map(|chunk| {
		let calls = chunk
			.iter()
			.map(|(_, to)| {
				allora::Call::Balances(
					allora::runtime_types::pallet_balances::pallet::Call::transfer_keep_alive {
						dest: MultiAddress::Id(to.clone()),
						value: 100 * ALLO,
					},
				)
			})
			.collect();
		batch(chain, alice, calls, false)
	});
	for done in futures::future::join_all(fund).await {
		done.map_err(|e| format!("funding the workers: {e}"))?;
	}
	let register = accounts.chunks(200).map(|chunk| {
		let calls = chunk
			.iter()
			.map(|(topic, who)| {
				allora::Call::Utility(allora::runtime_types::pallet_utility::pallet::Call::dispatch_as {
					as_origin: Box::new(OriginCaller::system(RawOrigin::Signed(who.clone()))),
					call: Box::new(allora::Call::Inference(
						allora::runtime_types::pallet_inference::pallet::Call::register_worker {
							topic_id: *topic,
						},
					)),
				})
			})
			.collect();
		batch(chain, alice, calls, true)
	});
	for done in futures::future::join_all(register).await {
		let events = done.map_err(|e| format!("registering the workers: {e}"))?;
		// dispatch_as reports the inner call's failure as an event, not as an error.
		for result in events.find::<allora::utility::events::DispatchedAs>() {
			let result = result.map_err(|e| e.to_string())?;
			if let Err(e) = result.result {
				return Err(format!("registering a worker failed: {e:?}"));
			}
		}
	}
	let stakes = topics
		.iter()
		.flat_map(|topic| {
			[
				allora::Call::Stake(
					allora::runtime_types::pallet_stake::pallet::Call::register_reputer {
						topic_id: *topic,
					},
				),
				allora::Call::Stake(allora::runtime_types::pallet_stake::pallet::Call::add_stake {
					topic_id: *topic,
					amount: 1_000 * ALLO,
				}),
			]
		})
		.collect();
	batch(chain, alice, stakes, false).await.map_err(|e| format!("staking: {e}"))?;
	say(&format!(
		"{} workers funded and registered ({} per topic); Alice stakes 1 000 ALLO on each topic",
		accounts.len(),
		options.workers
	));
	Ok(all)
}

/// One payload sent to the pool.
struct Sent {
	at: Instant,
	block_seen: Option<(u64, Instant)>,
}

/// What one block held.
#[derive(Default, Clone)]
struct BlockRow {
	number: u64,
	payloads: usize,
	failed: usize,
	normal_weight_ps: u64,
}

/// The whole run's measurements.
#[derive(Default)]
struct Measured {
	sent: BTreeMap<(u64, u32, AccountId), Sent>,
	pool_rejected: Vec<String>,
	blocks: BTreeMap<u64, BlockRow>,
}

/// The transaction client at the best block.
type TxClient = subxt::tx::TransactionsClient<
	allora_client::chain::Config,
	subxt::client::OnlineClientAtBlockImpl<allora_client::chain::Config>,
>;

/// A transaction client, tried three times (a request may time out while the node authors).
async fn tx_client(chain: &Chain) -> Result<TxClient, String> {
	let mut last = String::new();
	for _ in 0..3 {
		match chain.api.tx().await {
			Ok(tx) => return Ok(tx),
			Err(e) => last = e.to_string(),
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	Err(format!("no transaction client: {last}"))
}

/// Signs and sends every worker's payload for `(topic, nonce)`; `round` is the workers' account
/// nonce (one payload per epoch each).
async fn send_round(
	topic: u64,
	nonce: u32,
	workers: &[Keypair],
	round: u64,
	in_flight: usize,
	tx: &TxClient,
	options: &Options,
) -> Vec<((u64, u32, AccountId), Result<Instant, String>)> {
	let inferers: Vec<AccountId> = workers.iter().map(|k| k.public_key().to_account_id()).collect();
	let signed: Vec<_> = workers
		.iter()
		.enumerate()
		.map(|(i, key)| {
			let who = key.public_key().to_account_id();
			let value = Fixed::from_int(1_000 + i as i64);
			let forecast = (options.forecast_elements > 0).then(|| {
				let skip = if options.forecast_later { i + 1 } else { 0 };
				allora::runtime_types::bounded_collections::bounded_vec::BoundedVec(
					inferers
						.iter()
						.cycle()
						.skip(skip)
						.take(inferers.len())
						.filter(|j| **j != who)
						.take(options.forecast_elements as usize)
						.map(|j| allora::runtime_types::pallet_inference::types::ForecastElement {
							inferer: j.clone(),
							value: Static(Fixed::from_int(-2)),
						})
						.collect(),
				)
			});
			let call = allora::tx().inference().submit_worker_payload(
				topic,
				nonce,
				Some(Static(value)),
				forecast,
			);
			let params =
				subxt::config::DefaultExtrinsicParamsBuilder::<allora_client::chain::Config>::new()
					.nonce(round)
					.build();
			let signed = tx
				.create_signable_offline(&call, params)
				.map_err(|e| e.to_string())
				.and_then(|mut s| s.sign(key).map_err(|e| e.to_string()));
			((topic, nonce, who), signed)
		})
		.collect();
	stream::iter(signed)
		.map(|(key, signed)| async move {
			let started = Instant::now();
			let result = match signed {
				Ok(tx) => tx.submit().await.map(|_| started).map_err(|e| e.to_string()),
				Err(e) => Err(e),
			};
			(key, result)
		})
		.buffer_unordered(in_flight)
		.collect()
		.await
}

/// The proposer's real time per block, from the node's log ("Prepared block for proposing at
/// N (T ms)").
fn proposer_times(log: &Path) -> BTreeMap<u64, u64> {
	let text = std::fs::read_to_string(log).unwrap_or_default();
	let mut times = BTreeMap::new();
	for line in text.lines() {
		let Some(rest) = line.split("Prepared block for proposing at ").nth(1) else { continue };
		let mut parts = rest.splitn(2, " (");
		let (Some(number), Some(time)) = (parts.next(), parts.next()) else { continue };
		let (Ok(number), Some(Ok(ms))) =
			(number.trim().parse::<u64>(), time.split(" ms").next().map(|t| t.parse::<u64>()))
		else {
			continue;
		};
		times.insert(number, ms);
	}
	times
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	if sorted.is_empty() {
		return f64::NAN;
	}
	let at = ((sorted.len() - 1) as f64 * p).round() as usize;
	sorted[at.min(sorted.len() - 1)]
}

/// Runs the benchmark and prints its report; fails when a payload was lost.
pub async fn run(options: Options) -> Result<(), String> {
	if options.workers == 0 || options.workers > 128 {
		return Err("--workers must be 1 to 128 (the runtime's active inferer set)".into());
	}
	if options.epoch_length < 3 {
		return Err("--epoch-length must be at least 3".into());
	}
	let base = std::env::temp_dir().join(format!("allora-load-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&base);
	std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
	let log = options.node_log.clone().unwrap_or_else(|| base.join("node.log"));
	let (mut node, url) = start_node(&options, &base.join("chain"), &log)?;
	let result = match connect(&mut node, &url, &log).await {
		Ok(chain) => measure(&options, &chain, &url, &log).await,
		Err(e) => Err(e),
	};
	drop(node);
	let _ = std::fs::remove_dir_all(base.join("chain"));
	result
}

/// Connects to the node started, for up to 120 s; fails at once if the node exits first.
async fn connect(node: &mut Process, url: &str, log: &Path) -> Result<Chain, String> {
	let started = std::time::Instant::now();
	loop {
		if let Some(status) = node.0.try_wait().map_err(|e| e.to_string())? {
			return Err(format!(
				"the node exited ({status}) before answering; its log: {}",
				log.display()
			));
		}
		match Chain::connect(url, Duration::from_secs(1)).await {
			Ok(chain) => return Ok(chain),
			Err(e) if started.elapsed() > Duration::from_secs(120) => return Err(e),
			Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
		}
	}
}

async fn measure(options: &Options, chain: &Chain, url: &str, log: &Path) -> Result<(), String> {
	say(&format!("node at {url}, log {}", log.display()));
	let alice = Account::new(keypair("//Alice")?);
	let topics = set_up(&chain, &alice, options).await?;
	let workers: BTreeMap<u64, Vec<Keypair>> = topics.into_iter().collect();
	let limits = {
		let at = chain.at_best().await?;
		let weights = at
			.constants()
			.entry(allora::constants().system().block_weights())
			.map_err(|e| e.to_string())?;
		weights.per_class.normal.max_total.map(|w| w.ref_time).unwrap_or(weights.max_block.ref_time)
	};

	let mut measured = Measured::default();
	let mut rounds: BTreeMap<u64, u64> = BTreeMap::new();
	let mut last_nonce_block: Option<u64> = None;
	// Opened nonces whose payloads are not sent yet (topic, nonce, block opened).
	let mut held: Vec<(u64, u32, u64)> = Vec::new();
	let mut first_block: Option<u64> = None;
	let epochs = u64::from(options.epochs);
	let window = u64::from(options.epoch_length.saturating_sub(1).max(1));
	let mut blocks = chain.best_blocks("load").await;
	let started = Instant::now();
	while let Some(block) = blocks.next().await {
		let block = block.map_err(|e| e.to_string())?;
		let seen = Instant::now();
		let number = block.number();
		let at = block.at().await.map_err(|e| e.to_string())?;
		let events = at.events().fetch().await.map_err(|e| e.to_string())?;
		let mut row = BlockRow { number, ..Default::default() };
		for submitted in events.find::<allora::inference::events::InferenceSubmitted>() {
			let Ok(e) = submitted else { continue };
			row.payloads += 1;
			if let Some(sent) = measured.sent.get_mut(&(e.topic_id, e.nonce, e.worker)) {
				sent.block_seen.get_or_insert((number, seen));
			}
		}
		row.failed = events.find::<allora::system::events::ExtrinsicFailed>().count();
		if let Ok(weight) = at.storage().fetch(allora::storage().system().block_weight(), ()).await
		{
			if let Ok(weight) = weight.decode() {
				row.normal_weight_ps = weight.normal.ref_time;
			}
		}
		let opened: Vec<(u64, u32)> = events
			.find::<allora::inference::events::WorkerNonceOpened>()
			.filter_map(|e| e.ok().map(|e| (e.topic_id, e.nonce)))
			.filter(|(topic, _)| workers.contains_key(topic))
			.collect();
		// Each topic is loaded for `epochs` nonces.
		let opened: Vec<(u64, u32)> = opened
			.into_iter()
			.filter(|(topic, _)| rounds.get(topic).copied().unwrap_or(0) < epochs)
			.collect();
		if !opened.is_empty() {
			last_nonce_block = Some(number);
			say(&format!("block {number}: worker nonces open on {} topics", opened.len()));
			held.extend(opened.into_iter().map(|(topic, nonce)| (topic, nonce, number)));
		}
		let oldest = held.first().map(|(_, _, opened_at)| *opened_at);
		let release = !options.burst
			|| held.len() >= workers.len()
			|| oldest.is_some_and(|b| number.saturating_add(3) >= b.saturating_add(window));
		if release && !held.is_empty() {
			if options.burst {
				say(&format!("block {number}: sending the payloads of {} nonces", held.len()));
			}
			// Every held nonce's payloads at once, `in_flight` submissions in all.
			let nonces = core::mem::take(&mut held);
			let in_flight = (options.in_flight / nonces.len().max(1)).max(1);
			let tx = tx_client(chain).await?;
			let mut sends = Vec::new();
			for (topic, nonce, _) in nonces {
				let Some(keys) = workers.get(&topic) else { continue };
				let round = rounds.entry(topic).or_insert(0);
				sends.push(send_round(topic, nonce, keys, *round, in_flight, &tx, options));
				*round += 1;
			}
			for (key, result) in futures::future::join_all(sends).await.into_iter().flatten() {
				match result {
					Ok(at) => {
						measured.sent.insert(key, Sent { at, block_seen: None });
					},
					Err(e) => measured.pool_rejected.push(e),
				}
			}
		}
		measured.blocks.insert(number, row);
		// Done when every topic had its nonces and the last window has closed.
		let all_loaded = workers.keys().all(|t| rounds.get(t).copied().unwrap_or(0) >= epochs);
		if all_loaded && last_nonce_block.is_some_and(|b| number > b + window + 1) {
			break;
		}
		// A topic the schedule left out (e.g. fewer epoch ends per block than topics) stalls
		// the run: say which.
		let first = *first_block.get_or_insert(number);
		if let Some(last) = last_nonce_block.or(Some(first)) {
			if number > last + 3 * u64::from(options.epoch_length) {
				let idle: Vec<u64> = workers
					.keys()
					.filter(|t| rounds.get(*t).copied().unwrap_or(0) < epochs)
					.copied()
					.collect();
				return Err(format!("no worker nonce opened since block {last}; topics short of {epochs} nonces: {idle:?}"));
			}
		}
		if started.elapsed() > Duration::from_secs(1_800) {
			return Err("the run took more than 30 minutes".into());
		}
	}
	report(options, &measured, limits, &proposer_times(log))
}

fn report(
	options: &Options,
	measured: &Measured,
	limit_ps: u64,
	proposer_ms: &BTreeMap<u64, u64>,
) -> Result<(), String> {
	let loaded: Vec<&BlockRow> = measured.blocks.values().filter(|r| r.payloads > 0).collect();
	println!();
	println!("| block | payloads | failed extrinsics | normal-class weight used | proposer time |");
	println!("|---:|---:|---:|---:|---:|");
	for row in &loaded {
		let share = row.normal_weight_ps as f64 * 100.0 / limit_ps.max(1) as f64;
		let time =
			proposer_ms.get(&row.number).map(|ms| format!("{ms} ms")).unwrap_or_else(|| "–".into());
		println!(
			"| {} | {} | {} | {:.1} % | {} |",
			row.number, row.payloads, row.failed, share, time
		);
	}
	let sent = measured.sent.len();
	let included = measured.sent.values().filter(|s| s.block_seen.is_some()).count();
	let failed: usize = loaded.iter().map(|r| r.failed).sum();
	let lost = sent.saturating_sub(included);
	let mut latency: Vec<f64> = measured
		.sent
		.values()
		.filter_map(|s| s.block_seen.map(|(_, seen)| seen.duration_since(s.at).as_secs_f64()))
		.collect();
	latency.sort_by(|a, b| a.total_cmp(b));
	let max_block = loaded.iter().map(|r| r.payloads).max().unwrap_or(0);
	let blocks_needed = loaded.len();
	let mean = if blocks_needed > 0 { included as f64 / blocks_needed as f64 } else { 0.0 };
	println!();
	println!(
		"{} topics × {} workers ({} forecast elements{}), {} epochs of {} blocks{}{}",
		options.topics,
		options.workers,
		options.forecast_elements,
		if options.forecast_later { " about workers sent later" } else { "" },
		options.epochs,
		options.epoch_length,
		if options.burst { ", sent in bursts" } else { "" },
		if options.block_time > 0 {
			format!(", fast development chain ({} ms blocks)", options.block_time)
		} else {
			", development chain (6 s BABE slots)".to_string()
		}
	);
	println!(
		"payloads sent {sent}, included {included}, rejected by the pool {}, failed in a block {failed}, lost {lost}",
		measured.pool_rejected.len()
	);
	println!(
		"payloads per block: most {max_block}, mean {mean:.0} over the {blocks_needed} blocks that held any"
	);
	println!(
		"inclusion latency (sent → in a best block): median {:.1} s, 95th percentile {:.1} s, max {:.1} s",
		percentile(&latency, 0.5),
		percentile(&latency, 0.95),
		latency.last().copied().unwrap_or(f64::NAN)
	);
	if let Some(first) = measured.pool_rejected.first() {
		println!("first pool rejection: {first}");
	}
	if lost > 0 || failed > 0 || !measured.pool_rejected.is_empty() {
		return Err(format!(
			"{lost} payloads lost, {failed} failed, {} rejected",
			measured.pool_rejected.len()
		));
	}
	Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
	let options = Options::parse();
	match run(options).await {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("load: {e}");
			std::process::ExitCode::FAILURE
		},
	}
}
