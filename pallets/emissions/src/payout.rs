//! The paying half of a settled round's reward step (spec 6.1 steps 5-9, 6.8, 7.2): the score
//! history, the topic's reward, the plan of [`crate::rewards::plan`], and the payout. It runs in
//! the reputation pallet's reward-step storage layer (fix m): a failure of either half changes
//! nothing but the settlement and is reported with `RewardsSkipped` (decision 10).

use crate::{
	pallet::*,
	rewards::{self, RewardInputs, RewardSettings, RoleInputs, REPUTERS},
	types::*,
	WeightInfo,
};
use alloc::{collections::BTreeMap, vec::Vec};
use allora_math::Fixed;
use frame_support::{
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
		Get,
	},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_inference::Role;
use pallet_reputation::{regrets::merge, OnRoundSettled, Payout, SettledRound};
use pallet_topics::TopicId;
use sp_runtime::DispatchResult;

/// The three roles in plan order.
const ROLES: [Role; 3] = [Role::Inferer, Role::Forecaster, Role::Reputer];

/// A storage bound as a length.
fn cap(bound: u32) -> usize {
	usize::try_from(bound).unwrap_or(usize::MAX)
}

/// A non-negative fixed-point amount of ALLO in base units (truncated; negatives are 0).
fn base_units(x: Fixed) -> u128 {
	x.to_base_units().unwrap_or(0)
}

impl<T: Config> OnRoundSettled<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn reward_step(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		round: &SettledRound<T::AccountId>,
	) -> Result<Payout, SkipReason> {
		// Spec 6.2: every instant score joins the σ history, inside the reward step (a skipped
		// step keeps none of them, decision 10).
		Self::record_scores(topic_id, Role::Inferer, &round.inferer_scores);
		Self::record_scores(topic_id, Role::Forecaster, &round.forecaster_scores);
		Self::pay_round(topic_id, nonce, round)
	}

	fn report(topic_id: TopicId, nonce: BlockNumberFor<T>, outcome: Result<Payout, SkipReason>) {
		Self::deposit_event(match outcome {
			Ok(p) => Event::RewardsPaid {
				topic_id,
				nonce,
				topic_reward: p.topic_reward,
				paid: p.paid,
				dust: p.dust,
			},
			Err(reason) => Event::RewardsSkipped { topic_id, nonce, reason },
		});
	}

	fn weight(inferers: u32, forecasters: u32, reputers: u32) -> Weight {
		<T as Config>::WeightInfo::pay_round(inferers, forecasters, reputers)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn fund_reward_step(_topic_id: TopicId) {
		const ALLO: u128 = 1_000_000_000_000_000_000;
		let _ = <T as Config>::Currency::mint_into(&Self::rewards_account(), 1_000_000 * ALLO);
		RewardBlockEmission::<T>::put(1_000 * ALLO);
	}
}

impl<T: Config> Pallet<T> {
	/// Prepends a round's scores to the (topic, role) σ history, keeping the newest.
	fn record_scores(topic_id: TopicId, role: Role, scores: &[(T::AccountId, Fixed)]) {
		if scores.is_empty() {
			return;
		}
		ScoreHistory::<T>::mutate((topic_id, role), |h| {
			let newest: Vec<Fixed> =
				scores.iter().map(|(_, x)| *x).chain(h.iter().copied()).collect();
			*h = BoundedVec::truncate_from(newest);
		});
	}

	/// E_t of spec 7.2 for one topic: share·e_blk·E, at most the treasury's transferable
	/// balance (base units). `share` = w_t / W_tot of the block that queued the close, in
	/// [0, 1] (issue 12, finding 3: never recomputed against a sum the topic may have left).
	pub fn topic_reward(share: Fixed, epoch_length: u64) -> Result<u128, SkipReason> {
		if !share.is_positive() {
			return Err(SkipReason::NoTopicWeight);
		}
		let (w, total) = (share.min(Fixed::ONE), Fixed::ONE);
		let treasury = <T as Config>::Currency::reducible_balance(
			&Self::rewards_account(),
			Preservation::Preserve,
			Fortitude::Polite,
		);
		let units = |x: u128| Fixed::from_base_units(x).map_err(|_| SkipReason::MechanismFailed);
		let e = allora_synthesis::topic::topic_rewards(
			&[(w, epoch_length)],
			total,
			units(RewardBlockEmission::<T>::get())?,
			units(treasury)?,
		)
		.map_err(|_| SkipReason::MechanismFailed)?;
		let reward = e.first().copied().map(base_units).unwrap_or(0).min(treasury);
		if reward == 0 {
			return Err(SkipReason::NoReward);
		}
		Ok(reward)
	}

