//! The life of a worker nonce: opened at an epoch end, its window closed into a snapshot and
//! a network inference, its records pruned later (spec 3.2 steps 3 and 5, 3.6), and the
//! network-inference query of the runtime API (spec 4.1).

use crate::{pallet::*, types::*, OnReputerNonceDropped, TopicRegrets, WeightInfo};
use alloc::vec::Vec;
use allora_math::Fixed;
use allora_synthesis::{
	inference::{network_inference as synthesize, Forecast, SynthesisInput},
	SynthesisParams,
};
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_topics::{EpochHooks, NetworkParams, Topic, TopicId};
use sp_runtime::traits::{One, Saturating, Zero};

/// Snapshots pruned per epoch end at most (one is added per epoch, so the FIFO shrinks).
const PRUNE_PER_EPOCH: usize = 2;

impl<T: Config> EpochHooks<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn on_epoch_end(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) {
		Self::open_worker_nonce(topic_id, topic, now);
	}

	/// Measured with a window left open at the largest size (closed here), full deferral
	/// probing and two snapshots to prune; worker nonces dropped are added.
	fn on_epoch_end_weight() -> Weight {
		<T as Config>::WeightInfo::open_worker_nonce()
			.saturating_add(
				T::OnReputerNonceDropped::weight().saturating_mul(PRUNE_PER_EPOCH as u64),
			)
			// Open worker nonces pushed out of a list left long by a lowered bound.
			.saturating_add(T::DbWeight::get().writes((DROP_PER_CALL as u64).saturating_mul(2)))
	}
}

/// Nonces one call drops at most when the list is longer than its bound: one more than a
/// call adds, so a list left long by a lowered bound shrinks to it step by step, with bounded
/// work per hook (a bound lowered from 100 to 4 would otherwise drop 96 nonces at once).
pub const DROP_PER_CALL: usize = 2;

/// Drops the oldest nonces of a newest-first list beyond `max`, at most [`DROP_PER_CALL`];
/// returns them, oldest first.
fn keep_newest<N: Clone>(list: &mut Vec<N>, max: usize) -> Vec<N> {
	let excess = list.len().saturating_sub(max).min(DROP_PER_CALL);
	let keep = list.len().saturating_sub(excess);
	let mut dropped = list.split_off(keep);
	dropped.reverse();
	dropped
}

