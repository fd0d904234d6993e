//! The reputer's side: the loss bundle of a nonce from its network-inference bundle and the
//! ground truth (every value the network produced, judged by the topic's loss rule), and the
//! loop that reports each nonce once its window is open.

use crate::{
	chain::{allora, ss58, Account, AccountId, Chain, TxError},
	config::ReputerTopic,
	metrics::Metrics,
	truth,
};
use allora_math::Fixed;
use allora_synthesis::point_loss::{LossMethod, LossRule};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
};
use subxt::utils::Static;
use tokio::sync::Mutex;

type Bundle =
	allora::runtime_types::pallet_inference::types::NetworkInferenceBundle<AccountId, u32>;
type Losses = allora::runtime_types::pallet_reputation::types::LossBundle<AccountId>;
use allora::runtime_types::bounded_collections::bounded_vec::BoundedVec;
type TopicConfig = allora::runtime_types::pallet_topics::types::TopicConfig<u32>;

/// The loss rule a topic declares: its method, `allow_negative` and loss range.
pub fn loss_rule(config: &TopicConfig) -> Result<LossRule, String> {
	let method = LossMethod::parse(&config.loss_method.0).ok_or_else(|| {
		format!(
			"the topic's loss method {:?} is not one this client computes (mse, mae, huber)",
			String::from_utf8_lossy(&config.loss_method.0)
		)
	})?;
	Ok(LossRule {
		method,
		allow_negative: config.allow_negative,
		min: config.loss_range.min.0,
		max: config.loss_range.max.0,
	})
}

/// The losses of every value of `bundle` against `truth` (spec 0.3.1, 5.3), list by list.
pub fn loss_bundle(bundle: &Bundle, truth: Fixed, rule: &LossRule) -> Result<Losses, String> {
	let loss = |v: &Static<Fixed>| -> Result<Static<Fixed>, String> {
		rule.reported(truth, v.0).map(Static).map_err(|e| format!("loss of {}: {e:?}", v.0))
	};
	let list = |values: &[(AccountId, Static<Fixed>)]| -> Result<BoundedVec<(AccountId, Static<Fixed>)>, String> {
		values.iter().map(|(who, v)| Ok((*who, loss(v)?))).collect::<Result<Vec<_>, String>>().map(BoundedVec)
	};
	let pairs = bundle
		.one_out_inferer_forecaster_values
		.iter()
		.map(|(k, j, v)| Ok((*k, *j, loss(v)?)))
		.collect::<Result<Vec<_>, String>>()?;
	Ok(Losses {
		combined_value: Some(loss(&bundle.combined_value)?),
		naive_value: Some(loss(&bundle.naive_value)?),
		inferer_values: list(&bundle.inferer_values)?,
		forecaster_values: list(&bundle.forecaster_values)?,
		one_out_inferer_values: list(&bundle.one_out_inferer_values)?,
		one_out_forecaster_values: list(&bundle.one_out_forecaster_values)?,
		one_in_forecaster_values: list(&bundle.one_in_forecaster_values)?,
		one_out_inferer_forecaster_values: BoundedVec(pairs),
	})
}

/// What the reputer remembers: the nonces reported or being reported (each in its own task),
/// and those waiting for their ground truth or for enough stake (logged once).
#[derive(Default)]
struct Progress {
	taken: BTreeSet<(u64, u32)>,
	/// Why each waiting nonce waits (logged when the reason changes).
	waiting: BTreeMap<(u64, u32), String>,
	/// Topics whose own stake is being topped up (one top-up at a time per topic).
	topping_up: BTreeSet<u64>,
}

type Shared = Arc<Mutex<Progress>>;

/// How long past its nonce a reported nonce is remembered (its window has long closed).
const MEMORY: u32 = 100_000;

