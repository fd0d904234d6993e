//! `allora-client`: run a worker or a reputer from one configuration file, set an account up,
//! and explain its standing. `allora-client --help` lists the commands.

use allora_client::{
	chain::{self, Account, AccountId, Chain},
	commands::{self, NewTopic},
	config::{Config, KeySource},
	demo, log,
	metrics::Metrics,
	reputer, status, worker,
};
use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(
	name = "allora-client",
	version,
	about = "Worker and reputer client of the Allora appchain"
)]
struct Cli {
	/// The configuration file (node, key, topics); `run` commands need it.
	#[arg(long, short, global = true)]
	config: Option<PathBuf>,
	/// The node's WebSocket endpoint (overrides the configuration's `node`).
	#[arg(long, global = true)]
	node: Option<String>,
	/// The environment variable holding the signing key's secret URI (overrides `key`).
	#[arg(long, global = true)]
	key_env: Option<String>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Run the configuration's `[[worker]]` topics.
	Worker {
		#[command(subcommand)]
		action: Run,
	},
	/// Run the configuration's `[[reputer]]` topics.
	Reputer {
		#[command(subcommand)]
		action: Run,
	},
	/// Run every worker and reputer topic of the configuration in one process.
	Run,
	/// Create, fund or read a topic.
	Topic {
		#[command(subcommand)]
		action: TopicAction,
	},
	/// Register the key's account on a topic.
	Register {
		/// The topic id.
		#[arg(long)]
		topic: u64,
		/// `worker` or `reputer`.
		#[arg(long = "as", value_parser = ["worker", "reputer"])]
		role: String,
	},
	/// Add reputer stake (ALLO) on a topic.
	Stake {
		/// The topic id.
		#[arg(long)]
		topic: u64,
		/// The amount in ALLO, e.g. `100` or `0.5`.
		#[arg(long)]
		amount: String,
	},
	/// The live demo on a development chain: a topic forecasting Microsoft's daily moves, five
	/// workers, two forecasters and two reputers; writes a CSV, a plot and the summary table.
	Demo {
		/// The daily series (a `Date,…,Close` CSV).
		#[arg(long, default_value = "client/demo/msft-daily.csv")]
		series: PathBuf,
		/// The first trading day predicted (a row of the series).
		#[arg(long, default_value = "2008-01-02")]
		start: String,
		/// Epochs recorded before the report.
		#[arg(long, default_value_t = 300)]
		epochs: usize,
		/// Blocks per epoch.
		#[arg(long, default_value_t = 4)]
		epoch_length: u32,
		/// Where the CSV, the plot, the summary, the participants' configurations and log go.
		#[arg(long, default_value = "demo-out")]
		out: PathBuf,
		/// Stop after the report instead of keeping the network running.
		#[arg(long)]
		exit: bool,
	},
	/// An account's standing on a topic: registrations, active sets, scores, regrets, rewards,
	/// and why it was not scored.
	Status {
		/// The account (ss58); the key's account when absent.
		#[arg(long)]
		account: Option<String>,
		/// The topic id.
		#[arg(long)]
		topic: u64,
	},
}

#[derive(Subcommand)]
enum Run {
	/// Serve until interrupted.
	Run,
}

