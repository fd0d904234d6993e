//! Closing reputer nonces (spec 5.2-5.6, 6.2-6.3): queued at the topic's first epoch end at or
//! after N + 2G (fix o), then settled in a later block's `on_finalize`, at most
//! `MaxClosesPerBlock` per block with their weight reserved in `on_initialize`.

use crate::{bundle, pallet::*, types::*, OnRoundSettled, SettledRound, WeightInfo};
use alloc::vec::Vec;
use allora_math::Fixed;
use allora_synthesis::{
	consensus,
	losses::{self, ValueBundle},
	regrets, scores, RegretParams, ReputerParams,
};
use frame_support::{storage::with_storage_layer, traits::Get, weights::Weight, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_inference::{Role, ScoreEma};
use pallet_topics::{EpochHooks, NetworkParams, Topic, TopicId};
use sp_runtime::Saturating;

/// A settled nonce (spec 5.3-5.5 done and stored): what its event reports and what the
/// reward step starts from.
pub struct Settled<AccountId: Ord> {
	/// ℓ_i.
	pub network_loss: Fixed,
	/// Accepted reputers.
	pub reputers: u32,
	/// The network losses (5.3).
	net: ValueBundle<AccountId>,
	/// The accepted bundles with their reputers' total stakes, ascending by reputer.
	accepted: Vec<(AccountId, u128, ValueBundle<AccountId>)>,
	/// The same stakes as fixed-point numbers.
	stakes: Vec<Fixed>,
}

impl<T: Config> EpochHooks<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	/// Queues the topic's reputer nonces whose window [N + G, N + 2G] has passed (fix o: the
	/// reference closed at N + G + E, before the window's end when G > E).
	fn on_epoch_end(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) {
		let g = topic.config.ground_truth_lag;
		let mut queue = CloseQueue::<T>::get();
		let room = cap(T::MaxQueuedCloses::get()).saturating_sub(queue.len());
		let due = pallet_inference::Pallet::<T>::take_due_reputer_nonces(
			topic_id,
			|n| now >= n.saturating_add(g).saturating_add(g),
			room,
		);
		if due.is_empty() {
			return;
		}
		let share = reward_share::<T>(topic_id);
		for nonce in due {
			if queue.try_push((topic_id, nonce, now, share)).is_ok() {
				Self::deposit_event(Event::ReputerNonceQueued { topic_id, nonce });
			}
		}
		CloseQueue::<T>::put(queue);
	}

	fn on_epoch_end_weight() -> Weight {
		<T as Config>::WeightInfo::queue_due_closes()
	}
}

/// w_t / Σw of the topic now, in [0, 1] (0 without weight): its share of the reward emission.
pub(crate) fn reward_share<T: Config>(topic_id: TopicId) -> Fixed {
	let w = pallet_topics::PreviousTopicWeight::<T>::get(topic_id).unwrap_or(Fixed::ZERO);
	let total = pallet_topics::TotalSumPreviousTopicWeights::<T>::get();
	if !w.is_positive() || !total.is_positive() {
		return Fixed::ZERO;
	}
	w.checked_div(total).unwrap_or(Fixed::ZERO).clamp(Fixed::ZERO, Fixed::ONE)
}

/// A storage bound as a length.
pub(crate) fn cap(bound: u32) -> usize {
	usize::try_from(bound).unwrap_or(usize::MAX)
}

/// A length as a benchmark component.
fn component(len: Option<usize>) -> u32 {
	u32::try_from(len.unwrap_or(0)).unwrap_or(u32::MAX)
}

impl<T: Config> Pallet<T> {
	/// The queued closes this block settles: queued before `now`, at most `MaxClosesPerBlock`.
	fn batch(
		queue: &[(TopicId, BlockNumberFor<T>, BlockNumberFor<T>, Fixed)],
		now: BlockNumberFor<T>,
	) -> usize {
		queue
			.iter()
			.take(cap(T::MaxClosesPerBlock::get()))
			.take_while(|(_, _, queued, _)| *queued < now)
			.count()
	}