/// Reports every open reputer nonce of the configured topics, block after block, until the
/// process stops. Each nonce is reported by its own task; one whose ground truth is not known
/// yet, or whose submission failed in transit, is tried again at the next block.
pub async fn run(
	chain: Chain,
	account: Account,
	topics: Vec<ReputerTopic>,
	metrics: Metrics,
) -> Result<(), String> {
	let progress: Shared = Arc::new(Mutex::new(Progress::default()));
	loop {
		let mut blocks = chain.best_blocks("reputer").await;
		while let Some(block) = blocks.next().await {
			let block = match block {
				Ok(block) => block,
				Err(e) => {
					log(&format!("block stream interrupted ({e}); resubscribing"));
					break;
				},
			};
			let number = u32::try_from(block.number()).unwrap_or(u32::MAX);
			for topic in &topics {
				if let Err(e) =
					report_open(&chain, &account, topic, number, &progress, &metrics).await
				{
					metrics.failure(topic.topic, "reputer");
					log(&format!("topic {}: {e}", topic.topic));
				}
			}
			let mut p = progress.lock().await;
			p.taken.retain(|(_, n)| n.saturating_add(MEMORY) > number);
			p.waiting.retain(|(_, n), _| n.saturating_add(MEMORY) > number);
		}
	}
}

/// Starts a report task for every nonce of `topic` whose window contains the next block.
async fn report_open(
	chain: &Chain,
	account: &Account,
	topic: &ReputerTopic,
	best: u32,
	progress: &Shared,
	metrics: &Metrics,
) -> Result<(), String> {
	let at = chain.at_best().await?;
	let open = at
		.runtime_apis()
		.call(allora::runtime_apis().reputation_api().reputer_nonces(topic.topic))
		.await
		.map_err(|e| e.to_string())?;
	// The next block is best + 1: a nonce is reportable when its window contains it.
	let next = best.saturating_add(1);
	for status in open.iter().filter(|s| s.window_opens <= next && next <= s.window_closes) {
		let key = (topic.topic, status.nonce);
		if !progress.lock().await.taken.insert(key) {
			continue;
		}
		let (chain, account, topic, progress, metrics) =
			(chain.clone(), account.clone(), topic.clone(), progress.clone(), metrics.clone());
		let nonce = status.nonce;
		tokio::spawn(async move {
			let outcome = report(&chain, &account, &topic, nonce, &progress, &metrics).await;
			match outcome {
				Ok(Report::Done) => {},
				Ok(Report::Later) => {
					progress.lock().await.taken.remove(&key);
				},
				Err(skip) => {
					metrics.failure(topic.topic, "reputer");
					if skip.again {
						progress.lock().await.taken.remove(&key);
					}
					log(&format!(
						"topic {} nonce {nonce}: loss bundle not submitted: {}{}",
						topic.topic,
						skip.reason,
						if skip.again { " (trying again at the next block)" } else { "" }
					));
				},
			}
		});
	}
	Ok(())
}

/// What became of a report.
enum Report {
	/// Submitted (or found on chain).
	Done,
	/// Not yet possible (no ground truth, too little stake): tried again at the next block.
	Later,
}

/// Why a report failed.
struct Skip {
	reason: String,
	/// A transport failure: tried again at the next block while the window is open.
	again: bool,
}

impl From<String> for Skip {
	fn from(reason: String) -> Skip {
		Skip { reason, again: false }
	}
}

