//! Topic weights, revenue drip, activation, churn and the per-block schedule of epoch ends
//! (spec 3.2 steps 2-3, 3.4, 7.1, 7.4).

use crate::{
	pallet::*,
	types::{NetworkParams, Topic, TopicId},
	EpochHooks, TopicStake,
};
use alloc::vec::Vec;
use allora_math::{mul_div_floor, Fixed};
use allora_synthesis::topic::topic_weight;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating},
	SaturatedConversion,
};

/// 4.345 weeks per month, as thousandths (spec 7.4).
const WEEKS_PER_MONTH_MILLI: u128 = 4_345;

/// a + b, saturating at the largest value.
fn add(a: Fixed, b: Fixed) -> Fixed {
	a.checked_add(b).unwrap_or(Fixed::MAX)
}

/// a − b, never below 0 (the running sum of weights is non-negative).
fn sub(a: Fixed, b: Fixed) -> Fixed {
	a.checked_sub(b).unwrap_or(Fixed::ZERO).max(Fixed::ZERO)
}

/// Revenue after one epoch's drip: trunc(C − C/epochs_per_week) with epochs_per_week =
/// blocks_per_month / 4.345 / E, i.e. floor(C·(1000·BPM − 4345·E) / (1000·BPM)); 0 when an
/// epoch is at least a week long (spec 7.4).
pub fn dripped_revenue(revenue: u128, epoch_length: u64, blocks_per_month: u32) -> u128 {
	let month = u128::from(blocks_per_month).saturating_mul(1_000);
	let decay = u128::from(epoch_length).saturating_mul(WEEKS_PER_MONTH_MILLI);
	match month.checked_sub(decay) {
		Some(kept) if kept > 0 => mul_div_floor(revenue, kept, month).unwrap_or(0),
		_ => 0,
	}
}

impl<T: Config> Pallet<T> {
	/// The topic's weight now (spec 7.1): S^μ·(C/E)^ν in ALLO units, EMA with the stored
	/// previous weight. A weight that cannot be computed (overflow) counts as 0.
	pub fn current_weight(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		params: &NetworkParams,
	) -> Fixed {
		let stake = Fixed::from_base_units(T::TopicStake::topic_stake(topic_id));
		let revenue = Fixed::from_base_units(FeeRevenue::<T>::get(topic_id));
		let (Ok(stake), Ok(revenue)) = (stake, revenue) else { return Fixed::ZERO };
		topic_weight(
			stake,
			revenue,
			topic.config.epoch_length.saturated_into::<u64>(),
			params.topic_reward_stake_importance,
			params.topic_reward_fee_revenue_importance,
			params.topic_reward_alpha,
			PreviousTopicWeight::<T>::get(topic_id),
		)
		.unwrap_or(Fixed::ZERO)
	}

	/// Activation attempt after a fee, funding or stake (spec 3.4): an inactive topic whose
	/// current weight reaches `MinTopicWeight` is scheduled one epoch from `now`.
	pub fn try_activate(topic_id: TopicId, now: BlockNumberFor<T>) {
		if Self::is_active(topic_id) {
			return;
		}
		let Some(topic) = Topics::<T>::get(topic_id) else { return };
		let params = Params::<T>::get();
		let weight = Self::current_weight(topic_id, &topic, &params);
		if weight < params.min_topic_weight {
			return;
		}
		let due = now.saturating_add(topic.config.epoch_length);
		if let Some(epoch_end) = Self::schedule(topic_id, due, weight, &params) {
			if let Some(previous) = PreviousTopicWeight::<T>::get(topic_id) {
				TotalSumPreviousTopicWeights::<T>::mutate(|s| *s = add(*s, previous));
			}
			Self::deposit_event(Event::TopicActivated { topic_id, weight, epoch_end });
		}
	}

	/// Places an epoch end due at `due` (spec 3.4, with deferral): the first block of
	/// `due ..= due + MaxScheduleDeferral` with room takes it; if all are full, the lightest
	/// topic at `due` is displaced when `weight` is at least its weight, otherwise the topic
	/// is not scheduled (`None`).
	pub(crate) fn schedule(
		topic_id: TopicId,
		due: BlockNumberFor<T>,
		weight: Fixed,
		params: &NetworkParams,
	) -> Option<BlockNumberFor<T>> {
		let capacity = params.max_active_topics_per_block.min(T::MaxTopicsPerBlock::get());
		let capacity = usize::try_from(capacity).unwrap_or(usize::MAX);
		let mut block = due;
		for _ in 0..=T::MaxScheduleDeferral::get() {
			let placed = Schedule::<T>::mutate(block, |topics| {
				topics.len() < capacity && topics.try_push(topic_id).is_ok()
			});
			if placed {
				NextEpochEnd::<T>::insert(topic_id, block);
				return Some(block);
			}
			block = block.saturating_add(One::one());
		}
		let lightest = Schedule::<T>::get(due)
			.into_iter()
			.map(|t| (PreviousTopicWeight::<T>::get(t).unwrap_or(Fixed::ZERO), t))
			// Lightest first; among equals the highest id goes (fix k: deterministic).
			.min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
		if weight < lightest.0 {
			return None;
		}
		Self::inactivate(lightest.1, lightest.0);
		let placed = Schedule::<T>::mutate(due, |topics| topics.try_push(topic_id).is_ok());
		if !placed {
			return None;
		}
		NextEpochEnd::<T>::insert(topic_id, due);
		Some(due)
	}

