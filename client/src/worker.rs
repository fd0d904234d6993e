//! The worker's loop: it learns that a worker nonce opened from the chain's
//! `inference.WorkerNonceOpened` events (and, at start and after a reconnection, from the
//! topic's open nonces), asks the model, and submits the inference and forecasts once per nonce.

use crate::{
	chain::{allora, ss58, Account, AccountId, Chain, TxError},
	config::WorkerTopic,
	metrics::Metrics,
	model::{self, Bounds, HistoryEntry, ModelRequest},
};
use allora_math::Fixed;
use std::{
	collections::{BTreeMap, BTreeSet, VecDeque},
	sync::Arc,
	time::Instant,
};
use subxt::utils::Static;
use tokio::sync::Mutex;

type Element = allora::runtime_types::pallet_inference::types::ForecastElement<AccountId>;
use allora::runtime_types::bounded_collections::bounded_vec::BoundedVec;

/// How many past network inferences a model is shown.
pub const HISTORY: usize = 32;

/// What the worker remembers per topic: the nonces it handled (or is handling), those whose
/// submission failed in transit (served again while open), and the recent network values.
#[derive(Default)]
struct TopicState {
	handled: BTreeSet<u32>,
	retry: BTreeSet<u32>,
	history: VecDeque<HistoryEntry>,
}

type State = Arc<Mutex<BTreeMap<u64, TopicState>>>;

/// Why a nonce was not served.
struct Skip {
	reason: String,
	/// A transport failure: the nonce is served again while it is open.
	again: bool,
}

impl From<String> for Skip {
	fn from(reason: String) -> Skip {
		Skip { reason, again: false }
	}
}

/// Serves the configured topics until the process stops.
pub async fn run(
	chain: Chain,
	account: Account,
	topics: Vec<WorkerTopic>,
	metrics: Metrics,
) -> Result<(), String> {
	let state: State = Arc::new(Mutex::new(BTreeMap::new()));
	let configured: BTreeMap<u64, WorkerTopic> = topics.into_iter().map(|t| (t.topic, t)).collect();
	loop {
		let mut blocks = chain.best_blocks("worker").await;
		// Nonces that opened before we subscribed (start, or blocks missed while reconnecting).
		catch_up(&chain, &account, configured.values(), &state, &metrics).await;
		// The last block seen (number, hash), or None when its events could not be read.
		let mut last: Option<(u64, subxt::utils::H256)> = None;
		while let Some(block) = blocks.next().await {
			let block = match block {
				Ok(block) => block,
				Err(e) => {
					log(&format!("block stream interrupted ({e}); resubscribing"));
					break;
				},
			};
			let number = block.number();
			// The best chain jumped (a re-organisation, blocks the stream did not deliver, or
			// a block whose events could not be read): the open nonces are read.
			let jumped = last.is_none_or(|(n, hash)| {
				number != n.saturating_add(1) || block.header().parent_hash != hash
			});
			last = Some((number, block.hash()));
			let again: Vec<&WorkerTopic> = {
				let all = state.lock().await;
				configured
					.values()
					.filter(|t| jumped || all.get(&t.topic).is_some_and(|s| !s.retry.is_empty()))
					.collect()
			};
			if !again.is_empty() {
				catch_up(&chain, &account, again.into_iter(), &state, &metrics).await;
			}
			let events = match block.at().await {
				Ok(at) => at.events().fetch().await.map_err(|e| e.to_string()),
				Err(e) => Err(e.to_string()),
			};
			let events = match events {
				Ok(events) => events,
				Err(e) => {
					log(&format!("block {number}: cannot read its events ({e}); catching up next"));
					last = None;
					continue;
				},
			};
			for opened in events.find::<allora::inference::events::WorkerNonceOpened>() {
				let Ok(opened) = opened else { continue };
				if let Some(topic) = configured.get(&opened.topic_id) {
					spawn_nonce(&chain, &account, topic, opened.nonce, &state, &metrics);
				}
			}
		}
	}
}

/// Serves every open nonce of `topics` that is not handled yet (and forgets retries of nonces
/// that closed).
async fn catch_up<'a>(
	chain: &Chain,
	account: &Account,
	topics: impl Iterator<Item = &'a WorkerTopic>,
	state: &State,
	metrics: &Metrics,
) {
	for topic in topics {
		match open_nonces(chain, topic.topic).await {
			Ok(nonces) => {
				{
					let mut all = state.lock().await;
					let entry = all.entry(topic.topic).or_default();
					entry.retry.retain(|n| nonces.contains(n));
				}
				for nonce in nonces {
					spawn_nonce(chain, account, topic, nonce, state, metrics);
				}
			},
			Err(e) => log(&format!("topic {}: cannot read open nonces: {e}", topic.topic)),
		}
	}
}