/// Reports `nonce` of `topic`: ground truth, network bundle, losses, stake, submission.
async fn report(
	chain: &Chain,
	account: &Account,
	topic: &ReputerTopic,
	nonce: u32,
	progress: &Shared,
	metrics: &Metrics,
) -> Result<Report, Skip> {
	let key = (topic.topic, nonce);
	let transport = |reason: String| Skip { reason, again: true };
	// A source that fails (a timeout, a file being rewritten) is asked again at the next block.
	let truth = truth::ground_truth(&topic.truth, topic.topic, nonce)
		.await
		.map_err(|e| transport(format!("ground truth: {e}")))?;
	let Some(truth) = truth else {
		return Ok(wait(progress, key, "ground truth not known yet").await);
	};
	let at = chain.at_best().await.map_err(transport)?;
	let apis = at.runtime_apis();
	if on_chain(&at, topic.topic, nonce, &account.id).await {
		return Ok(Report::Done);
	}
	let info = apis
		.call(allora::runtime_apis().inference_api().topic_info(topic.topic))
		.await
		.map_err(|e| transport(e.to_string()))?
		.ok_or_else(|| format!("topic {} does not exist", topic.topic))?;
	let rule = loss_rule(&info.topic.config)?;
	let bundle = apis
		.call(allora::runtime_apis().inference_api().network_inference(topic.topic, Some(nonce)))
		.await
		.map_err(|e| transport(e.to_string()))?
		.map_err(|e| format!("no network inference ({e:?})"))?;
	let losses = loss_bundle(&bundle, truth, &rule)?;
	// The runtime counts own plus delegated stake against the minimum; below it, a bundle is
	// refused (and its fee lost), so the reputer tops up when asked or waits for stake.
	let (registered, stake, minimum) =
		stake_and_minimum(chain, topic.topic, &account.id).await.map_err(transport)?;
	if !registered {
		return Err(format!(
			"not a registered reputer of topic {} (`allora-client register --topic {} --as reputer`)",
			topic.topic, topic.topic
		)
		.into());
	}
	if stake < minimum {
		if topic.keep_minimum_stake {
			// One top-up per topic at a time (several nonces may be open); the others wait
			// and read the stake again at the next block.
			if !progress.lock().await.topping_up.insert(topic.topic) {
				return Ok(wait(progress, key, "the stake is being topped up").await);
			}
			let topped = top_up(chain, account, topic.topic, minimum.saturating_sub(stake)).await;
			progress.lock().await.topping_up.remove(&topic.topic);
			match topped {
				Ok(()) => {},
				// The runtime refused it (e.g. too little free balance): the fee was paid
				// once; the nonce is given up rather than paying at every block.
				Err(e @ (TxError::Module(_) | TxError::Invalid(_))) => {
					return Err(format!("topping the stake up to the minimum: {e}").into())
				},
				Err(TxError::Other(e)) => {
					return Err(transport(format!("topping the stake up to the minimum: {e}")))
				},
			}
		} else {
			let why = format!(
				"the stake ({} ALLO, own and delegated) is below the network's minimum ({} ALLO)",
				crate::values::format_allo(stake),
				crate::values::format_allo(minimum)
			);
			return Ok(wait(progress, key, &why).await);
		}
	}
	progress.lock().await.waiting.remove(&key);
	let started = std::time::Instant::now();
	let call = allora::tx().reputation().submit_loss_bundle(topic.topic, nonce, losses);
	match account.submit(chain, &call).await {
		Ok(_) => {},
		Err(TxError::Other(e)) => {
			// The attempt may have landed although its status was lost.
			tokio::time::sleep(std::time::Duration::from_secs(1)).await;
			let landed = match chain.at_best().await {
				Ok(at) => on_chain(&at, topic.topic, nonce, &account.id).await,
				Err(_) => false,
			};
			if !landed {
				return Err(transport(e));
			}
			log(&format!("topic {} nonce {nonce}: {e}; but the bundle is on chain", topic.topic));
		},
		Err(e) => return Err(e.to_string().into()),
	}
	metrics.submitted(topic.topic, "reputer", nonce, started.elapsed());
	log(&format!(
		"topic {} nonce {nonce}: loss bundle submitted (truth {truth}, {} inferers) by {}",
		topic.topic,
		bundle.inferer_values.len(),
		ss58(&account.id)
	));
	Ok(Report::Done)
}

/// Logs why a nonce's report waits (when the reason is new for it); it is tried again at the
/// next block.
async fn wait(progress: &Shared, key: (u64, u32), why: &str) -> Report {
	let previous = progress.lock().await.waiting.insert(key, why.to_string());
	if previous.as_deref() != Some(why) {
		log(&format!("topic {} nonce {}: {why}; waiting", key.0, key.1));
	}
	Report::Later
}

/// Whether `who`'s loss bundle for `nonce` is stored at `at`.
async fn on_chain(
	at: &subxt::client::OnlineClientAtBlock<crate::chain::Config>,
	topic: u64,
	nonce: u32,
	who: &AccountId,
) -> bool {
	at.storage()
		.try_fetch(allora::storage().reputation().loss_bundles(), ((topic, nonce), *who))
		.await
		.is_ok_and(|v| v.is_some())
}

