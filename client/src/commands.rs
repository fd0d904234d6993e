//! The one-shot commands that set an account up: create and fund a topic, register, stake,
//! and read a topic. Each submits one transaction and prints what the chain said.

use crate::{
	chain::{allora, params, Account, Chain},
	values::parse_allo,
};
use allora::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec,
	pallet_topics::types::{TopicConfig, ValueRange},
};
use allora_math::Fixed;
use subxt::utils::Static;

/// The choices of a new topic (spec 1.1), with the defaults of the reference network.
#[derive(Clone, Debug, clap::Args)]
pub struct NewTopic {
	/// What the topic predicts, in words.
	#[arg(long)]
	pub metadata: String,
	/// How reputers compute losses: mse, mae or huber.
	#[arg(long, default_value = "mse")]
	pub loss_method: String,
	/// E: blocks per epoch.
	#[arg(long)]
	pub epoch_length: u32,
	/// G: blocks until the ground truth is known (E ≤ G).
	#[arg(long)]
	pub ground_truth_lag: u32,
	/// W: blocks during which workers submit (1 ≤ W < E).
	#[arg(long)]
	pub worker_window: u32,
	/// The smallest inference accepted.
	#[arg(long, value_parser = fixed, allow_hyphen_values = true)]
	pub inference_min: Fixed,
	/// The largest inference accepted.
	#[arg(long, value_parser = fixed, allow_hyphen_values = true)]
	pub inference_max: Fixed,
	/// The smallest loss (log10 loss unless --allow-negative) accepted.
	#[arg(long, value_parser = fixed, default_value = "-30", allow_hyphen_values = true)]
	pub loss_min: Fixed,
	/// The largest loss accepted.
	#[arg(long, value_parser = fixed, default_value = "30", allow_hyphen_values = true)]
	pub loss_max: Fixed,
	/// Report raw losses instead of their log10.
	#[arg(long)]
	pub allow_negative: bool,
	/// p: slope of the regret → weight map, in [2.5, 4.5].
	#[arg(long, value_parser = fixed, default_value = "3")]
	pub p_norm: Fixed,
	/// α_R: EMA rate of the regrets, in (0, 1].
	#[arg(long, value_parser = fixed, default_value = "0.1")]
	pub alpha_regret: Fixed,
	/// ε: floor of the regrets' standard deviation.
	#[arg(long, value_parser = fixed, default_value = "0.01")]
	pub epsilon: Fixed,
	/// EMA rate of the score EMAs (merit sortition).
	#[arg(long, value_parser = fixed, default_value = "0.1")]
	pub merit_sortition_alpha: Fixed,
	/// Quantile of scores given to passive actors (all three roles).
	#[arg(long, value_parser = fixed, default_value = "0.2")]
	pub active_quantile: Fixed,
}

impl NewTopic {
	/// A topic with the reference network's defaults (mse reported as log10, G = E,
	/// W = E − 1, p = 3, α_R = 0.1, ε = 0.01, α = 0.1, quantile 0.2) and the given ranges,
	/// each a pair of decimal strings.
	pub fn with_defaults(
		metadata: &str,
		epoch_length: u32,
		inference: (&str, &str),
		loss: (&str, &str),
	) -> Result<NewTopic, String> {
		Ok(NewTopic {
			metadata: metadata.into(),
			loss_method: "mse".into(),
			epoch_length,
			ground_truth_lag: epoch_length,
			worker_window: epoch_length.saturating_sub(1).max(1),
			inference_min: fixed(inference.0)?,
			inference_max: fixed(inference.1)?,
			loss_min: fixed(loss.0)?,
			loss_max: fixed(loss.1)?,
			allow_negative: false,
			p_norm: fixed("3")?,
			alpha_regret: fixed("0.1")?,
			epsilon: fixed("0.01")?,
			merit_sortition_alpha: fixed("0.1")?,
			active_quantile: fixed("0.2")?,
		})
	}

	/// The chain's topic configuration.
	pub fn config(&self) -> TopicConfig<u32> {
		let s = |v: Fixed| Static(v);
		TopicConfig {
			metadata: BoundedVec(self.metadata.as_bytes().to_vec()),
			loss_method: BoundedVec(self.loss_method.as_bytes().to_vec()),
			epoch_length: self.epoch_length,
			ground_truth_lag: self.ground_truth_lag,
			worker_submission_window: self.worker_window,
			p_norm: s(self.p_norm),
			alpha_regret: s(self.alpha_regret),
			allow_negative: self.allow_negative,
			epsilon: s(self.epsilon),
			merit_sortition_alpha: s(self.merit_sortition_alpha),
			active_inferer_quantile: s(self.active_quantile),
			active_forecaster_quantile: s(self.active_quantile),
			active_reputer_quantile: s(self.active_quantile),
			inference_range: ValueRange { min: s(self.inference_min), max: s(self.inference_max) },
			loss_range: ValueRange { min: s(self.loss_min), max: s(self.loss_max) },
		}
	}
}

fn fixed(s: &str) -> Result<Fixed, String> {
	s.parse().map_err(|e| format!("{s:?} is {e}"))
}

/// Creates a topic; returns its id.
pub async fn create_topic(
	chain: &Chain,
	account: &Account,
	topic: &NewTopic,
) -> Result<u64, String> {
	if allora_synthesis::point_loss::LossMethod::parse(topic.loss_method.as_bytes()).is_none() {
		return Err(format!(
			"--loss-method {:?}: this client's reputers compute mse, mae and huber",
			topic.loss_method
		));
	}
	let events = account
		.submit(chain, &allora::tx().topics().create_topic(topic.config()))
		.await
		.map_err(|e| e.to_string())?;
	let created = events
		.find_first::<allora::topics::events::TopicCreated>()
		.ok_or("no TopicCreated event")?
		.map_err(|e| e.to_string())?;
	Ok(created.topic_id)
}

/// Pays `amount` ALLO into a topic's fee revenue.
pub async fn fund_topic(
	chain: &Chain,
	account: &Account,
	topic: u64,
	amount: &str,
) -> Result<(), String> {
	let amount = parse_allo(amount).map_err(|e| format!("--amount {e}"))?;
	submit(chain, account, &allora::tx().topics().fund_topic(topic, amount)).await
}

async fn submit<P: subxt::transactions::Payload>(
	chain: &Chain,
	account: &Account,
	call: &P,
) -> Result<(), String> {
	account.submit(chain, call).await.map(|_| ()).map_err(|e| e.to_string())
}

/// Registers the account on a topic as a worker or a reputer.
pub async fn register(
	chain: &Chain,
	account: &Account,
	topic: u64,
	reputer: bool,
) -> Result<(), String> {
	if reputer {
		submit(chain, account, &allora::tx().stake().register_reputer(topic)).await
	} else {
		submit(chain, account, &allora::tx().inference().register_worker(topic)).await
	}
}

/// Adds `amount` ALLO to the account's reputer stake on a topic.
pub async fn stake(
	chain: &Chain,
	account: &Account,
	topic: u64,
	amount: &str,
) -> Result<(), String> {
	let amount = parse_allo(amount).map_err(|e| format!("--amount {e}"))?;
	submit(chain, account, &allora::tx().stake().add_stake(topic, amount)).await
}

/// The topic as the `allora_topicInfo` RPC prints it.
pub async fn topic_info(chain: &Chain, topic: u64) -> Result<serde_json::Value, String> {
	chain.request("allora_topicInfo", params![topic, None::<()>]).await
}