#[derive(Subcommand)]
enum TopicAction {
	/// Create a topic (the creator pays the creation fee); prints its id.
	Create(NewTopic),
	/// Pay ALLO into a topic's fee revenue.
	Fund {
		/// The topic id.
		#[arg(long)]
		topic: u64,
		/// The amount in ALLO.
		#[arg(long)]
		amount: String,
	},
	/// Print a topic as JSON.
	Info {
		/// The topic id.
		#[arg(long)]
		topic: u64,
	},
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<(), String> {
	let config = match &cli.config {
		Some(path) => Some(Config::load(path).map_err(|e| e.to_string())?),
		None => None,
	};
	let node = cli
		.node
		.clone()
		.or_else(|| config.as_ref().map(|c| c.node.clone()))
		.unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let key = match (&cli.key_env, &config) {
		(Some(var), _) => Some(KeySource { env: Some(var.clone()), file: None }),
		(None, Some(c)) => Some(c.key.clone()),
		(None, None) => None,
	};
	let needs_config = |what: &str| format!("`{what}` needs --config FILE");
	match cli.command {
		Command::Worker { action: Run::Run } => {
			let config = config.ok_or_else(|| needs_config("worker run"))?;
			if config.worker.is_empty() {
				return Err("the configuration has no [[worker]] topic".into());
			}
			serve(&node, key, Config { reputer: vec![], ..config }).await
		},
		Command::Reputer { action: Run::Run } => {
			let config = config.ok_or_else(|| needs_config("reputer run"))?;
			if config.reputer.is_empty() {
				return Err("the configuration has no [[reputer]] topic".into());
			}
			serve(&node, key, Config { worker: vec![], ..config }).await
		},
		Command::Run => {
			let config = config.ok_or_else(|| needs_config("run"))?;
			serve(&node, key, config).await
		},
		Command::Topic { action: TopicAction::Info { topic } } => {
			let chain = Chain::connect(&node, Duration::from_secs(10)).await?;
			let info = commands::topic_info(&chain, topic).await?;
			println!("{}", serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?);
			Ok(())
		},
		Command::Topic { action: TopicAction::Create(new) } => {
			let (chain, account) = connect_signed(&node, key).await?;
			let id = commands::create_topic(&chain, &account, &new).await?;
			println!("{id}");
			Ok(())
		},
		Command::Topic { action: TopicAction::Fund { topic, amount } } => {
			let (chain, account) = connect_signed(&node, key).await?;
			commands::fund_topic(&chain, &account, topic, &amount).await?;
			println!("funded topic {topic} with {amount} ALLO");
			Ok(())
		},
		Command::Register { topic, role } => {
			let (chain, account) = connect_signed(&node, key).await?;
			commands::register(&chain, &account, topic, role == "reputer").await?;
			println!("{} registered on topic {topic} as {role}", chain::ss58(&account.id));
			Ok(())
		},
		Command::Stake { topic, amount } => {
			let (chain, account) = connect_signed(&node, key).await?;
			commands::stake(&chain, &account, topic, &amount).await?;
			println!("staked {amount} ALLO on topic {topic}");
			Ok(())
		},
		Command::Demo { series, start, epochs, epoch_length, out, exit } => {
			let options = demo::DemoOptions {
				node,
				series,
				start,
				epochs,
				epoch_length,
				out,
				keep_running: !exit,
			};
			demo::run(&options).await.map(|_| ())
		},
		Command::Status { account, topic } => {
			let chain = Chain::connect(&node, Duration::from_secs(10)).await?;
			let who: AccountId = match account {
				Some(a) => {
					a.parse().map_err(|_| format!("--account {a:?} is not an ss58 address"))?
				},
				None => Account::new(chain::keypair(&read_secret(key)?)?).id,
			};
			print!("{}", status::report(&chain, &who, topic).await?);
			Ok(())
		},
	}
}

/// The secret URI from the key source; the error never contains the secret.
fn read_secret(key: Option<KeySource>) -> Result<String, String> {
	let key = key.ok_or("no key: pass --key-env VAR or --config FILE with `key`")?;
	match (key.env, key.file) {
		(Some(var), _) => std::env::var(&var)
			.map_err(|_| format!("the key's environment variable {var} is not set")),
		(None, Some(file)) => std::fs::read_to_string(&file)
			.map(|s| s.lines().next().unwrap_or("").to_string())
			.map_err(|e| format!("the key file {}: {e}", file.display())),
		(None, None) => Err("no key source".into()),
	}
}

async fn connect_signed(node: &str, key: Option<KeySource>) -> Result<(Chain, Account), String> {
	let account = Account::new(chain::keypair(&read_secret(key)?)?);
	let chain = Chain::connect(node, Duration::from_secs(10)).await?;
	Ok((chain, account))
}

/// Runs the configuration's worker and reputer topics until interrupted.
async fn serve(node: &str, key: Option<KeySource>, config: Config) -> Result<(), String> {
	let account = Account::new(chain::keypair(&read_secret(key)?)?);
	let metrics = Metrics::new()?;
	if let Some(addr) = &config.metrics {
		let addr = addr.parse().map_err(|_| format!("metrics address {addr:?}"))?;
		let m = metrics.clone();
		tokio::spawn(async move {
			if let Err(e) = m.serve(addr).await {
				log::line("metrics", &e);
			}
		});
	}
	let chain = Chain::connect(node, Duration::from_secs(60)).await?;
	log::line("client", &format!("{} connected to {node}", chain::ss58(&account.id)));
	let mut tasks = tokio::task::JoinSet::new();
	if !config.worker.is_empty() {
		check_topics(&chain, config.worker.iter().map(|w| w.topic)).await?;
		tasks.spawn(worker::run(
			chain.clone(),
			account.clone(),
			config.worker.clone(),
			metrics.clone(),
		));
	}
	if !config.reputer.is_empty() {
		check_topics(&chain, config.reputer.iter().map(|r| r.topic)).await?;
		tasks.spawn(reputer::run(
			chain.clone(),
			account.clone(),
			config.reputer.clone(),
			metrics.clone(),
		));
	}
	tokio::select! {
		done = tasks.join_next() => match done {
			Some(Ok(result)) => result,
			Some(Err(e)) => Err(e.to_string()),
			None => Ok(()),
		},
		_ = tokio::signal::ctrl_c() => {
			log::line("client", "interrupted; stopping");
			Ok(())
		},
	}
}

/// Refuses a configuration that names a topic the chain does not have.
async fn check_topics(chain: &Chain, topics: impl Iterator<Item = u64>) -> Result<(), String> {
	let at = chain.at_best().await?;
	for topic in topics {
		let info = at
			.runtime_apis()
			.call(chain::allora::runtime_apis().inference_api().topic_info(topic))
			.await
			.map_err(|e| e.to_string())?;
		if info.is_none() {
			return Err(format!("topic {topic} does not exist on the chain"));
		}
	}
	Ok(())
}