impl<T: Config> Pallet<T> {
	/// Spec 3.2 step 3 for one topic at its epoch end `now`: close a window left open (its
	/// close could not be scheduled), open worker nonce `now`, schedule its window close at
	/// `now + W` and prune old nonces (spec 3.6).
	pub fn open_worker_nonce(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) {
		let window = topic.config.worker_submission_window;
		for nonce in OpenWorkerNonces::<T>::get(topic_id) {
			if now >= nonce.saturating_add(window) {
				Self::close_worker_nonce(topic_id, nonce, now);
			}
		}
		let params = pallet_topics::Pallet::<T>::params();
		let mut open = OpenWorkerNonces::<T>::get(topic_id).into_inner();
		open.insert(0, now);
		let max = bound(params.max_unfulfilled_worker_requests, T::MaxUnfulfilledNonces::get());
		for dropped in keep_newest(&mut open, max) {
			Inferences::<T>::remove(topic_id, dropped);
			Forecasts::<T>::remove(topic_id, dropped);
			Self::deposit_event(Event::WorkerNonceDropped { topic_id, nonce: dropped });
		}
		// A full list (the bound is at most the storage bound) always drops one above.
		OpenWorkerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(open));
		let window_closes = now.saturating_add(window);
		let mut block = window_closes;
		for _ in 0..=<T as pallet_topics::Config>::MaxScheduleDeferral::get() {
			if WindowCloses::<T>::mutate(block, |w| w.try_push((topic_id, now)).is_ok()) {
				break;
			}
			block = block.saturating_add(One::one());
		}
		Self::deposit_event(Event::WorkerNonceOpened { topic_id, nonce: now, window_closes });
		Self::prune(topic_id, topic, now, &params);
	}

	/// Spec 3.6: reputer nonces older than now − ((R + 1)·E + G) are dropped and snapshots
	/// older than that bound − E are pruned, at most [`PRUNE_PER_EPOCH`] per call.
	fn prune(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
		params: &NetworkParams,
	) {
		let e = topic.config.epoch_length;
		let r: BlockNumberFor<T> = params.max_unfulfilled_reputer_requests.saturating_add(1).into();
		let horizon = r.saturating_mul(e).saturating_add(topic.config.ground_truth_lag);
		let reputer_bound = now.saturating_sub(horizon);
		if !reputer_bound.is_zero() {
			// Oldest first, at most PRUNE_PER_EPOCH per call (the reputer side cleans each up).
			let mut nonces = ReputerNonces::<T>::get(topic_id).into_inner();
			let stale: Vec<_> = nonces
				.iter()
				.rev()
				.filter(|n| **n < reputer_bound)
				.take(PRUNE_PER_EPOCH)
				.copied()
				.collect();
			if !stale.is_empty() {
				nonces.retain(|n| !stale.contains(n));
				ReputerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(nonces));
				for nonce in stale {
					T::OnReputerNonceDropped::on_reputer_nonce_dropped(topic_id, nonce);
				}
			}
		}
		let snapshot_bound = reputer_bound.saturating_sub(e);
		if snapshot_bound.is_zero() {
			return;
		}
		let mut retained = RetainedNonces::<T>::get(topic_id).into_inner();
		let old = retained.iter().take_while(|n| **n < snapshot_bound).count();
		let pruned: Vec<_> = retained.drain(..old.min(PRUNE_PER_EPOCH)).collect();
		for nonce in pruned {
			Self::remove_snapshot(topic_id, nonce);
		}
		RetainedNonces::<T>::insert(topic_id, BoundedVec::truncate_from(retained));
	}

	pub(crate) fn remove_snapshot(topic_id: TopicId, nonce: BlockNumberFor<T>) {
		Inferences::<T>::remove(topic_id, nonce);
		Forecasts::<T>::remove(topic_id, nonce);
		Rounds::<T>::remove(topic_id, nonce);
		Self::deposit_event(Event::NoncePruned { topic_id, nonce });
	}

	/// Closes worker nonce `nonce` of `topic_id` (spec 3.2 step 5): snapshot the active
	/// inferences, keep forecast elements about them only (dropping empty forecasts), compute
	/// and store the network inference, open reputer nonce `nonce`. A nonce without
	/// inferences is dropped. Does nothing if the nonce is not open.
	pub fn close_worker_nonce(topic_id: TopicId, nonce: BlockNumberFor<T>, now: BlockNumberFor<T>) {
		let mut open = OpenWorkerNonces::<T>::get(topic_id);
		let before = open.len();
		open.retain(|n| *n != nonce);
		if open.len() == before {
			return;
		}
		OpenWorkerNonces::<T>::insert(topic_id, open);
		let inferences = Inferences::<T>::get(topic_id, nonce);
		if inferences.is_empty() {
			Forecasts::<T>::remove(topic_id, nonce);
			Self::deposit_event(Event::WorkerNonceDropped { topic_id, nonce });
			return;
		}
		let named = |j: &T::AccountId| inferences.binary_search_by(|(a, _)| a.cmp(j)).is_ok();
		let forecasts: Vec<_> = Forecasts::<T>::get(topic_id, nonce)
			.into_iter()
			.filter_map(|(k, mut elements)| {
				elements.retain(|e| named(&e.inferer));
				(!elements.is_empty()).then_some((k, elements))
			})
			.collect();
		let (inferers, forecasters) = (
			u32::try_from(inferences.len()).unwrap_or(u32::MAX),
			u32::try_from(forecasts.len()).unwrap_or(u32::MAX),
		);
		let forecasts: ForecastsOf<T> = BoundedVec::truncate_from(forecasts);
		Forecasts::<T>::insert(topic_id, nonce, &forecasts);
		let mut retained = RetainedNonces::<T>::get(topic_id).into_inner();
		if retained.len() >= usize::try_from(T::MaxStoredNonces::get()).unwrap_or(usize::MAX)
			&& !retained.is_empty()
		{
			let oldest = retained.remove(0);
			Self::remove_snapshot(topic_id, oldest);
		}
		retained.push(nonce);
		RetainedNonces::<T>::insert(topic_id, BoundedVec::truncate_from(retained));

		let params = pallet_topics::Pallet::<T>::params();
		let bundle = pallet_topics::Topics::<T>::get(topic_id)
			.ok_or(InferenceQueryError::TopicNotFound)
			.and_then(|topic| {
				let (inferences, forecasts) = synthesis_inputs::<T>(inferences, forecasts);
				Self::synthesize(topic_id, &topic, &params, nonce, &inferences, &forecasts, false)
			});
		// What the close produced bounds what loss bundles may judge (decision 12).
		let summary = match &bundle {
			Ok(b) => RoundSummary {
				closed_at: now,
				inferers,
				forecasters,
				mode: Some(b.mode),
				produced: ProducedLists::of(b),
			},
			Err(_) => RoundSummary {
				closed_at: now,
				inferers,
				forecasters,
				mode: None,
				produced: ProducedLists::default(),
			},
		};
		Rounds::<T>::insert(topic_id, nonce, summary);
		let combined_value = match bundle {
			Ok(bundle) => {
				let latest = LatestInference {
					nonce,
					combined_value: bundle.combined_value,
					confidence_interval: BoundedVec::truncate_from(
						bundle.confidence_interval_values,
					),
					mode: bundle.mode,
				};
				LatestNetworkInference::<T>::insert(topic_id, latest);
				Some(bundle.combined_value)
			},
			Err(_) => None,
		};
		Self::deposit_event(Event::WorkerWindowClosed {
			topic_id,
			nonce,
			inferers: summary.inferers,
			forecasters: summary.forecasters,
			combined_value,
		});

		let mut reputer = ReputerNonces::<T>::get(topic_id).into_inner();
		reputer.insert(0, nonce);
		let max = bound(params.max_unfulfilled_reputer_requests, T::MaxUnfulfilledNonces::get());
		let dropped = keep_newest(&mut reputer, max);
		ReputerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(reputer));
		for old in dropped {
			T::OnReputerNonceDropped::on_reputer_nonce_dropped(topic_id, old);
		}
		Self::deposit_event(Event::ReputerNonceOpened { topic_id, nonce });
	}

	/// The full network-inference bundle (spec 4.5-4.8) of a closed nonce (default: the
	/// latest), computed from its snapshot with the topic's current regrets and latest network
	/// loss, as spec 4.1 prescribes.
	pub fn network_inference(
		topic_id: TopicId,
		nonce: Option<BlockNumberFor<T>>,
	) -> Result<NetworkInferenceBundle<T::AccountId, BlockNumberFor<T>>, InferenceQueryError> {
		let topic =
			pallet_topics::Topics::<T>::get(topic_id).ok_or(InferenceQueryError::TopicNotFound)?;
		let nonce = match nonce {
			Some(n) => n,
			None => {
				*RetainedNonces::<T>::get(topic_id).last().ok_or(InferenceQueryError::NoSnapshot)?
			},
		};
		let summary = Rounds::<T>::get(topic_id, nonce).ok_or(InferenceQueryError::NoSnapshot)?;
		let (inferences, forecasts) = synthesis_inputs::<T>(
			Inferences::<T>::get(topic_id, nonce),
			Forecasts::<T>::get(topic_id, nonce),
		);
		let params = pallet_topics::Pallet::<T>::params();
		// A nonce closed in the median mode stays in it: its bundles may judge only the values
		// that mode produced, whatever network loss arrived since (decision 12).
		let median = summary.mode == Some(InferenceMode::NoNetworkLoss);
		Self::synthesize(topic_id, &topic, &params, nonce, &inferences, &forecasts, median)
	}

	/// The network inference of a snapshot with the topic's current regrets and latest
	/// network loss (none with `median`): the one computation behind the window close and the
	/// query.
	#[allow(clippy::too_many_arguments)]
	fn synthesize(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		params: &NetworkParams,
		nonce: BlockNumberFor<T>,
		inferences: &[(T::AccountId, Fixed)],
		forecasts: &[Forecast<T::AccountId>],
		median: bool,
	) -> Result<NetworkInferenceBundle<T::AccountId, BlockNumberFor<T>>, InferenceQueryError> {
		if inferences.is_empty() {
			return Err(InferenceQueryError::NoInferences);
		}
		let regrets = T::Regrets::regrets(topic_id, topic.initial_regret);
		let input = SynthesisInput {
			inferences,
			forecasts,
			latest_network_loss: if median {
				None
			} else {
				T::Regrets::latest_network_loss(topic_id)
			},
			regrets: &regrets,
			params: SynthesisParams {
				p_norm: topic.config.p_norm,
				c_norm: params.c_norm,
				epsilon: topic.config.epsilon,
				epsilon_safe_div: params.epsilon_safe_div,
				outlier_mads: params.inference_outlier_mads,
			},
		};
		let result = synthesize(&input).map_err(|_| InferenceQueryError::SynthesisFailed)?;
		Ok(NetworkInferenceBundle::new(topic_id, nonce, result))
	}

	/// The topic with the chain's state on it, for clients.
	pub fn topic_info(topic_id: TopicId) -> Option<TopicInfo<T::AccountId, BlockNumberFor<T>>> {
		let topic = pallet_topics::Topics::<T>::get(topic_id)?;
		Some(TopicInfo {
			topic_id,
			topic,
			fee_revenue: pallet_topics::FeeRevenue::<T>::get(topic_id),
			weight: pallet_topics::PreviousTopicWeight::<T>::get(topic_id),
			next_epoch_end: pallet_topics::NextEpochEnd::<T>::get(topic_id),
			workers: WorkerCount::<T>::get(topic_id),
			latest_inference: LatestNetworkInference::<T>::get(topic_id),
		})
	}
}

/// A snapshot in the synthesis library's shapes.
fn synthesis_inputs<T: Config>(
	inferences: InferencesOf<T>,
	forecasts: ForecastsOf<T>,
) -> (ActorValues<T::AccountId>, Vec<Forecast<T::AccountId>>) {
	let forecasts = forecasts
		.into_iter()
		.map(|(forecaster, elements)| Forecast {
			forecaster,
			elements: elements.into_iter().map(|e| (e.inferer, e.value)).collect(),
		})
		.collect();
	(inferences.into_inner(), forecasts)
}

/// A size parameter capped by its storage bound, as a length.
fn bound(param: u32, storage_bound: u32) -> usize {
	usize::try_from(param.min(storage_bound)).unwrap_or(usize::MAX)
}