async fn open_nonces(chain: &Chain, topic: u64) -> Result<Vec<u32>, String> {
	let at = chain.at_best().await?;
	let open = at
		.runtime_apis()
		.call(allora::runtime_apis().inference_api().open_nonces(topic))
		.await
		.map_err(|e| e.to_string())?;
	Ok(open.worker_nonces)
}

fn spawn_nonce(
	chain: &Chain,
	account: &Account,
	topic: &WorkerTopic,
	nonce: u32,
	state: &State,
	metrics: &Metrics,
) {
	let (chain, account, topic, state, metrics) =
		(chain.clone(), account.clone(), topic.clone(), state.clone(), metrics.clone());
	tokio::spawn(async move {
		let again = {
			let mut all = state.lock().await;
			let entry = all.entry(topic.topic).or_default();
			let again = entry.retry.remove(&nonce);
			if !entry.handled.insert(nonce) && !again {
				return;
			}
			while entry.handled.len() > 1_024 {
				entry.handled.pop_first();
			}
			again
		};
		// A nonce served again after a lost status: it may have landed after all.
		if again && in_active_sets(&chain, &account.id, topic.topic, nonce).await {
			log(&format!("topic {} nonce {nonce}: the payload is on chain", topic.topic));
			return;
		}
		if let Err(skip) = serve_nonce(&chain, &account, &topic, nonce, &state, &metrics).await {
			metrics.failure(topic.topic, "worker");
			if skip.again {
				state.lock().await.entry(topic.topic).or_default().retry.insert(nonce);
			}
			log(&format!(
				"topic {} nonce {nonce}: {}: {}",
				topic.topic,
				if skip.again {
					"not submitted (served again at the next block)"
				} else {
					"skipped"
				},
				skip.reason
			));
		}
	});
}

async fn serve_nonce(
	chain: &Chain,
	account: &Account,
	topic: &WorkerTopic,
	nonce: u32,
	state: &State,
	metrics: &Metrics,
) -> Result<(), Skip> {
	let started = Instant::now();
	let transport = |reason: String| Skip { reason, again: true };
	let at = chain.at_best().await.map_err(transport)?;
	let apis = at.runtime_apis();
	let info = apis
		.call(allora::runtime_apis().inference_api().topic_info(topic.topic))
		.await
		.map_err(|e| transport(e.to_string()))?
		.ok_or_else(|| format!("topic {} does not exist", topic.topic))?;
	let params = apis
		.call(allora::runtime_apis().inference_api().params())
		.await
		.map_err(|e| transport(e.to_string()))?;
	let config = &info.topic.config;
	let bounds = Bounds {
		inference: (config.inference_range.min.0, config.inference_range.max.0),
		loss: (config.loss_range.min.0, config.loss_range.max.0),
	};
	let latest = apis
		.call(allora::runtime_apis().inference_api().network_inference(topic.topic, None))
		.await
		.map_err(|e| transport(e.to_string()))?
		.ok();
	let (history, inferers) = {
		let mut all = state.lock().await;
		let entry = all.entry(topic.topic).or_default();
		let mut inferers = Vec::new();
		if let Some(latest) = &latest {
			if entry.history.back().map(|h| h.nonce) != Some(latest.nonce) {
				entry.history.push_back(HistoryEntry {
					nonce: latest.nonce,
					combined: latest.combined_value.0,
					naive: latest.naive_value.0,
					inferers: latest
						.inferer_values
						.iter()
						.map(|(who, v)| (ss58(who), v.0))
						.collect(),
				});
				while entry.history.len() > HISTORY {
					entry.history.pop_front();
				}
			}
			inferers = latest
				.inferer_values
				.iter()
				.map(|(who, _)| ss58(who))
				.filter(|w| *w != ss58(&account.id))
				.collect();
		}
		(entry.history.iter().cloned().collect::<Vec<_>>(), inferers)
	};
	let request = ModelRequest {
		topic: topic.topic,
		nonce,
		metadata: String::from_utf8_lossy(&config.metadata.0).into_owned(),
		inferers,
		history,
	};
	let mut prediction = model::predict(&topic.model, &request, &bounds).await?;
	// A forecast the runtime would refuse whole (and the inference with it): elements about
	// inferers that left the topic since the latest round, or more than the network allows.
	let mut registered = Vec::with_capacity(prediction.forecasts.len());
	for (inferer, value) in std::mem::take(&mut prediction.forecasts) {
		let on_chain = at
			.storage()
			.try_fetch(allora::storage().inference().workers(), (topic.topic, inferer))
			.await
			.map_err(|e| transport(e.to_string()))?;
		if on_chain.is_some() {
			registered.push((inferer, value));
		} else {
			log(&format!(
				"topic {} nonce {nonce}: forecast of {} dropped: no longer a registered worker",
				topic.topic,
				ss58(&inferer)
			));
		}
	}
	prediction.forecasts = trim_forecast(registered, params.max_elements_per_forecast);
	if prediction.inference.is_none() && prediction.forecasts.is_empty() {
		return Err("nothing left to submit: no forecast element names a registered inferer within the network's maximum".to_string().into());
	}
	let forecast = (!prediction.forecasts.is_empty()).then(|| {
		BoundedVec(
			prediction
				.forecasts
				.iter()
				.map(|(inferer, value)| Element { inferer: *inferer, value: Static(*value) })
				.collect(),
		)
	});
	let call = allora::tx().inference().submit_worker_payload(
		topic.topic,
		nonce,
		prediction.inference.map(Static),
		forecast,
	);
	// A refusal by the runtime is final; a transport failure (connection lost, transaction
	// dropped, no status) is tried again twice, 2 s apart, unless the chain shows that the
	// earlier attempt landed after all.
	let mut attempt = 0;
	loop {
		match account.submit(chain, &call).await {
			Ok(_) => break,
			Err(TxError::Other(e)) if attempt < 2 => {
				attempt += 1;
				tokio::time::sleep(std::time::Duration::from_secs(2)).await;
				if landed(chain, &account.id, topic.topic, nonce, &prediction).await {
					log(&format!(
						"topic {} nonce {nonce}: {e}; but the payload is on chain",
						topic.topic
					));
					break;
				}
				log(&format!("topic {} nonce {nonce}: {e}; trying again", topic.topic));
			},
			Err(e @ TxError::Other(_)) => return Err(transport(e.to_string())),
			Err(e) => return Err(e.to_string().into()),
		}
	}
	metrics.submitted(topic.topic, "worker", nonce, started.elapsed());
	log(&format!(
		"topic {} nonce {nonce}: submitted inference {} and {} forecast elements",
		topic.topic,
		prediction.inference.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
		prediction.forecasts.len()
	));
	Ok(())
}

