//! The stored regrets of a topic (spec 5.4): one bounded, sorted list per topic and family,
//! read whole by synthesis and merged after each close. When a list is full, the entries
//! updated longest ago make room (an actor absent that long reads as the initial regret).

use crate::{pallet::*, types::*};
use alloc::{collections::BTreeMap, vec::Vec};
use allora_math::Fixed;
use allora_synthesis::regrets::Regrets;
use frame_support::{traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_inference::TopicRegrets;
use pallet_topics::TopicId;

/// Writes `update` over `stored` (both sorted by key) stamped with `nonce`; keeps at most
/// `cap` entries, dropping the least recently updated first (ties: smallest key first).
pub fn merge<K: Ord + Clone, B: Ord + Copy>(
	stored: Vec<(K, RegretValue<B>)>,
	update: BTreeMap<K, Fixed>,
	nonce: B,
	cap: usize,
) -> Vec<(K, RegretValue<B>)> {
	let mut map: BTreeMap<K, RegretValue<B>> = stored.into_iter().collect();
	for (k, value) in update {
		map.insert(k, RegretValue { value, nonce });
	}
	let excess = map.len().saturating_sub(cap);
	if excess > 0 {
		let mut by_age: Vec<(B, K)> = map.iter().map(|(k, v)| (v.nonce, k.clone())).collect();
		by_age.sort();
		for (_, k) in by_age.into_iter().take(excess) {
			map.remove(&k);
		}
	}
	map.into_iter().collect()
}

/// Every single family with its field of [`Regrets`].
fn singles<A: Ord>(r: &mut Regrets<A>) -> [(SingleFamily, &mut BTreeMap<A, Fixed>); 4] {
	[
		(SingleFamily::Inferer, &mut r.inferer),
		(SingleFamily::Forecaster, &mut r.forecaster),
		(SingleFamily::NaiveInferer, &mut r.naive_inferer),
		(SingleFamily::OneInForecasterSelf, &mut r.one_in_forecaster_self),
	]
}

/// Regrets of a pair family.
type PairMap<A> = BTreeMap<(A, A), Fixed>;

/// Every pair family with its field of [`Regrets`].
fn pairs<A: Ord>(r: &mut Regrets<A>) -> [(PairFamily, &mut PairMap<A>); 5] {
	[
		(PairFamily::OneOutInfererInferer, &mut r.one_out_inferer_inferer),
		(PairFamily::OneOutInfererForecaster, &mut r.one_out_inferer_forecaster),
		(PairFamily::OneOutForecasterInferer, &mut r.one_out_forecaster_inferer),
		(PairFamily::OneOutForecasterForecaster, &mut r.one_out_forecaster_forecaster),
		(PairFamily::OneInForecasterInferer, &mut r.one_in_forecaster_inferer),
	]
}

/// A storage bound as a length.
fn cap(bound: u32) -> usize {
	usize::try_from(bound).unwrap_or(usize::MAX)
}

impl<T: Config> Pallet<T> {
	/// The topic's stored regrets; actors without one read as `initial_regret`.
	pub fn stored_regrets(topic_id: TopicId, initial_regret: Fixed) -> Regrets<T::AccountId> {
		let mut r = Regrets::new(initial_regret);
		for (family, map) in singles(&mut r) {
			*map = SingleRegrets::<T>::get((topic_id, family))
				.into_iter()
				.map(|(a, v)| (a, v.value))
				.collect();
		}
		for (family, map) in pairs(&mut r) {
			*map = PairRegrets::<T>::get((topic_id, family))
				.into_iter()
				.map(|(k, v)| (k, v.value))
				.collect();
		}
		r
	}

	/// Merges a round's updated regrets (spec 5.4) into storage, stamped with `nonce` (the
	/// settlement; tests seed a topic's state with it).
	pub fn store_regrets(
		topic_id: TopicId,
		mut update: Regrets<T::AccountId>,
		nonce: BlockNumberFor<T>,
	) {
		for (family, map) in singles(&mut update) {
			let stored = SingleRegrets::<T>::get((topic_id, family)).into_inner();
			let merged = merge(stored, core::mem::take(map), nonce, cap(T::MaxRegretActors::get()));
			SingleRegrets::<T>::insert((topic_id, family), BoundedVec::truncate_from(merged));
		}
		for (family, map) in pairs(&mut update) {
			let stored = PairRegrets::<T>::get((topic_id, family)).into_inner();
			let merged = merge(stored, core::mem::take(map), nonce, cap(T::MaxRegretPairs::get()));
			PairRegrets::<T>::insert((topic_id, family), BoundedVec::truncate_from(merged));
		}
	}

	/// The topic's regrets for clients.
	pub fn regrets_view(topic_id: TopicId) -> Option<RegretsView<T::AccountId>> {
		let topic = pallet_topics::Topics::<T>::get(topic_id)?;
		let r = Self::stored_regrets(topic_id, topic.initial_regret);
		let list = |m: BTreeMap<T::AccountId, Fixed>| m.into_iter().collect();
		let pairs = |m: BTreeMap<(T::AccountId, T::AccountId), Fixed>| {
			m.into_iter().map(|((a, b), x)| (a, b, x)).collect()
		};
		Some(RegretsView {
			initial_regret: r.initial,
			inferer: list(r.inferer),
			forecaster: list(r.forecaster),
			naive_inferer: list(r.naive_inferer),
			one_out_inferer_inferer: pairs(r.one_out_inferer_inferer),
			one_out_inferer_forecaster: pairs(r.one_out_inferer_forecaster),
			one_out_forecaster_inferer: pairs(r.one_out_forecaster_inferer),
			one_out_forecaster_forecaster: pairs(r.one_out_forecaster_forecaster),
			one_in_forecaster_inferer: pairs(r.one_in_forecaster_inferer),
			one_in_forecaster_self: list(r.one_in_forecaster_self),
		})
	}
}

/// Synthesis reads this pallet's regrets and latest network loss (spec 4.2).
impl<T: Config> TopicRegrets<T::AccountId> for Pallet<T> {
	fn regrets(topic_id: TopicId, initial_regret: Fixed) -> Regrets<T::AccountId> {
		Self::stored_regrets(topic_id, initial_regret)
	}

	fn latest_network_loss(topic_id: TopicId) -> Option<Fixed> {
		NetworkLosses::<T>::get(topic_id).and_then(|(_, bundle)| bundle.combined_value)
	}

	/// Every family full to its storage bound: the actors and all ordered pairs of them,
	/// padded with other accounts, and a network loss, so synthesis weights by regret and
	/// reads the largest lists.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_worst_case(topic_id: TopicId, actors: &[T::AccountId]) {
		let zero: BlockNumberFor<T> = Default::default();
		let value = |i: usize| RegretValue {
			value: Fixed::from_int(i64::try_from(i % 7).unwrap_or(0)),
			nonce: zero,
		};
		let mut single: Vec<T::AccountId> = actors.to_vec();
		let mut padding = 0u32;
		while single.len() < cap(T::MaxRegretActors::get()) {
			single.push(frame_benchmarking::account("regret-padding", padding, 0));
			padding = padding.saturating_add(1);
		}
		single.sort();
		single.dedup();
		let mut pair = Vec::new();
		for a in actors {
			for b in actors {
				pair.push((a.clone(), b.clone()));
			}
		}
		let mut extra = single.iter();
		while pair.len() < cap(T::MaxRegretPairs::get()) {
			let Some(a) = extra.next() else { break };
			for b in actors {
				pair.push((a.clone(), b.clone()));
			}
		}
		pair.sort();
		pair.dedup();
		pair.truncate(cap(T::MaxRegretPairs::get()));
		let single: Vec<_> = single.into_iter().enumerate().map(|(i, a)| (a, value(i))).collect();
		let pair: Vec<_> = pair.into_iter().enumerate().map(|(i, k)| (k, value(i))).collect();
		for family in SingleFamily::ALL {
			SingleRegrets::<T>::insert(
				(topic_id, family),
				BoundedVec::truncate_from(single.clone()),
			);
		}
		for family in PairFamily::ALL {
			PairRegrets::<T>::insert((topic_id, family), BoundedVec::truncate_from(pair.clone()));
		}
		let losses = crate::bundle::from_value_bundle::<T>(
			allora_synthesis::losses::ValueBundle::new(Fixed::ONE, Fixed::ONE),
		);
		NetworkLosses::<T>::insert(topic_id, (zero, losses));
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn v(x: i64, nonce: u32) -> RegretValue<u32> {
		RegretValue { value: Fixed::from_int(x), nonce }
	}

	#[test]
	fn merge_overwrites_inserts_and_evicts_the_least_recently_updated() {
		let stored = vec![(1u8, v(1, 5)), (2, v(2, 3)), (3, v(3, 4))];
		let update = BTreeMap::from([(2u8, Fixed::from_int(20)), (4, Fixed::from_int(40))]);
		// Room for 3: of 1 (nonce 5), 3 (nonce 4) and the new 2, 4 (nonce 6), 3 goes.
		let merged = merge(stored, update, 6, 3);
		assert_eq!(merged, vec![(1, v(1, 5)), (2, v(20, 6)), (4, v(40, 6))]);
	}

	#[test]
	fn merge_breaks_age_ties_by_the_smallest_key() {
		let stored = vec![(1u8, v(1, 1)), (2, v(2, 1))];
		let merged = merge(stored, BTreeMap::from([(3u8, Fixed::ONE)]), 2, 2);
		assert_eq!(merged, vec![(2, v(2, 1)), (3, v(1, 2))]);
	}
}
