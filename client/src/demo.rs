//! The live demo: on a development chain, a topic forecasting a real market series, five
//! workers with different honest models, two loss forecasters and two reputers, all run by this
//! client's own worker and reputer loops (one process, one key each). The demo records every
//! epoch's network values as the chain published them, and writes a CSV, a plot and the summary
//! table: does the network beat its best worker?

use crate::{
	chain::{allora, keypair, ss58, Account, AccountId, Chain},
	commands::{self, NewTopic},
	config::{Adapter, ReputerTopic, WorkerTopic},
	demo_report::{self, EpochRecord, Summary},
	log,
	market::{SeriesSource, SeriesTopic, Target},
	metrics::Metrics,
	reputer,
	series_models::fixed_to_f64,
	worker,
};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// The demo's inferers: (participant name, built-in series model).
pub const INFERERS: [&str; 5] =
	["random-walk", "rolling-mean", "exp-smoothing", "online-ar", "lagged-regression"];
/// The demo's forecasters.
pub const FORECASTERS: [&str; 2] = ["loss-ewma", "loss-by-volatility"];
/// The demo's reputers and their stakes (ALLO).
pub const REPUTERS: [(&str, u128); 2] = [("reputer-1", 1_000), ("reputer-2", 600)];

/// What the demo runs.
#[derive(Clone, Debug)]
pub struct DemoOptions {
	/// The node (a development chain: Alice is sudo and funds the participants).
	pub node: String,
	/// The daily series (`Date,…,Close` CSV).
	pub series: PathBuf,
	/// The first trading day predicted.
	pub start: String,
	/// Epochs recorded before the report.
	pub epochs: usize,
	/// Blocks per epoch.
	pub epoch_length: u32,
	/// Where the CSV, the plot, the summary, the configurations and the participants' log go.
	pub out: PathBuf,
	/// Keep the network running after the report (until Ctrl-C).
	pub keep_running: bool,
}

/// The secret URI of a demo participant (well-known development keys, like `//Alice`).
pub fn secret(name: &str) -> String {
	format!("//demo-{name}")
}

/// Runs the demo; returns the summary.
pub async fn run(options: &DemoOptions) -> Result<Summary, String> {
	let started = Instant::now();
	std::fs::create_dir_all(options.out.join("configs"))
		.map_err(|e| format!("{}: {e}", options.out.display()))?;
	log::to_file(&options.out.join("participants.log"))?;
	let series = std::fs::canonicalize(&options.series)
		.map_err(|e| format!("{}: {e}", options.series.display()))?;
	// Checks the series and the start day before touching the chain.
	let probe = SeriesSource {
		path: series.clone(),
		target: Target::AbsLogReturnPct,
		first_nonce: 0,
		epoch_length: options.epoch_length,
		first_date: options.start.clone(),
	};
	let market = SeriesTopic::open(&probe)?;
	let days_left = market.targets.len().saturating_sub(market.first_day);
	if days_left < options.epochs {
		return Err(format!(
			"the series has {days_left} days from {}, fewer than --epochs {}",
			options.start, options.epochs
		));
	}

	let chain = Chain::connect(&options.node, Duration::from_secs(120)).await?;
	say(&format!("connected to {}", options.node));
	let alice = Account::new(keypair("//Alice")?);
	let topic = set_up(&chain, &alice, options).await?;
	let first_nonce = first_epoch_end(&chain, topic).await?;
	let source = SeriesSource { first_nonce, ..probe };
	say(&format!(
		"topic {topic}: epochs of {} blocks; nonce {first_nonce} predicts {}, each next epoch the next trading day",
		options.epoch_length, options.start
	));
	write_configs(&options.out.join("configs"), &options.node, topic, &source)?;

	// The participants: this client's own loops, one key each.
	let mut names: BTreeMap<AccountId, String> = BTreeMap::new();
	let mut tasks = tokio::task::JoinSet::new();
	for name in INFERERS.iter().chain(FORECASTERS.iter()) {
		let account = Account::new(keypair(&secret(name))?);
		names.insert(account.id, (*name).to_string());
		let model = Adapter::Builtin {
			name: (*name).to_string(),
			value: None,
			series: Some(source.clone()),
		};
		tasks.spawn(worker::run(
			chain.clone(),
			account,
			vec![WorkerTopic { topic, model }],
			Metrics::new()?,
		));
	}
	for (name, _) in REPUTERS {
		let account = Account::new(keypair(&secret(name))?);
		let truth = Adapter::Series(source.clone());
		tasks.spawn(reputer::run(
			chain.clone(),
			account,
			vec![ReputerTopic { topic, truth, keep_minimum_stake: true }],
			Metrics::new()?,
		));
	}
	say(&format!(
		"network running: {} inferers, {} forecasters, {} reputers (their log: {})",
		INFERERS.len(),
		FORECASTERS.len(),
		REPUTERS.len(),
		options.out.join("participants.log").display()
	));

	let market = SeriesTopic::open(&source)?;
	let records = tokio::select! {
		records = record(&chain, topic, &market, &names, options) => records?,
		done = tasks.join_next() => return Err(format!("a participant stopped: {done:?}")),
		_ = tokio::signal::ctrl_c() => return Err("interrupted".into()),
	};
	let summary = report(&records, options, started.elapsed())?;
	if options.keep_running {
		say("the network keeps running on the chain (Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944); Ctrl-C stops it");
		tokio::select! {
			done = tasks.join_next() => return Err(format!("a participant stopped: {done:?}")),
			_ = tokio::signal::ctrl_c() => {},
		}
	}
	tasks.abort_all();
	Ok(summary)
}