/// The first `max` elements of a forecast (the runtime refuses a longer one whole).
fn trim_forecast(mut forecast: Vec<(AccountId, Fixed)>, max: u32) -> Vec<(AccountId, Fixed)> {
	forecast.truncate(usize::try_from(max).unwrap_or(usize::MAX));
	forecast
}

/// Whether `who` has an inference or a forecast in `nonce`'s active sets at the best block.
async fn in_active_sets(chain: &Chain, who: &AccountId, topic: u64, nonce: u32) -> bool {
	let Ok(at) = chain.at_best().await else { return false };
	let storage = at.storage();
	let inferred =
		match storage.fetch(allora::storage().inference().inferences(), (topic, nonce)).await {
			Ok(v) => v.decode().is_ok_and(|set| set.0.iter().any(|(w, _)| w == who)),
			Err(_) => false,
		};
	inferred
		|| match storage.fetch(allora::storage().inference().forecasts(), (topic, nonce)).await {
			Ok(v) => v.decode().is_ok_and(|set| set.0.iter().any(|(w, _)| w == who)),
			Err(_) => false,
		}
}

/// Whether `who`'s payload for `nonce` is in the best chain's active sets (an attempt whose
/// status was lost may have been included).
async fn landed(
	chain: &Chain,
	who: &AccountId,
	topic: u64,
	nonce: u32,
	prediction: &model::Prediction,
) -> bool {
	let Ok(at) = chain.at_best().await else { return false };
	let storage = at.storage();
	let inferred = match prediction.inference {
		None => true,
		Some(_) => {
			match storage.fetch(allora::storage().inference().inferences(), (topic, nonce)).await {
				Ok(v) => v.decode().is_ok_and(|set| set.0.iter().any(|(w, _)| w == who)),
				Err(_) => false,
			}
		},
	};
	let forecast = prediction.forecasts.is_empty()
		|| match storage.fetch(allora::storage().inference().forecasts(), (topic, nonce)).await {
			Ok(v) => v.decode().is_ok_and(|set| set.0.iter().any(|(w, _)| w == who)),
			Err(_) => false,
		};
	inferred && forecast
}

fn log(line: &str) {
	crate::log::line("worker", line);
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_forecast_is_trimmed_to_the_networks_maximum() {
		let who = |n: u8| subxt::utils::AccountId32([n; 32]);
		let forecast: Vec<_> = (1..=5).map(|n| (who(n), Fixed::from_raw(i128::from(n)))).collect();
		let trimmed = trim_forecast(forecast.clone(), 3);
		assert_eq!(trimmed, forecast[..3].to_vec());
		assert_eq!(trim_forecast(forecast.clone(), 12), forecast);
		assert!(trim_forecast(forecast, 0).is_empty());
	}
}