	/// The weight `on_finalize` will use: each close of the batch at its sizes (inferers,
	/// forecasters, reputers).
	pub(crate) fn closes_weight(now: BlockNumberFor<T>) -> Weight {
		let queue = CloseQueue::<T>::get();
		let db = T::DbWeight::get();
		let mut weight = db.reads_writes(1, 1);
		for (topic_id, nonce, _, _) in queue.iter().take(Self::batch(&queue, now)) {
			let i = pallet_inference::Inferences::<T>::decode_len(topic_id, nonce);
			let f = pallet_inference::Forecasts::<T>::decode_len(topic_id, nonce);
			let r = ActiveReputers::<T>::decode_len(topic_id, nonce);
			let (i, f, r) = (component(i), component(f), component(r));
			weight = weight
				.saturating_add(db.reads(3))
				.saturating_add(<T as Config>::WeightInfo::close_reputer_nonce(i, f, r))
				.saturating_add(T::OnRoundSettled::weight(i, f, r));
		}
		weight
	}

	/// Settles the batch of queued closes (spec 3.2 step 3d); the rest waits for the next block.
	pub(crate) fn process_closes(now: BlockNumberFor<T>) {
		let queue = CloseQueue::<T>::get();
		let n = Self::batch(&queue, now);
		if n == 0 {
			return;
		}
		let mut queue = queue.into_inner();
		let batch: Vec<_> = queue.drain(..n).collect();
		CloseQueue::<T>::put(BoundedVec::truncate_from(queue));
		for (topic_id, nonce, _, share) in batch {
			Self::close_reputer_nonce(topic_id, nonce, now, share);
		}
	}

	/// Closes reputer nonce `nonce` of `topic_id`: settles it in its own storage layer (all or
	/// nothing) and removes its active set and bundles either way; then runs the reward step
	/// (both halves, paid with `reward_share`, the share fixed when the close was queued) in
	/// a second layer, so that a skipped reward step keeps only the settlement (decision 10).
	pub fn close_reputer_nonce(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
		reward_share: Fixed,
	) {
		let result = with_storage_layer(|| Self::settle(topic_id, nonce, now));
		for reputer in ActiveReputers::<T>::take(topic_id, nonce) {
			LossBundles::<T>::remove((topic_id, nonce), reputer);
		}
		match result {
			Ok(s) => {
				Self::deposit_event(Event::ReputerNonceClosed {
					topic_id,
					nonce,
					reputers: s.reputers,
					network_loss: s.network_loss,
				});
				let outcome = with_storage_layer(|| {
					let round = Self::reward_state(topic_id, nonce, &s, reward_share)?;
					T::OnRoundSettled::reward_step(topic_id, nonce, &round)
				});
				T::OnRoundSettled::report(topic_id, nonce, outcome);
			},
			Err(reason) => {
				Self::deposit_event(Event::ReputerNonceDropped { topic_id, nonce, reason })
			},
		}
	}

	/// The bundles of the nonce's active reputers holding `RequiredMinimumStake`, filtered
	/// against the snapshot (spec 5.2), with their total stakes, ascending by reputer.
	fn accepted_bundles(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		snapshot: &bundle::Snapshot<T::AccountId>,
		params: &NetworkParams,
	) -> Vec<(T::AccountId, u128, ValueBundle<T::AccountId>)> {
		ActiveReputers::<T>::get(topic_id, nonce)
			.into_iter()
			.filter_map(|reputer| {
				let stake = pallet_stake::StakeReputerAuthority::<T>::get(topic_id, &reputer);
				if stake < params.required_minimum_stake {
					return None;
				}
				let b = LossBundles::<T>::get((topic_id, nonce), &reputer)?;
				let v = bundle::to_value_bundle(&b, snapshot)?;
				Some((reputer, stake, v))
			})
			.collect()
	}

