//! The worker's loop: it learns that a worker nonce opened from the chain's
//! `inference.WorkerNonceOpened` events (and, at start and after a reconnection, from the
//! topic's open nonces), asks the model, and submits the inference and forecasts once per nonce.

use crate::{
	chain::{allora, ss58, Account, AccountId, Chain, TxError},
	config::WorkerTopic,
	metrics::Metrics,
	model::{self, Bounds, HistoryEntry, ModelRequest},
};
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

/// What the worker remembers per topic: the nonces it handled and the recent network values.
#[derive(Default)]
struct TopicState {
	handled: BTreeSet<u32>,
	history: VecDeque<HistoryEntry>,
}

/// Serves the configured topics until the process stops.
pub async fn run(
	chain: Chain,
	account: Account,
	topics: Vec<WorkerTopic>,
	metrics: Metrics,
) -> Result<(), String> {
	let state: Arc<Mutex<BTreeMap<u64, TopicState>>> = Arc::new(Mutex::new(BTreeMap::new()));
	let configured: BTreeMap<u64, WorkerTopic> = topics.into_iter().map(|t| (t.topic, t)).collect();
	loop {
		let mut blocks = chain.best_blocks("worker").await;
		{
			// Nonces that opened before we subscribed (start, or blocks missed while reconnecting).
			for topic in configured.values() {
				match open_nonces(&chain, topic.topic).await {
					Ok(nonces) => {
						for nonce in nonces {
							spawn_nonce(&chain, &account, topic, nonce, &state, &metrics);
						}
					},
					Err(e) => log(&format!("topic {}: cannot read open nonces: {e}", topic.topic)),
				}
			}
		}
		while let Some(block) = blocks.next().await {
			let block = match block {
				Ok(block) => block,
				Err(e) => {
					log(&format!("block stream interrupted ({e}); resubscribing"));
					break;
				},
			};
			let events = match block.at().await {
				Ok(at) => at.events().fetch().await,
				Err(e) => {
					log(&format!("block {}: {e}", block.number()));
					continue;
				},
			};
			let Ok(events) = events else { continue };
			for opened in events.find::<allora::inference::events::WorkerNonceOpened>() {
				let Ok(opened) = opened else { continue };
				if let Some(topic) = configured.get(&opened.topic_id) {
					spawn_nonce(&chain, &account, topic, opened.nonce, &state, &metrics);
				}
			}
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
	state: &Arc<Mutex<BTreeMap<u64, TopicState>>>,
	metrics: &Metrics,
) {
	let (chain, account, topic, state, metrics) =
		(chain.clone(), account.clone(), topic.clone(), state.clone(), metrics.clone());
	tokio::spawn(async move {
		{
			let mut all = state.lock().await;
			let entry = all.entry(topic.topic).or_default();
			if !entry.handled.insert(nonce) {
				return;
			}
			while entry.handled.len() > 1_024 {
				entry.handled.pop_first();
			}
		}
		if let Err(e) = serve_nonce(&chain, &account, &topic, nonce, &state, &metrics).await {
			metrics.failure(topic.topic, "worker");
			log(&format!("topic {} nonce {nonce}: skipped: {e}", topic.topic));
		}
	});
}

async fn serve_nonce(
	chain: &Chain,
	account: &Account,
	topic: &WorkerTopic,
	nonce: u32,
	state: &Arc<Mutex<BTreeMap<u64, TopicState>>>,
	metrics: &Metrics,
) -> Result<(), String> {
	let started = Instant::now();
	let at = chain.at_best().await?;
	let apis = at.runtime_apis();
	let info = apis
		.call(allora::runtime_apis().inference_api().topic_info(topic.topic))
		.await
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("topic {} does not exist", topic.topic))?;
	let config = &info.topic.config;
	let bounds = Bounds {
		inference: (config.inference_range.min.0, config.inference_range.max.0),
		loss: (config.loss_range.min.0, config.loss_range.max.0),
	};
	let latest = apis
		.call(allora::runtime_apis().inference_api().network_inference(topic.topic, None))
		.await
		.map_err(|e| e.to_string())?
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
	let prediction = model::predict(&topic.model, &request, &bounds).await?;
	let forecast = (!prediction.forecasts.is_empty()).then(|| {
		BoundedVec(
			prediction
				.forecasts
				.iter()
				.map(|(inferer, value)| Element { inferer: inferer.clone(), value: Static(*value) })
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
	// dropped) is tried again twice, 2 s apart, while the window may still be open.
	let mut attempt = 0;
	loop {
		match account.submit(chain, &call).await {
			Ok(_) => break,
			Err(TxError::Other(e)) if attempt < 2 => {
				attempt += 1;
				log(&format!("topic {} nonce {nonce}: {e}; trying again", topic.topic));
				tokio::time::sleep(std::time::Duration::from_secs(2)).await;
			},
			Err(e) => return Err(e.to_string()),
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

fn log(line: &str) {
	crate::log::line("worker", line);
}
