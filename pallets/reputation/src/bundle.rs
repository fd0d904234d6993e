//! Loss bundles: validation against a nonce's snapshot at submission (named errors), the
//! filter of spec 5.2 at close, and conversions to and from the synthesis library's shape.

use crate::{pallet::*, types::*};
use alloc::{collections::BTreeSet, vec::Vec};
use allora_math::Fixed;
use allora_synthesis::losses::ValueBundle;
use frame_support::{ensure, BoundedVec};
use pallet_inference::ProducedLists;
use pallet_topics::{TopicId, ValueRange};

/// The workers of a closed worker nonce: its inferers and (filtered) forecasters, ascending,
/// and the value lists its network inference produced at the close.
pub struct Snapshot<A> {
	/// Inferers of the snapshot.
	pub inferers: Vec<A>,
	/// Forecasters of the snapshot.
	pub forecasters: Vec<A>,
	/// The optional lists the close produced (none without a stored round).
	pub produced: ProducedLists,
}

impl<A: Ord> Snapshot<A> {
	fn has_inferer(&self, a: &A) -> bool {
		self.inferers.binary_search(a).is_ok()
	}

	fn has_forecaster(&self, a: &A) -> bool {
		self.forecasters.binary_search(a).is_ok()
	}
}

/// The snapshot of (topic, nonce) as the inference pallet stored it at the window close.
pub fn snapshot<T: Config>(
	topic_id: TopicId,
	nonce: frame_system::pallet_prelude::BlockNumberFor<T>,
) -> Snapshot<T::AccountId> {
	Snapshot {
		inferers: pallet_inference::Inferences::<T>::get(topic_id, nonce)
			.into_iter()
			.map(|(a, _)| a)
			.collect(),
		forecasters: pallet_inference::Forecasts::<T>::get(topic_id, nonce)
			.into_iter()
			.map(|(a, _)| a)
			.collect(),
		produced: pallet_inference::Rounds::<T>::get(topic_id, nonce)
			.map(|r| r.produced)
			.unwrap_or_default(),
	}
}

/// Index of an entry, for the error.
fn index(i: usize) -> u16 {
	u16::try_from(i).unwrap_or(u16::MAX)
}

/// Every key of `keys` is known (`known`) and named once.
fn check_list<T: Config, K: Ord>(
	list: BundleList,
	keys: impl Iterator<Item = K>,
	known: impl Fn(&K) -> bool,
) -> Result<(), Error<T>> {
	let mut seen = BTreeSet::new();
	for (i, key) in keys.enumerate() {
		ensure!(known(&key), Error::<T>::UnknownWorker { list, index: index(i) });
		ensure!(seen.insert(key), Error::<T>::DuplicateEntry { list, index: index(i) });
	}
	Ok(())
}

/// Every loss of `values` lies in `range`; otherwise the first one outside names its list.
fn check_range<T: Config>(
	list: BundleList,
	values: impl Iterator<Item = Fixed>,
	range: &ValueRange,
) -> Result<(), Error<T>> {
	for (i, x) in values.enumerate() {
		ensure!(range.contains(x), Error::<T>::LossOutOfRange { list, index: index(i) });
	}
	Ok(())
}

/// Checks a submitted bundle against the nonce's snapshot and the topic's loss range: the
/// combined and naive losses are present, every optional list is one the nonce's network
/// inference produced (spec README decision 12), every loss lies in `loss_range`, every entry
/// names a worker of the snapshot in the matching role, and no entry is repeated.
pub fn validate<T: Config>(
	bundle: &LossBundleOf<T>,
	snapshot: &Snapshot<T::AccountId>,
	loss_range: &ValueRange,
) -> Result<(), Error<T>> {
	let combined = bundle.combined_value.ok_or(Error::<T>::MissingCombinedValue)?;
	let naive = bundle.naive_value.ok_or(Error::<T>::MissingNaiveValue)?;
	let p = &snapshot.produced;
	for (list, present, produced) in [
		(BundleList::Forecaster, !bundle.forecaster_values.is_empty(), p.forecaster),
		(BundleList::OneOutInferer, !bundle.one_out_inferer_values.is_empty(), p.one_out_inferer),
		(
			BundleList::OneOutForecaster,
			!bundle.one_out_forecaster_values.is_empty(),
			p.one_out_forecaster,
		),
		(
			BundleList::OneInForecaster,
			!bundle.one_in_forecaster_values.is_empty(),
			p.one_in_forecaster,
		),
		(
			BundleList::OneOutInfererForecaster,
			!bundle.one_out_inferer_forecaster_values.is_empty(),
			p.one_out_inferer_forecaster,
		),
	] {
		ensure!(!present || produced, Error::<T>::ValueNotProduced { list });
	}
	check_range::<T>(BundleList::Combined, core::iter::once(combined), loss_range)?;
	check_range::<T>(BundleList::Naive, core::iter::once(naive), loss_range)?;
	check_range::<T>(BundleList::Inferer, bundle.inferer_values.iter().map(|e| e.1), loss_range)?;
	check_range::<T>(
		BundleList::Forecaster,
		bundle.forecaster_values.iter().map(|e| e.1),
		loss_range,
	)?;
	check_range::<T>(
		BundleList::OneOutInferer,
		bundle.one_out_inferer_values.iter().map(|e| e.1),
		loss_range,
	)?;
	check_range::<T>(
		BundleList::OneOutForecaster,
		bundle.one_out_forecaster_values.iter().map(|e| e.1),
		loss_range,
	)?;
	check_range::<T>(
		BundleList::OneInForecaster,
		bundle.one_in_forecaster_values.iter().map(|e| e.1),
		loss_range,
	)?;
	check_range::<T>(
		BundleList::OneOutInfererForecaster,
		bundle.one_out_inferer_forecaster_values.iter().map(|e| e.2),
		loss_range,
	)?;
	let inferer = |a: &&T::AccountId| snapshot.has_inferer(a);
	let forecaster = |a: &&T::AccountId| snapshot.has_forecaster(a);
	check_list::<T, _>(BundleList::Inferer, bundle.inferer_values.iter().map(|e| &e.0), inferer)?;
	check_list::<T, _>(
		BundleList::Forecaster,
		bundle.forecaster_values.iter().map(|e| &e.0),
		forecaster,
	)?;
	check_list::<T, _>(
		BundleList::OneOutInferer,
		bundle.one_out_inferer_values.iter().map(|e| &e.0),
		inferer,
	)?;
	check_list::<T, _>(
		BundleList::OneOutForecaster,
		bundle.one_out_forecaster_values.iter().map(|e| &e.0),
		forecaster,
	)?;
	check_list::<T, _>(
		BundleList::OneInForecaster,
		bundle.one_in_forecaster_values.iter().map(|e| &e.0),
		forecaster,
	)?;
	check_list::<T, _>(
		BundleList::OneOutInfererForecaster,
		bundle.one_out_inferer_forecaster_values.iter().map(|e| (&e.0, &e.1)),
		|(k, j)| snapshot.has_forecaster(k) && snapshot.has_inferer(j),
	)
}