	/// The settlement of one nonce (spec 5.2-5.5, 3.2 step 3d): network losses, regrets and the
	/// initial regret, stored; kept even when the reward step is skipped (decision 10).
	fn settle(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
	) -> Result<Settled<T::AccountId>, DropReason> {
		let topic = pallet_topics::Topics::<T>::get(topic_id).ok_or(DropReason::TopicNotFound)?;
		let params = pallet_topics::Pallet::<T>::params();
		let snapshot = bundle::snapshot::<T>(topic_id, nonce);
		if snapshot.inferers.is_empty() {
			return Err(DropReason::NoSnapshot);
		}
		let accepted = Self::accepted_bundles(topic_id, nonce, &snapshot, &params);
		if accepted.is_empty() {
			return Err(DropReason::NoStakedReputer);
		}
		let failed = |_| DropReason::MechanismFailed;
		let stakes: Vec<Fixed> = accepted
			.iter()
			.map(|(_, s, _)| Fixed::from_base_units(*s))
			.collect::<Result<_, _>>()
			.map_err(|_| DropReason::MechanismFailed)?;

		// Network losses (5.3).
		let reports: Vec<(Fixed, &ValueBundle<T::AccountId>)> =
			stakes.iter().zip(accepted.iter()).map(|(s, (_, _, b))| (*s, b)).collect();
		let net = losses::network_losses(&reports).map_err(failed)?;

		// Regrets (5.4) and the topic initial regret (5.5).
		let regret_params = RegretParams {
			alpha_regret: topic.config.alpha_regret,
			initial_regret_quantile: params.initial_regret_quantile,
			p_norm_safe_div: params.p_norm_safe_div,
			c_norm: params.c_norm,
			p_norm: topic.config.p_norm,
			epsilon: topic.config.epsilon,
		};
		let previous = Self::stored_regrets(topic_id, topic.initial_regret);
		let updated =
			regrets::updated_regrets(&net, &previous, topic.config.alpha_regret).map_err(failed)?;
		let experienced = |role: Role,
		                   prior: &alloc::collections::BTreeMap<T::AccountId, Fixed>,
		                   ids: Vec<&T::AccountId>|
		 -> Result<Vec<T::AccountId>, DropReason> {
			let mut out = Vec::new();
			for id in ids {
				let n = u64::from(InclusionCounts::<T>::get((topic_id, role), id));
				if regrets::is_experienced(prior.contains_key(id), n, topic.config.alpha_regret)
					.map_err(failed)?
				{
					out.push(id.clone());
				}
			}
			Ok(out)
		};
		let exp_inferers =
			experienced(Role::Inferer, &previous.inferer, updated.inferer.keys().collect())?;
		let exp_forecasters = experienced(
			Role::Forecaster,
			&previous.forecaster,
			updated.forecaster.keys().collect(),
		)?;
		let values = regrets::experienced_values(&updated, &exp_inferers, &exp_forecasters);
		let initial_regret = if values.is_empty() {
			topic.initial_regret
		} else {
			regrets::initial_regret(&values, &regret_params).map_err(failed)?
		};
		Self::store_regrets(topic_id, updated, nonce);
		pallet_topics::Pallet::<T>::set_initial_regret(topic_id, initial_regret);

		LatestRound::<T>::insert(
			topic_id,
			RoundOutcome {
				nonce,
				closed_at: now,
				inferer_scores: BoundedVec::new(),
				forecaster_scores: BoundedVec::new(),
				reputers: BoundedVec::new(),
				initial_regret,
			},
		);
		NetworkLosses::<T>::insert(topic_id, (nonce, bundle::from_value_bundle::<T>(net.clone())));
		Ok(Settled {
			network_loss: net.combined,
			reputers: u32::try_from(accepted.len()).unwrap_or(u32::MAX),
			net,
			accepted,
			stakes,
		})
	}