	/// Removes an active topic from the schedule (spec 3.4); its weight is kept for a later
	/// reactivation but leaves the running sum.
	pub(crate) fn inactivate(topic_id: TopicId, weight: Fixed) {
		if let Some(block) = NextEpochEnd::<T>::take(topic_id) {
			Schedule::<T>::mutate(block, |topics| topics.retain(|t| *t != topic_id));
			let previous = PreviousTopicWeight::<T>::get(topic_id).unwrap_or(Fixed::ZERO);
			TotalSumPreviousTopicWeights::<T>::mutate(|s| *s = sub(*s, previous));
			Self::deposit_event(Event::TopicInactivated { topic_id, weight });
		}
	}

	/// Spec 3.2 steps 2-3 for the topics due at `now`: update the weight, drip the revenue,
	/// inactivate a topic below `MinTopicWeight`, reschedule the others one epoch later, and
	/// end the epoch (nonce) of those with a nonzero weight, heaviest first.
	pub fn process_epoch_ends(now: BlockNumberFor<T>) {
		let due = Schedule::<T>::take(now);
		if due.is_empty() {
			return;
		}
		let params = Params::<T>::get();
		let mut ended: Vec<(Fixed, TopicId)> = Vec::with_capacity(due.len());
		for topic_id in due {
			// The topic was taken off `now`'s schedule with the block.
			NextEpochEnd::<T>::remove(topic_id);
			let Some(topic) = Topics::<T>::get(topic_id) else { continue };
			let weight = Self::current_weight(topic_id, &topic, &params);
			let previous = PreviousTopicWeight::<T>::mutate(topic_id, |w| w.replace(weight));
			TotalSumPreviousTopicWeights::<T>::mutate(|s| {
				*s = sub(add(*s, weight), previous.unwrap_or(Fixed::ZERO))
			});
			let revenue = FeeRevenue::<T>::mutate(topic_id, |c| {
				*c = dripped_revenue(
					*c,
					topic.config.epoch_length.saturated_into(),
					params.blocks_per_month,
				);
				*c
			});
			let next = now.saturating_add(topic.config.epoch_length);
			let rescheduled = if weight < params.min_topic_weight {
				None
			} else {
				Self::schedule(topic_id, next, weight, &params)
			};
			let Some(next_epoch_end) = rescheduled else {
				TotalSumPreviousTopicWeights::<T>::mutate(|s| *s = sub(*s, weight));
				Self::deposit_event(Event::TopicInactivated { topic_id, weight });
				continue;
			};
			Self::deposit_event(Event::EpochEnded { topic_id, weight, revenue, next_epoch_end });
			if !weight.is_zero() {
				ended.push((weight, topic_id));
			}
		}
		// Heaviest first, ties by ascending id (spec 7.3, fix k).
		ended.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
		for (_, topic_id) in ended {
			let topic = Topics::<T>::mutate(topic_id, |topic| {
				topic.as_mut().map(|t| {
					t.epoch_last_ended = now;
					t.clone()
				})
			});
			if let Some(topic) = topic {
				T::EpochHooks::on_epoch_end(topic_id, &topic, now);
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::dripped_revenue;

	#[test]
	fn drip_matches_spec_example() {
		// E = 12, BlocksPerMonth = 864 000: epochs per week ≈ 16 570.8, −0.00603 % per epoch.
		let c = 1_000_000_000u128;
		let after = dripped_revenue(c, 12, 864_000);
		assert_eq!(c - after, 60_348); // 1e9 · 12 · 4.345 / 864 000 = 60 347.2, truncated revenue
	}

	#[test]
	fn drip_truncates_small_revenue_to_zero_and_week_long_epochs_empty_it() {
		assert_eq!(dripped_revenue(1, 12, 432_000), 0);
		assert_eq!(dripped_revenue(1_000, 100_000, 432_000), 0);
		assert_eq!(dripped_revenue(0, 12, 432_000), 0);
	}
}