/// Governance allows short epochs, Alice creates and funds the topic, the participants get
/// ALLO, register, and the reputers stake. Returns the topic id.
async fn set_up(chain: &Chain, alice: &Account, options: &DemoOptions) -> Result<u64, String> {
	let at = chain.at_best().await?;
	let params = at
		.runtime_apis()
		.call(allora::runtime_apis().inference_api().params())
		.await
		.map_err(|e| e.to_string())?;
	if params.min_epoch_length > options.epoch_length {
		let update = allora::runtime_types::pallet_topics::types::ParamsUpdate {
			min_epoch_length: Some(options.epoch_length),
			..Default::default()
		};
		let call = allora::Call::Topics(
			allora::runtime_types::pallet_topics::pallet::Call::update_params {
				update: Box::new(update),
			},
		);
		alice.submit(chain, &allora::tx().sudo().sudo(call)).await.map_err(|e| {
			format!("lowering the minimum epoch length (the demo needs a development chain whose sudo key is //Alice): {e}")
		})?;
	}
	let new = NewTopic::with_defaults(
		"MSFT daily: |log return| of the next trading day, in % (demo)",
		options.epoch_length,
		("0", "100"),
		("-8", "4"),
	)?;
	let topic = commands::create_topic(chain, alice, &new).await?;
	say(&format!("topic {topic} created by Alice: {}", new.metadata));
	let everyone: Vec<&str> = INFERERS
		.iter()
		.chain(FORECASTERS.iter())
		.copied()
		.chain(REPUTERS.iter().map(|(n, _)| *n))
		.collect();
	for name in &everyone {
		let to = Account::new(keypair(&secret(name))?).id;
		let amount = crate::values::parse_allo("5000")?;
		alice
			.submit(
				chain,
				&allora::tx()
					.balances()
					.transfer_keep_alive(subxt::utils::MultiAddress::Id(to), amount),
			)
			.await
			.map_err(|e| format!("funding {name}: {e}"))?;
	}
	commands::fund_topic(chain, alice, topic, "10000").await?;
	let mut joins = tokio::task::JoinSet::new();
	for name in everyone {
		let account = Account::new(keypair(&secret(name))?);
		let chain = chain.clone();
		let stake = REPUTERS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s);
		joins.spawn(async move {
			commands::register(&chain, &account, topic, stake.is_some()).await?;
			if let Some(stake) = stake {
				commands::stake(&chain, &account, topic, &stake.to_string()).await?;
			}
			Ok::<(), String>(())
		});
	}
	while let Some(done) = joins.join_next().await {
		done.map_err(|e| e.to_string())??;
	}
	say(&format!(
		"{} workers and {} reputers funded by Alice and registered (reputer stakes {} ALLO)",
		INFERERS.len() + FORECASTERS.len(),
		REPUTERS.len(),
		REPUTERS.iter().map(|(_, s)| s.to_string()).collect::<Vec<_>>().join(" and ")
	));
	Ok(topic)
}