/// Whether the account is a registered reputer of `topic`, its stake as the runtime counts it
/// (own + delegated), and the network's required minimum.
async fn stake_and_minimum(
	chain: &Chain,
	topic: u64,
	who: &AccountId,
) -> Result<(bool, u128, u128), String> {
	let at = chain.at_best().await?;
	let apis = at.runtime_apis();
	let stake = apis
		.call(allora::runtime_apis().stake_api().reputer_stake(topic, *who))
		.await
		.map_err(|e| e.to_string())?;
	let params = apis
		.call(allora::runtime_apis().inference_api().params())
		.await
		.map_err(|e| e.to_string())?;
	Ok((stake.registered, stake.own.saturating_add(stake.delegated), params.required_minimum_stake))
}

/// Adds `amount` to the account's own stake on `topic`.
async fn top_up(chain: &Chain, account: &Account, topic: u64, amount: u128) -> Result<(), TxError> {
	account.submit(chain, &allora::tx().stake().add_stake(topic, amount)).await?;
	log(&format!(
		"topic {topic}: stake topped up by {} ALLO to the minimum",
		crate::values::format_allo(amount)
	));
	Ok(())
}

fn log(line: &str) {
	crate::log::line("reputer", line);
}

#[cfg(test)]
mod tests {
	use super::*;
	use allora::runtime_types::pallet_inference::types::InferenceMode;

	fn fx(s: &str) -> Static<Fixed> {
		Static(s.parse().unwrap_or_default())
	}

	fn who(n: u8) -> AccountId {
		subxt::utils::AccountId32([n; 32])
	}

	#[test]
	fn every_network_value_gets_its_log_loss() -> Result<(), String> {
		let bundle = Bundle {
			topic_id: 1,
			nonce: 60,
			mode: InferenceMode::Regret,
			combined_value: fx("101"),
			naive_value: fx("99"),
			inferer_values: vec![(who(1), fx("110")), (who(2), fx("100"))],
			forecaster_values: vec![(who(3), fx("100.1"))],
			one_out_inferer_values: vec![(who(1), fx("100")), (who(2), fx("90"))],
			one_out_forecaster_values: vec![(who(3), fx("101"))],
			one_in_forecaster_values: vec![(who(3), fx("99.9"))],
			one_out_inferer_forecaster_values: vec![(who(3), who(1), fx("100.01"))],
			inferer_weights: vec![],
			forecaster_weights: vec![],
			confidence_interval_percentiles: vec![],
			confidence_interval_values: vec![],
		};
		let rule = LossRule {
			method: LossMethod::Mse,
			allow_negative: false,
			min: "-30".parse().unwrap_or_default(),
			max: "30".parse().unwrap_or_default(),
		};
		let losses = loss_bundle(&bundle, "100".parse().unwrap_or_default(), &rule)?;
		// log10 of squared errors: (101−100)² → 0, (99−100)² → 0, (110−100)² → 2, a perfect
		// value → the range minimum, (100.1−100)² → −2, (90−100)² → 2, (100.01−100)² → −4.
		let near = |v: &Option<Static<Fixed>>, want: &str| {
			let want: Fixed = want.parse().unwrap_or_default();
			v.as_ref()
				.map(|v| {
					v.0.checked_sub(want).map(|d| d.abs() < Fixed::from_raw(1_000)).unwrap_or(false)
				})
				.unwrap_or(false)
		};
		assert!(near(&losses.combined_value, "0"));
		assert!(near(&losses.naive_value, "0"));
		assert!(near(&Some(losses.inferer_values.0[0].1.clone()), "2"));
		assert_eq!(losses.inferer_values.0[1].1, fx("-30"));
		assert_eq!(losses.inferer_values.0[1].0, who(2));
		assert!(near(&Some(losses.forecaster_values.0[0].1.clone()), "-2"));
		assert!(near(&Some(losses.one_out_inferer_values.0[1].1.clone()), "2"));
		assert_eq!(losses.one_out_forecaster_values.0.len(), 1);
		assert_eq!(losses.one_in_forecaster_values.0.len(), 1);
		let (k, j, v) = &losses.one_out_inferer_forecaster_values.0[0];
		assert_eq!((k, j), (&who(3), &who(1)));
		assert!(near(&Some(v.clone()), "-4"));
		Ok(())
	}
}