	/// The stored smoothed fractions of `who` in (topic, role), aligned.
	fn previous_smoothed(
		topic_id: TopicId,
		role: Role,
		who: &[&T::AccountId],
	) -> Vec<Option<Fixed>> {
		let stored: BTreeMap<T::AccountId, Fixed> = SmoothedFractions::<T>::get((topic_id, role))
			.into_iter()
			.map(|(a, v)| (a, v.value))
			.collect();
		who.iter().map(|a| stored.get(*a).copied()).collect()
	}

	/// Spec 6.4-6.8 for a settled round, inside the caller's storage layer.
	fn pay_round(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		round: &SettledRound<T::AccountId>,
	) -> Result<Payout, SkipReason> {
		let topic = pallet_topics::Topics::<T>::get(topic_id).ok_or(SkipReason::TopicNotFound)?;
		let net = pallet_topics::Pallet::<T>::params();
		let epoch: u64 = sp_runtime::SaturatedConversion::saturated_into(topic.config.epoch_length);
		let topic_reward = Self::topic_reward(round.reward_share, epoch)?;

		let max = cap(net.max_samples_to_scale_scores);
		let window = |role| -> Vec<Fixed> {
			ScoreHistory::<T>::get((topic_id, role)).into_iter().take(max).collect()
		};
		let workers = |role, list: &[(T::AccountId, Fixed)]| {
			let ids: Vec<&T::AccountId> = list.iter().map(|(a, _)| a).collect();
			RoleInputs {
				scores: list.iter().map(|(_, x)| *x).collect(),
				stakes: Vec::new(),
				window: window(role),
				previous: Self::previous_smoothed(topic_id, role, &ids),
			}
		};
		let reputer_ids: Vec<&T::AccountId> = round.reputers.iter().map(|(a, _, _)| a).collect();
		let stakes = round
			.reputers
			.iter()
			.map(|(_, s, _)| Fixed::from_base_units(*s))
			.collect::<Result<Vec<_>, _>>()
			.map_err(|_| SkipReason::MechanismFailed)?;
		let inputs = RewardInputs {
			roles: [
				workers(Role::Inferer, &round.inferer_scores),
				workers(Role::Forecaster, &round.forecaster_scores),
				RoleInputs {
					scores: round.reputers.iter().map(|(_, _, x)| *x).collect(),
					stakes,
					window: Vec::new(),
					previous: Self::previous_smoothed(topic_id, Role::Reputer, &reputer_ids),
				},
			],
			network_loss: round.network_loss,
			naive_loss: round.naive_loss,
			previous_tau: ForecasterScoreRatio::<T>::get(topic_id),
			topic_reward: Fixed::from_base_units(topic_reward)
				.map_err(|_| SkipReason::MechanismFailed)?,
		};
		let settings = RewardSettings {
			inferer: (net.p_reward_inference, net.c_reward_inference),
			forecaster: (net.p_reward_forecast, net.c_reward_forecast),
			reputer_p: net.p_reward_reputer,
			epsilon: topic.config.epsilon,
			task_alpha: net.task_reward_alpha,
			beta: net.beta_entropy,
		};
		let plan = rewards::plan(&inputs, &settings).map_err(|_| SkipReason::MechanismFailed)?;

		// State for the next round: smoothed fractions (6.5) and τ (6.6).
		let accounts: [Vec<T::AccountId>; 3] = [
			round.inferer_scores.iter().map(|(a, _)| a.clone()).collect(),
			round.forecaster_scores.iter().map(|(a, _)| a.clone()).collect(),
			round.reputers.iter().map(|(a, _, _)| a.clone()).collect(),
		];
		for ((role, ids), rp) in ROLES.iter().zip(accounts.iter()).zip(plan.roles.iter()) {
			if let Some(smoothed) = &rp.smoothed {
				let update: BTreeMap<T::AccountId, Fixed> =
					ids.iter().cloned().zip(smoothed.iter().copied()).collect();
				SmoothedFractions::<T>::mutate((topic_id, *role), |list| {
					let merged = merge(
						list.clone().into_inner(),
						update,
						nonce,
						cap(T::MaxTrackedActors::get()),
					);
					*list = BoundedVec::truncate_from(merged);
				});
			}
		}
		ForecasterScoreRatio::<T>::insert(topic_id, plan.utility.tau);

		// Payout (6.8), never more than E_t in total.
		let mut budget = topic_reward;
		let mut records: [Vec<ActorReward<T::AccountId>>; 3] = Default::default();
		for (r, ((ids, rp), role)) in
			accounts.iter().zip(plan.roles.iter()).zip(ROLES.iter()).enumerate()
		{
			for (who, (fraction, reward)) in
				ids.iter().zip(rp.fractions.iter().zip(rp.rewards.iter()))
			{
				let amount = base_units(*reward).min(budget);
				let record = if r == REPUTERS {
					Self::pay_reputer(topic_id, who, *fraction, amount)
				} else {
					Self::pay_worker(topic_id, *role, who, *fraction, amount)
				};
				budget = budget.saturating_sub(record.paid);
				if let Some(list) = records.get_mut(r) {
					list.push(record);
				}
			}
		}
		let paid = topic_reward.saturating_sub(budget);
		let [inferers, forecasters, reputers] = records;
		let [ri, rf, rr] = &plan.roles;
		let task = |x: Fixed| base_units(x);
		LastRewards::<T>::insert(
			topic_id,
			TopicRewards {
				nonce,
				paid_at: frame_system::Pallet::<T>::block_number(),
				topic_reward,
				entropies: [ri.entropy, rf.entropy, rr.entropy],
				forecaster_task_score: plan.task_score,
				tau: plan.utility.tau,
				chi: plan.utility.chi,
				gamma: plan.gamma,
				task_rewards: [
					task(plan.tasks.inference),
					task(plan.tasks.forecasting),
					task(plan.tasks.reputation),
				],
				inferers: BoundedVec::truncate_from(inferers),
				forecasters: BoundedVec::truncate_from(forecasters),
				reputers: BoundedVec::truncate_from(reputers),
				paid,
				dust: budget,
			},
		);
		MonthlyRewards::<T>::mutate(|(total, reputers)| {
			*total = total.saturating_add(topic_reward);
			*reputers = reputers.saturating_add(task(plan.tasks.reputation).min(topic_reward));
		});
		Ok(Payout { topic_reward, paid, dust: budget })
	}