	/// The reputation pallet's half of the reward step (spec 6.1 steps 2-4), inside the reward
	/// step's storage layer: reputer consensus and listening coefficients (5.6), worker scores
	/// (6.2), score EMAs and quantiles (6.3), the scores in `LatestRound`; returns what the
	/// paying half needs. A round without inferer scores is refused before any computation.
	fn reward_state(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		s: &Settled<T::AccountId>,
		reward_share: Fixed,
	) -> Result<SettledRound<T::AccountId>, SkipReason> {
		let topic = pallet_topics::Topics::<T>::get(topic_id).ok_or(SkipReason::TopicNotFound)?;
		let params = pallet_topics::Pallet::<T>::params();
		let failed = |_| SkipReason::MechanismFailed;

		// Worker scores (6.2): none without one-out values (median or single-inference mode).
		let inferer_scores = scores::inferer_scores(&s.net).map_err(failed)?;
		if inferer_scores.scores.is_empty() {
			return Err(SkipReason::NoScoredInferers);
		}
		let forecaster_scores = scores::forecaster_scores(&s.net).map_err(failed)?;

		// Reputer consensus and listening coefficients (5.6).
		let refs: Vec<&ValueBundle<T::AccountId>> = s.accepted.iter().map(|(_, _, b)| b).collect();
		let vectors = losses::loss_vectors(&refs);
		let coefficients: Vec<Fixed> = s
			.accepted
			.iter()
			.map(|(m, _, _)| ListeningCoefficients::<T>::get(topic_id, m).unwrap_or(Fixed::ONE))
			.collect();
		let reputer_params = ReputerParams {
			epsilon_reputer: params.epsilon_reputer,
			epsilon_safe_div: params.epsilon_safe_div,
			learning_rate: params.learning_rate,
			max_iterations: params.gradient_descent_max_iters,
			max_gradient_threshold: params.max_gradient_threshold,
			min_stake_fraction: params.min_stake_fraction,
		};
		let outcome =
			consensus::reputer_scores(&vectors, &s.stakes, &coefficients, &reputer_params)
				.map_err(|_| SkipReason::ConsensusFailed)?;
		let mut reputers = Vec::new();
		for (i, (m, stake, _)) in s.accepted.iter().enumerate() {
			let at = |v: &Vec<Fixed>| v.get(i).copied().ok_or(SkipReason::ConsensusFailed);
			let result = ReputerResult {
				reputer: m.clone(),
				stake: *stake,
				score: at(&outcome.scores)?,
				listening_coefficient: at(&outcome.coefficients)?,
				adjusted_stake: at(&outcome.adjusted_stakes)?,
			};
			if pallet_stake::Pallet::<T>::is_reputer(topic_id, m) {
				ListeningCoefficients::<T>::insert(topic_id, m, result.listening_coefficient);
			}
			reputers.push(result);
		}

		// Score EMAs and quantiles (6.3).
		let reputer_scores: alloc::collections::BTreeMap<T::AccountId, Fixed> =
			reputers.iter().map(|r| (r.reputer.clone(), r.score)).collect();
		let alpha = topic.config.merit_sortition_alpha;
		let rounds = [
			(
				Role::Inferer,
				&inferer_scores.scores,
				inferer_scores.update_emas,
				topic.config.active_inferer_quantile,
			),
			(
				Role::Forecaster,
				&forecaster_scores.scores,
				forecaster_scores.update_emas,
				topic.config.active_forecaster_quantile,
			),
			(Role::Reputer, &reputer_scores, true, topic.config.active_reputer_quantile),
		];
		for (role, round, update, q) in rounds {
			if !update || round.is_empty() {
				continue;
			}
			for (who, score) in round.iter() {
				let previous =
					pallet_inference::ScoreEmas::<T>::get((topic_id, role), who).map(|e| e.score);
				let ema = scores::score_ema(alpha, *score, previous).map_err(failed)?;
				// An actor that left the topic since its submission keeps no state on it.
				if Pallet::<T>::is_registered(topic_id, role, who) {
					pallet_inference::Pallet::<T>::set_score_ema(
						topic_id,
						role,
						who,
						ScoreEma { nonce, score: ema },
					);
				}
			}
			let values: Vec<Fixed> = round.values().copied().collect();
			let quantile = scores::score_quantile(&values, q).map_err(failed)?;
			pallet_inference::Pallet::<T>::set_previous_quantile_score(topic_id, role, quantile);
		}

		let round = SettledRound {
			network_loss: s.net.combined,
			naive_loss: s.net.naive,
			inferer_scores: inferer_scores.scores.iter().map(|(a, x)| (a.clone(), *x)).collect(),
			forecaster_scores: forecaster_scores
				.scores
				.iter()
				.map(|(a, x)| (a.clone(), *x))
				.collect(),
			reputers: reputers.iter().map(|r| (r.reputer.clone(), r.stake, r.score)).collect(),
			reward_share,
		};
		LatestRound::<T>::mutate(topic_id, |latest| {
			if let Some(outcome) = latest {
				outcome.inferer_scores =
					BoundedVec::truncate_from(inferer_scores.scores.into_iter().collect());
				outcome.forecaster_scores =
					BoundedVec::truncate_from(forecaster_scores.scores.into_iter().collect());
				outcome.reputers = BoundedVec::truncate_from(reputers);
			}
		});
		Ok(round)
	}