/// The topic's first epoch end after it became active (waits for the activation).
async fn first_epoch_end(chain: &Chain, topic: u64) -> Result<u32, String> {
	let started = Instant::now();
	loop {
		let at = chain.at_best().await?;
		let info = at
			.runtime_apis()
			.call(allora::runtime_apis().inference_api().topic_info(topic))
			.await
			.map_err(|e| e.to_string())?;
		let number = u32::try_from(at.block_number()).unwrap_or(u32::MAX);
		if let Some(end) = info.and_then(|i| i.next_epoch_end).filter(|end| *end > number) {
			return Ok(end);
		}
		if started.elapsed() > Duration::from_secs(120) {
			return Err(format!("topic {topic} did not become active within 120 s"));
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// Writes the configuration file each participant would use on its own.
fn write_configs(dir: &Path, node: &str, topic: u64, s: &SeriesSource) -> Result<(), String> {
	let series = format!(
		"{{ path = {:?}, target = \"{}\", first_nonce = {}, epoch_length = {}, first_date = \"{}\" }}",
		s.path.display().to_string(),
		s.target.name(),
		s.first_nonce,
		s.epoch_length,
		s.first_date
	);
	let head = |name: &str, var: &str| {
		format!(
			"# The demo's {name}: run it alone with\n#   {var}='{}' allora-client --config {name}.toml run\nnode = \"{node}\"\nkey = {{ env = \"{var}\" }}\n",
			secret(name)
		)
	};
	let write = |name: &str, text: String| {
		let path = dir.join(format!("{name}.toml"));
		std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
	};
	for name in INFERERS.iter().chain(FORECASTERS.iter()) {
		write(
			name,
			format!(
				"{}\n[[worker]]\ntopic = {topic}\nmodel = {{ kind = \"builtin\", name = \"{name}\", series = {series} }}\n",
				head(name, "ALLORA_SECRET")
			),
		)?;
	}
	for (name, _) in REPUTERS {
		write(
			name,
			format!(
				"{}\n[[reputer]]\ntopic = {topic}\ntruth = {{ kind = \"series\", {} }}\nkeep_minimum_stake = true\n",
				head(name, "ALLORA_SECRET"),
				series.trim_start_matches("{ ").trim_end_matches(" }")
			),
		)?;
	}
	Ok(())
}

/// Records every epoch's values as the chain published them when the worker window closed,
/// until `options.epochs` epochs are recorded.
async fn record(
	chain: &Chain,
	topic: u64,
	market: &SeriesTopic,
	names: &BTreeMap<AccountId, String>,
	options: &DemoOptions,
) -> Result<Vec<EpochRecord>, String> {
	let records: Arc<Mutex<Vec<EpochRecord>>> = Arc::new(Mutex::new(Vec::new()));
	let mut last_progress = Instant::now();
	loop {
		let mut blocks = chain.best_blocks("demo").await;
		while let Some(block) = blocks.next().await {
			let Ok(block) = block else { break };
			let Ok(at) = block.at().await else { continue };
			let Ok(events) = at.events().fetch().await else { continue };
			for closed in events.find::<allora::inference::events::WorkerWindowClosed>() {
				let Ok(closed) = closed else { continue };
				if closed.topic_id != topic || closed.nonce < market.first_nonce {
					continue;
				}
				let bundle = at
					.runtime_apis()
					.call(
						allora::runtime_apis()
							.inference_api()
							.network_inference(topic, Some(closed.nonce)),
					)
					.await
					.map_err(|e| e.to_string())?;
				let Ok(bundle) = bundle else {
					say(&format!(
						"nonce {}: no network inference (no inferer answered)",
						closed.nonce
					));
					continue;
				};
				let day = market.day(closed.nonce)?;
				let name = |who: &AccountId| names.get(who).cloned().unwrap_or_else(|| ss58(who));
				let record = EpochRecord {
					nonce: closed.nonce,
					date: market.market.dates.get(day).cloned().unwrap_or_default(),
					truth: market.truth(closed.nonce)?,
					network: fixed_to_f64(bundle.combined_value.0),
					naive: fixed_to_f64(bundle.naive_value.0),
					inferers: bundle
						.inferer_values
						.iter()
						.map(|(who, v)| (name(who), fixed_to_f64(v.0)))
						.collect(),
					implied: bundle
						.forecaster_values
						.iter()
						.map(|(who, v)| (name(who), fixed_to_f64(v.0)))
						.collect(),
				};
				let mut all = records.lock().map_err(|e| e.to_string())?;
				all.push(record);
				let n = all.len();
				if n % 25 == 0 || n == options.epochs {
					progress(&all, n, options.epochs);
				}
				if n >= options.epochs {
					return Ok(all.clone());
				}
				last_progress = Instant::now();
			}
			if last_progress.elapsed() > Duration::from_secs(120) {
				return Err("no epoch closed for 120 s: is the chain producing blocks?".into());
			}
		}
		say("block stream interrupted; resubscribing");
	}
}

fn progress(records: &[EpochRecord], n: usize, total: usize) {
	let inferers: Vec<String> = INFERERS.iter().map(|s| s.to_string()).collect();
	let recent = Summary::of(records, &inferers, n.saturating_sub(25));
	let mse = |name: &str| recent.line(name).map(|l| l.mse).unwrap_or(f64::NAN);
	let best = recent.best_worker().map(|l| (l.name.clone(), l.mse));
	say(&format!(
		"epoch {n}/{total} ({}): last 25 epochs' MSE: network {:.3}, equal-weight mean {:.3}, best worker {}",
		records.last().map(|r| r.date.as_str()).unwrap_or(""),
		mse("network"),
		mse("equal-weight mean"),
		best.map(|(n, m)| format!("{m:.3} ({n})")).unwrap_or_else(|| "-".into())
	));
}

/// Writes the CSV, the plot and the summary; prints the table.
fn report(
	records: &[EpochRecord],
	options: &DemoOptions,
	elapsed: Duration,
) -> Result<Summary, String> {
	let inferers: Vec<String> = INFERERS.iter().map(|s| s.to_string()).collect();
	let forecasters: Vec<String> = FORECASTERS.iter().map(|s| s.to_string()).collect();
	let write = |name: &str, text: &str| {
		let path = options.out.join(name);
		std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
	};
	write("epochs.csv", &demo_report::csv(records, &inferers, &forecasters))?;
	let dates: Vec<String> = records.iter().map(|r| r.date.clone()).collect();
	let title = format!(
		"MSFT daily |log return| (%), {} to {}: 30-epoch rolling MSE",
		dates.first().map(String::as_str).unwrap_or(""),
		dates.last().map(String::as_str).unwrap_or("")
	);
	write(
		"rolling-loss.svg",
		&demo_report::svg(&title, &demo_report::rolling_losses(records, 30), &dates),
	)?;
	let all = Summary::of(records, &inferers, 0);
	let half = Summary::of(records, &inferers, records.len() / 2);
	let text = format!(
		"{}\n{}\nwall time {} s ({} epochs of {} blocks)\n",
		all.table("All epochs"),
		half.table("Second half (the network has learned its regrets)"),
		elapsed.as_secs(),
		records.len(),
		options.epoch_length
	);
	write("summary.md", &text)?;
	println!("\n{text}");
	say(&format!(
		"wrote {0}/epochs.csv, {0}/rolling-loss.svg and {0}/summary.md",
		options.out.display()
	));
	Ok(all)
}

fn say(line: &str) {
	println!("{} demo    {line}", log::utc_now());
}
