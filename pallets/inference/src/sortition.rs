//! Active sets and merit sortition (spec 3.5): who of a nonce's submitters is counted when an
//! active set is full, and the passive score-EMA updates of those who are not.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use allora_math::Fixed;
use allora_synthesis::regrets::ema;
use frame_support::{ensure, pallet_prelude::DispatchResult, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_topics::{NetworkParams, Topic, TopicId};

/// The outcome of offering a submission to a nonce's active set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission<A> {
	/// The actor was a member; its value was replaced.
	Replaced,
	/// There was room; the actor joined.
	Added,
	/// The set was full; the actor's EMA beat the lowest member, who left.
	Evicted(A),
	/// The set was full and the actor's EMA did not beat the lowest member's.
	NotAdmitted,
}

impl<A> Admission<A> {
	/// Whether the set was full: merit sortition read every member's score EMA.
	pub fn was_full(&self) -> bool {
		matches!(self, Admission::Evicted(_) | Admission::NotAdmitted)
	}
}

/// Offers `(who, value)` to an active set sorted by account (spec 3.5 steps 1-3). `score`
/// reads an actor's score EMA (0 if none). The lowest member is recomputed from the current
/// members (fix e); among equal scores the smallest account is the lowest (fix k).
pub fn offer<A: Ord + Clone, V>(
	set: &mut Vec<(A, V)>,
	who: &A,
	value: V,
	capacity: usize,
	score: impl Fn(&A) -> Fixed,
) -> Admission<A> {
	match set.binary_search_by(|(a, _)| a.cmp(who)) {
		Ok(i) => {
			if let Some(slot) = set.get_mut(i) {
				slot.1 = value;
			}
			Admission::Replaced
		},
		Err(i) if set.len() < capacity => {
			set.insert(i, (who.clone(), value));
			Admission::Added
		},
		Err(_) => {
			let lowest = set
				.iter()
				.map(|(a, _)| (score(a), a))
				.min_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(y.1)))
				.map(|(s, a)| (s, a.clone()));
			let Some((low_score, low)) = lowest else { return Admission::NotAdmitted };
			if score(who) <= low_score {
				return Admission::NotAdmitted;
			}
			set.retain(|(a, _)| *a != low);
			let at = set.binary_search_by(|(a, _)| a.cmp(who)).unwrap_or_else(|e| e);
			set.insert(at, (who.clone(), value));
			Admission::Evicted(low)
		},
	}
}

impl<T: Config> Pallet<T> {
	/// The actor's score EMA for a role (0 if never set).
	pub fn score_ema(topic_id: TopicId, role: Role, who: &T::AccountId) -> Fixed {
		ScoreEmas::<T>::get((topic_id, role), who).map(|e| e.score).unwrap_or(Fixed::ZERO)
	}

	/// Spec 3.5 step 4: EMA ← α·Q_prev + (1 − α)·EMA (first time: Q_prev), stamped with the
	/// nonce.
	pub fn passive_update(
		topic_id: TopicId,
		role: Role,
		who: &T::AccountId,
		nonce: BlockNumberFor<T>,
		alpha: Fixed,
	) {
		let quantile = PreviousQuantileScore::<T>::get((topic_id, role));
		let score = match ScoreEmas::<T>::get((topic_id, role), who) {
			Some(previous) => ema(alpha, quantile, previous.score).unwrap_or(previous.score),
			None => quantile,
		};
		ScoreEmas::<T>::insert((topic_id, role), who, ScoreEma { nonce, score });
	}