/// A stored bundle in the library's shape, filtered against the snapshot (spec 5.2): entries
/// about workers outside it are dropped (first occurrence kept), and the one-out inferer
/// losses are dropped when at most one inferer loss remains. `None` without combined and
/// naive losses.
pub fn to_value_bundle<A: Ord + Clone + PartialEq + Eq + core::fmt::Debug>(
	b: &LossBundle<
		A,
		impl frame_support::traits::Get<u32>,
		impl frame_support::traits::Get<u32>,
		impl frame_support::traits::Get<u32>,
	>,
	snapshot: &Snapshot<A>,
) -> Option<ValueBundle<A>> {
	let mut v = ValueBundle::new(b.combined_value?, b.naive_value?);
	let put = |map: &mut alloc::collections::BTreeMap<A, Fixed>, (a, x): &(A, Fixed), ok: bool| {
		if ok {
			map.entry(a.clone()).or_insert(*x);
		}
	};
	for e in b.inferer_values.iter() {
		put(&mut v.inferer, e, snapshot.has_inferer(&e.0));
	}
	for e in b.one_out_inferer_values.iter() {
		put(&mut v.one_out_inferer, e, snapshot.has_inferer(&e.0));
	}
	for e in b.forecaster_values.iter() {
		put(&mut v.forecaster, e, snapshot.has_forecaster(&e.0));
	}
	for e in b.one_out_forecaster_values.iter() {
		put(&mut v.one_out_forecaster, e, snapshot.has_forecaster(&e.0));
	}
	for e in b.one_in_forecaster_values.iter() {
		put(&mut v.one_in_forecaster, e, snapshot.has_forecaster(&e.0));
	}
	for (k, j, x) in b.one_out_inferer_forecaster_values.iter() {
		if snapshot.has_forecaster(k) && snapshot.has_inferer(j) {
			v.one_out_inferer_forecaster.entry((k.clone(), j.clone())).or_insert(*x);
		}
	}
	if v.inferer.len() <= 1 {
		v.one_out_inferer.clear();
	}
	Some(v)
}

/// A library bundle (network losses) in the stored shape; lists longer than their bound are
/// truncated (they cannot be: network losses only hold entries of accepted bundles).
pub fn from_value_bundle<T: Config>(v: ValueBundle<T::AccountId>) -> LossBundleOf<T> {
	LossBundle {
		combined_value: Some(v.combined),
		naive_value: Some(v.naive),
		inferer_values: BoundedVec::truncate_from(v.inferer.into_iter().collect()),
		forecaster_values: BoundedVec::truncate_from(v.forecaster.into_iter().collect()),
		one_out_inferer_values: BoundedVec::truncate_from(v.one_out_inferer.into_iter().collect()),
		one_out_forecaster_values: BoundedVec::truncate_from(
			v.one_out_forecaster.into_iter().collect(),
		),
		one_in_forecaster_values: BoundedVec::truncate_from(
			v.one_in_forecaster.into_iter().collect(),
		),
		one_out_inferer_forecaster_values: BoundedVec::truncate_from(
			v.one_out_inferer_forecaster.into_iter().map(|((k, j), x)| (k, j, x)).collect(),
		),
	}
}

/// A stored network-loss bundle for clients.
pub fn view<T: Config>(b: LossBundleOf<T>) -> NetworkLossesView<T::AccountId> {
	NetworkLossesView {
		combined_value: b.combined_value.unwrap_or_default(),
		naive_value: b.naive_value.unwrap_or_default(),
		inferer_values: b.inferer_values.into_inner(),
		forecaster_values: b.forecaster_values.into_inner(),
		one_out_inferer_values: b.one_out_inferer_values.into_inner(),
		one_out_forecaster_values: b.one_out_forecaster_values.into_inner(),
		one_in_forecaster_values: b.one_in_forecaster_values.into_inner(),
		one_out_inferer_forecaster_values: b.one_out_inferer_forecaster_values.into_inner(),
	}
}