	/// Pays a worker from the treasury and counts the inclusion (experience, spec 5.5) when
	/// something was paid. A transfer that cannot happen leaves the amount as dust.
	fn pay_worker(
		topic_id: TopicId,
		role: Role,
		who: &T::AccountId,
		fraction: Fixed,
		reward: u128,
	) -> ActorReward<T::AccountId> {
		let paid = if reward > 0
			&& <T as Config>::Currency::transfer(
				&Self::rewards_account(),
				who,
				reward,
				Preservation::Preserve,
			)
			.is_ok()
		{
			pallet_reputation::Pallet::<T>::note_inclusion(topic_id, role, who);
			reward
		} else {
			0
		};
		ActorReward { who: who.clone(), fraction, reward, delegators: 0, paid }
	}

	/// Pays a reputer (spec 6.8): the delegators' part trunc(X·D_r/S_r) to the pending-rewards
	/// account and the per-share accumulator, the rest compounded into the reputer's stake.
	/// Each part is all or nothing; a part that fails stays as dust.
	fn pay_reputer(
		topic_id: TopicId,
		who: &T::AccountId,
		fraction: Fixed,
		reward: u128,
	) -> ActorReward<T::AccountId> {
		let delegated = pallet_stake::StakeFromDelegatorsUponReputer::<T>::get(topic_id, who);
		let stake = pallet_stake::StakeReputerAuthority::<T>::get(topic_id, who);
		let (to_delegators, own) = rewards::delegator_split(reward, delegated, stake);
		let treasury = Self::rewards_account();
		let delegators_paid = to_delegators > 0
			&& with_storage_layer(|| -> DispatchResult {
				<T as Config>::Currency::transfer(
					&treasury,
					&pallet_stake::Pallet::<T>::pending_rewards_account(),
					to_delegators,
					Preservation::Preserve,
				)?;
				pallet_stake::Pallet::<T>::add_delegator_rewards(topic_id, who, to_delegators)
			})
			.is_ok();
		let own_paid = own > 0
			&& with_storage_layer(|| -> DispatchResult {
				<T as Config>::Currency::transfer(&treasury, who, own, Preservation::Preserve)?;
				pallet_stake::Pallet::<T>::compound_reward(topic_id, who, own)
			})
			.is_ok();
		let delegators = if delegators_paid { to_delegators } else { 0 };
		let paid = delegators.saturating_add(if own_paid { own } else { 0 });
		ActorReward { who: who.clone(), fraction, reward, delegators, paid }
	}
}