	/// Fails (before anything is written) when merit sortition would have to evaluate the
	/// worker a second time for this nonce (spec 3.5 step 3, first bullet). `members` are the
	/// current active set's accounts and `size` its capacity parameter. Reads the worker's
	/// score only when the set is full.
	pub fn ensure_can_be_evaluated<'a>(
		topic_id: TopicId,
		nonce: BlockNumberFor<T>,
		who: &T::AccountId,
		role: Role,
		mut members: impl Iterator<Item = &'a T::AccountId>,
		len: usize,
		size: u32,
	) -> DispatchResult
	where
		T::AccountId: 'a,
	{
		// A set with room admits without evaluating: its score is not read (issue 11).
		if len < capacity(size) {
			return Ok(());
		}
		let evaluated =
			ScoreEmas::<T>::get((topic_id, role), who).is_some_and(|e| e.nonce >= nonce);
		ensure!(!evaluated || members.any(|a| a == who), Error::<T>::AlreadyEvaluatedThisNonce);
		Ok(())
	}

	/// Offers an inference to the nonce's inferer set (`set`, as read from storage) and
	/// records the outcome; true when the set was full (merit sortition read every member's
	/// score).
	pub(crate) fn admit_inference(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		nonce: BlockNumberFor<T>,
		who: &T::AccountId,
		value: Fixed,
		set: InferencesOf<T>,
		params: &NetworkParams,
	) -> bool {
		let mut set = set.into_inner();
		let cap = capacity(params.max_top_inferers_to_reward);
		let admission =
			offer(&mut set, who, value, cap, |a| Self::score_ema(topic_id, Role::Inferer, a));
		Inferences::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(set));
		let replaced = admission == Admission::Replaced;
		let sortition = admission.was_full();
		Self::record(topic_id, topic, nonce, who, Role::Inferer, admission, || {
			Event::InferenceSubmitted { topic_id, nonce, worker: who.clone(), value, replaced }
		});
		sortition
	}

	/// Offers a forecast to the nonce's forecaster set (`set`, as read from storage) and
	/// records the outcome; true when the set was full.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn admit_forecast(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		nonce: BlockNumberFor<T>,
		who: &T::AccountId,
		elements: ElementsOf<T>,
		set: ForecastsOf<T>,
		params: &NetworkParams,
	) -> bool {
		let count = u32::try_from(elements.len()).unwrap_or(u32::MAX);
		let mut set = set.into_inner();
		let cap = capacity(params.max_top_forecasters_to_reward);
		let admission =
			offer(&mut set, who, elements, cap, |a| Self::score_ema(topic_id, Role::Forecaster, a));
		Forecasts::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(set));
		let replaced = admission == Admission::Replaced;
		let sortition = admission.was_full();
		Self::record(topic_id, topic, nonce, who, Role::Forecaster, admission, || {
			Event::ForecastSubmitted {
				topic_id,
				nonce,
				worker: who.clone(),
				elements: count,
				replaced,
			}
		});
		sortition
	}

	/// Passive EMA updates and events of an admission.
	fn record(
		topic_id: TopicId,
		topic: &Topic<T::AccountId, BlockNumberFor<T>>,
		nonce: BlockNumberFor<T>,
		who: &T::AccountId,
		role: Role,
		admission: Admission<T::AccountId>,
		submitted: impl FnOnce() -> Event<T>,
	) {
		let alpha = topic.config.merit_sortition_alpha;
		match admission {
			Admission::NotAdmitted => {
				Self::passive_update(topic_id, role, who, nonce, alpha);
				Self::deposit_event(Event::SubmissionNotAdmitted {
					topic_id,
					nonce,
					worker: who.clone(),
					role,
				});
			},
			Admission::Evicted(evicted) => {
				// A member that has unregistered since keeps no state on the topic.
				if Self::is_worker(topic_id, &evicted) {
					Self::passive_update(topic_id, role, &evicted, nonce, alpha);
				}
				Self::deposit_event(Event::WorkerEvicted {
					topic_id,
					nonce,
					worker: evicted,
					role,
				});
				Self::deposit_event(submitted());
			},
			Admission::Added | Admission::Replaced => Self::deposit_event(submitted()),
		}
	}
}

/// An active-set size parameter as a length.
fn capacity(size: u32) -> usize {
	usize::try_from(size).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn scores(s: &[(u8, i64)]) -> impl Fn(&u8) -> Fixed + '_ {
		move |a| {
			s.iter().find(|(x, _)| x == a).map(|(_, v)| Fixed::from_int(*v)).unwrap_or_default()
		}
	}

	#[test]
	fn replaces_a_members_value_and_adds_while_there_is_room() {
		let mut set = vec![(1u8, 10), (3, 30)];
		assert_eq!(offer(&mut set, &3, 31, 3, scores(&[])), Admission::Replaced);
		assert_eq!(offer(&mut set, &2, 20, 3, scores(&[])), Admission::Added);
		assert_eq!(set, vec![(1, 10), (2, 20), (3, 31)]);
	}

	#[test]
	fn a_full_set_evicts_its_lowest_member_only_for_a_strictly_better_newcomer() {
		let ema = [(1u8, 5), (2, 1), (3, 1), (4, 1), (5, 2)];
		let mut set = vec![(1u8, ()), (2, ()), (3, ())];
		// 4 ties with the lowest (1): not admitted.
		assert_eq!(offer(&mut set, &4, (), 3, scores(&ema)), Admission::NotAdmitted);
		// 5 beats the lowest; among 2 and 3 (both 1) the smaller account goes.
		assert_eq!(offer(&mut set, &5, (), 3, scores(&ema)), Admission::Evicted(2));
		assert_eq!(set, vec![(1, ()), (3, ()), (5, ())]);
	}
}
