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
use std::collections::BTreeSet;
use subxt::utils::Static;

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
		values.iter().map(|(who, v)| Ok((who.clone(), loss(v)?))).collect::<Result<Vec<_>, String>>().map(BoundedVec)
	};
	let pairs = bundle
		.one_out_inferer_forecaster_values
		.iter()
		.map(|(k, j, v)| Ok((k.clone(), j.clone(), loss(v)?)))
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

/// Reports every open reputer nonce of the configured topics, block after block, until the
/// process stops. A nonce whose ground truth is not known yet is tried again at the next block.
pub async fn run(
	chain: Chain,
	account: Account,
	topics: Vec<ReputerTopic>,
	metrics: Metrics,
) -> Result<(), String> {
	let mut reported: BTreeSet<(u64, u32)> = BTreeSet::new();
	let mut waiting: BTreeSet<(u64, u32)> = BTreeSet::new();
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
				if let Err(e) = report_open(
					&chain,
					&account,
					topic,
					number,
					&mut reported,
					&mut waiting,
					&metrics,
				)
				.await
				{
					metrics.failure(topic.topic, "reputer");
					log(&format!("topic {}: {e}", topic.topic));
				}
			}
			// Forget nonces long past (their windows are closed).
			reported.retain(|(_, n)| n.saturating_add(100_000) > number);
		}
	}
}

async fn report_open(
	chain: &Chain,
	account: &Account,
	topic: &ReputerTopic,
	best: u32,
	reported: &mut BTreeSet<(u64, u32)>,
	waiting: &mut BTreeSet<(u64, u32)>,
	metrics: &Metrics,
) -> Result<(), String> {
	let at = chain.at_best().await?;
	let apis = at.runtime_apis();
	let open = apis
		.call(allora::runtime_apis().reputation_api().reputer_nonces(topic.topic))
		.await
		.map_err(|e| e.to_string())?;
	// The next block is best + 1: a nonce is reportable when its window contains it.
	let next = best.saturating_add(1);
	for status in open.iter().filter(|s| s.window_opens <= next && next <= s.window_closes) {
		let key = (topic.topic, status.nonce);
		if reported.contains(&key) {
			continue;
		}
		let Some(truth) = truth::ground_truth(&topic.truth, topic.topic, status.nonce).await?
		else {
			if waiting.insert(key) {
				log(&format!(
					"topic {} nonce {}: ground truth not known yet; waiting",
					topic.topic, status.nonce
				));
			}
			continue;
		};
		waiting.remove(&key);
		let info = apis
			.call(allora::runtime_apis().inference_api().topic_info(topic.topic))
			.await
			.map_err(|e| e.to_string())?
			.ok_or_else(|| format!("topic {} does not exist", topic.topic))?;
		let rule = loss_rule(&info.topic.config)?;
		let bundle = apis
			.call(
				allora::runtime_apis()
					.inference_api()
					.network_inference(topic.topic, Some(status.nonce)),
			)
			.await
			.map_err(|e| e.to_string())?
			.map_err(|e| format!("nonce {}: no network inference ({e:?})", status.nonce))?;
		let losses = loss_bundle(&bundle, truth, &rule)?;
		if topic.keep_minimum_stake {
			keep_minimum_stake(chain, account, topic.topic).await?;
		}
		let started = std::time::Instant::now();
		let call = allora::tx().reputation().submit_loss_bundle(topic.topic, status.nonce, losses);
		reported.insert(key);
		match account.submit(chain, &call).await {
			Ok(_) => {
				metrics.submitted(topic.topic, "reputer", status.nonce, started.elapsed());
				log(&format!(
					"topic {} nonce {}: loss bundle submitted (truth {truth}, {} inferers) by {}",
					topic.topic,
					status.nonce,
					bundle.inferer_values.len(),
					ss58(&account.id)
				));
			},
			Err(e) => {
				metrics.failure(topic.topic, "reputer");
				// A refusal by the runtime is final; a transport failure (connection lost,
				// transaction dropped) is tried again at the next block while the window is open.
				let retry = matches!(e, TxError::Other(_));
				if retry {
					reported.remove(&key);
				}
				log(&format!(
					"topic {} nonce {}: loss bundle not submitted: {e}{}",
					topic.topic,
					status.nonce,
					if retry { " (trying again at the next block)" } else { "" }
				));
			},
		}
	}
	Ok(())
}

/// Tops the account's own stake on `topic` up to the network's required minimum.
async fn keep_minimum_stake(chain: &Chain, account: &Account, topic: u64) -> Result<(), String> {
	let at = chain.at_best().await?;
	let apis = at.runtime_apis();
	let stake = apis
		.call(allora::runtime_apis().stake_api().reputer_stake(topic, account.id.clone()))
		.await
		.map_err(|e| e.to_string())?;
	let params = apis
		.call(allora::runtime_apis().inference_api().params())
		.await
		.map_err(|e| e.to_string())?;
	let minimum = params.required_minimum_stake;
	if stake.own >= minimum {
		return Ok(());
	}
	let top_up = minimum.saturating_sub(stake.own);
	account
		.submit(chain, &allora::tx().stake().add_stake(topic, top_up))
		.await
		.map_err(|e| format!("topping the stake up to the minimum: {e}"))?;
	log(&format!(
		"topic {topic}: stake topped up by {} to the minimum",
		crate::values::format_allo(top_up)
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