	/// The topic's latest closed round for clients.
	pub fn round_results(
		topic_id: TopicId,
	) -> Option<RoundResults<T::AccountId, BlockNumberFor<T>>> {
		let outcome = LatestRound::<T>::get(topic_id)?;
		let (_, losses) = NetworkLosses::<T>::get(topic_id)?;
		Some(RoundResults {
			nonce: outcome.nonce,
			closed_at: outcome.closed_at,
			network_losses: bundle::view::<T>(losses),
			inferer_scores: outcome.inferer_scores.into_inner(),
			forecaster_scores: outcome.forecaster_scores.into_inner(),
			reputers: outcome.reputers.into_inner(),
			initial_regret: outcome.initial_regret,
		})
	}

	/// The topic's reputer nonces waiting for bundles, with their windows and active sets,
	/// newest first.
	pub fn reputer_nonces(
		topic_id: TopicId,
	) -> Vec<ReputerNonceStatus<T::AccountId, BlockNumberFor<T>>> {
		let Some(topic) = pallet_topics::Topics::<T>::get(topic_id) else { return Vec::new() };
		let g = topic.config.ground_truth_lag;
		pallet_inference::ReputerNonces::<T>::get(topic_id)
			.into_iter()
			.map(|nonce| ReputerNonceStatus {
				nonce,
				window_opens: nonce.saturating_add(g),
				window_closes: nonce.saturating_add(g).saturating_add(g),
				reputers: ActiveReputers::<T>::get(topic_id, nonce).into_inner(),
			})
			.collect()
	}
}

/// A reputer nonce dropped unclosed by the inference pallet: its bundles and active set are
/// removed (issue 12, finding 5), and `ReputerNonceDropped { reason: Expired }` says so when
/// anything was there.
impl<T: Config> pallet_inference::OnReputerNonceDropped<BlockNumberFor<T>> for Pallet<T> {
	fn on_reputer_nonce_dropped(topic_id: TopicId, nonce: BlockNumberFor<T>) {
		let members = ActiveReputers::<T>::take(topic_id, nonce);
		if members.is_empty() {
			return;
		}
		for reputer in members {
			LossBundles::<T>::remove((topic_id, nonce), reputer);
		}
		Self::deposit_event(Event::ReputerNonceDropped {
			topic_id,
			nonce,
			reason: DropReason::Expired,
		});
	}

	fn weight() -> Weight {
		let members = u64::from(<T as pallet_topics::Config>::MaxActiveReputers::get());
		T::DbWeight::get().reads_writes(1, members.saturating_add(1))
	}
}
