//! Value bundles (a reputer's reported losses, or the network losses) and the network losses
//! of a round: stake-weighted means of the reported (log-)losses (spec 5.3).

use crate::{Error, Result};
use alloc::{collections::BTreeMap, vec::Vec};
use allora_math::{DotAccumulator, Fixed};

/// One value per quantity of a round (spec 1.5): the combined and naive network values, every
/// inferer, forecaster (forecast-implied), one-out inferer, one-out forecaster, one-in
/// forecaster, and one-out-inferer forecast-implied value keyed (forecaster k, withheld j′).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueBundle<A: Ord> {
	/// Value of the combined network inference.
	pub combined: Fixed,
	/// Value of the naive network inference.
	pub naive: Fixed,
	/// Per inferer.
	pub inferer: BTreeMap<A, Fixed>,
	/// Per forecaster (its forecast-implied inference).
	pub forecaster: BTreeMap<A, Fixed>,
	/// Per withheld inferer j′ (network without j′).
	pub one_out_inferer: BTreeMap<A, Fixed>,
	/// Per withheld forecaster k′ (network without k′).
	pub one_out_forecaster: BTreeMap<A, Fixed>,
	/// Per one-in forecaster k (naive network plus k).
	pub one_in_forecaster: BTreeMap<A, Fixed>,
	/// Per (forecaster k, withheld inferer j′): k's forecast-implied inference without j′.
	pub one_out_inferer_forecaster: BTreeMap<(A, A), Fixed>,
}

impl<A: Ord> ValueBundle<A> {
	/// A bundle with only the combined and naive values.
	pub fn new(combined: Fixed, naive: Fixed) -> Self {
		ValueBundle {
			combined,
			naive,
			inferer: BTreeMap::new(),
			forecaster: BTreeMap::new(),
			one_out_inferer: BTreeMap::new(),
			one_out_forecaster: BTreeMap::new(),
			one_in_forecaster: BTreeMap::new(),
			one_out_inferer_forecaster: BTreeMap::new(),
		}
	}
}

/// Stake-weighted mean over the reporters of one quantity.
#[derive(Default)]
struct WeightedMean {
	numerator: DotAccumulator,
	weight: Fixed,
}

impl WeightedMean {
	fn add(&mut self, weight: Fixed, value: Fixed) -> Result<()> {
		self.numerator.add_product(weight, value);
		self.weight = self.weight.checked_add(weight)?;
		Ok(())
	}

	fn value(&self) -> Result<Option<Fixed>> {
		if self.weight.is_zero() {
			return Ok(None);
		}
		Ok(Some(self.numerator.total()?.checked_div(self.weight)?))
	}
}

fn accumulate<K: Ord + Clone>(
	acc: &mut BTreeMap<K, WeightedMean>,
	weight: Fixed,
	values: &BTreeMap<K, Fixed>,
) -> Result<()> {
	for (k, v) in values {
		acc.entry(k.clone()).or_default().add(weight, *v)?;
	}
	Ok(())
}

fn finish<K: Ord>(acc: BTreeMap<K, WeightedMean>) -> Result<BTreeMap<K, Fixed>> {
	let mut out = BTreeMap::new();
	for (k, m) in acc {
		// Entries with zero total weight are dropped (spec 5.3).
		if let Some(v) = m.value()? {
			out.insert(k, v);
		}
	}
	Ok(out)
}

/// The network losses of a round from `(stake, bundle)` of every accepted reputer (spec 5.3):
/// for each quantity, Σ S_m ℓ_m / Σ S_m over the reputers that reported it. Stakes are
/// divided by the largest stake first (the means are scale-free), so any token amount works.
/// Fails with [`Error::NoReputers`] without positive stake.
pub fn network_losses<A: Ord + Clone>(
	reports: &[(Fixed, &ValueBundle<A>)],
) -> Result<ValueBundle<A>> {
	let max_stake = reports.iter().map(|(s, _)| *s).max().unwrap_or(Fixed::ZERO);
	if !max_stake.is_positive() {
		return Err(Error::NoReputers);
	}
	let mut combined = WeightedMean::default();
	let mut naive = WeightedMean::default();
	let mut inferer = BTreeMap::new();
	let mut forecaster = BTreeMap::new();
	let mut one_out_inferer = BTreeMap::new();
	let mut one_out_forecaster = BTreeMap::new();
	let mut one_in_forecaster = BTreeMap::new();
	let mut one_out_inferer_forecaster = BTreeMap::new();
	for (stake, bundle) in reports {
		if stake.is_negative() {
			return Err(Error::NoReputers);
		}
		let w = stake.checked_div(max_stake)?;
		combined.add(w, bundle.combined)?;
		naive.add(w, bundle.naive)?;
		accumulate(&mut inferer, w, &bundle.inferer)?;
		accumulate(&mut forecaster, w, &bundle.forecaster)?;
		accumulate(&mut one_out_inferer, w, &bundle.one_out_inferer)?;
		accumulate(&mut one_out_forecaster, w, &bundle.one_out_forecaster)?;
		accumulate(&mut one_in_forecaster, w, &bundle.one_in_forecaster)?;
		accumulate(&mut one_out_inferer_forecaster, w, &bundle.one_out_inferer_forecaster)?;
	}
	Ok(ValueBundle {
		combined: combined.value()?.ok_or(Error::NoReputers)?,
		naive: naive.value()?.ok_or(Error::NoReputers)?,
		inferer: finish(inferer)?,
		forecaster: finish(forecaster)?,
		one_out_inferer: finish(one_out_inferer)?,
		one_out_forecaster: finish(one_out_forecaster)?,
		one_in_forecaster: finish(one_in_forecaster)?,
		one_out_inferer_forecaster: finish(one_out_inferer_forecaster)?,
	})
}

/// The canonical coordinate of a bundle entry, used to align reputers' loss vectors
/// (spec 5.6): category, then actor(s) in ascending order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coordinate<A> {
	/// The combined value.
	Combined,
	/// The naive value.
	Naive,
	/// An inferer's value.
	Inferer(A),
	/// A forecaster's value.
	Forecaster(A),
	/// (forecaster, withheld inferer).
	OneOutInfererForecaster(A, A),
	/// A withheld inferer.
	OneOutInferer(A),
	/// A withheld forecaster.
	OneOutForecaster(A),
	/// A one-in forecaster.
	OneInForecaster(A),
}

impl<A: Ord + Clone> ValueBundle<A> {
	/// Every entry with its coordinate, in coordinate order.
	pub fn entries(&self) -> Vec<(Coordinate<A>, Fixed)> {
		let mut v = Vec::new();
		v.push((Coordinate::Combined, self.combined));
		v.push((Coordinate::Naive, self.naive));
		v.extend(self.inferer.iter().map(|(a, x)| (Coordinate::Inferer(a.clone()), *x)));
		v.extend(self.forecaster.iter().map(|(a, x)| (Coordinate::Forecaster(a.clone()), *x)));
		v.extend(
			self.one_out_inferer_forecaster
				.iter()
				.map(|((k, j), x)| (Coordinate::OneOutInfererForecaster(k.clone(), j.clone()), *x)),
		);
		v.extend(
			self.one_out_inferer.iter().map(|(a, x)| (Coordinate::OneOutInferer(a.clone()), *x)),
		);
		v.extend(
			self.one_out_forecaster
				.iter()
				.map(|(a, x)| (Coordinate::OneOutForecaster(a.clone()), *x)),
		);
		v.extend(
			self.one_in_forecaster
				.iter()
				.map(|(a, x)| (Coordinate::OneInForecaster(a.clone()), *x)),
		);
		v
	}
}

/// Aligns reputers' bundles into loss vectors over the union of their coordinates; a
/// coordinate a reputer did not report is `None` (the NaN of spec 5.6).
pub fn loss_vectors<A: Ord + Clone>(bundles: &[&ValueBundle<A>]) -> Vec<Vec<Option<Fixed>>> {
	// `entries` is sorted by coordinate, so the union is a sort-free merge in the common case
	// where every reputer reports the same coordinates.
	let per_reputer: Vec<Vec<(Coordinate<A>, Fixed)>> =
		bundles.iter().map(|b| b.entries()).collect();
	let same = per_reputer.windows(2).all(|w| match w {
		[a, b] => a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.0 == y.0),
		_ => true,
	});
	if same {
		return per_reputer
			.into_iter()
			.map(|e| e.into_iter().map(|(_, v)| Some(v)).collect())
			.collect();
	}
	let mut coordinates: Vec<Coordinate<A>> =
		per_reputer.iter().flat_map(|e| e.iter().map(|(c, _)| c.clone())).collect();
	coordinates.sort();
	coordinates.dedup();
	per_reputer
		.iter()
		.map(|entries| {
			// Two sorted sequences: walk them together.
			let mut it = entries.iter().peekable();
			coordinates
				.iter()
				.map(|c| match it.peek() {
					Some((k, v)) if k == c => {
						let v = *v;
						it.next();
						Some(v)
					},
					_ => None,
				})
				.collect()
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	#[test]
	fn network_loss_is_the_stake_weighted_mean_of_reporters_only() {
		let mut a = ValueBundle::<u8>::new(fx("1"), fx("2"));
		a.inferer.insert(0, fx("1"));
		a.inferer.insert(1, fx("3"));
		let mut b = ValueBundle::<u8>::new(fx("4"), fx("5"));
		b.inferer.insert(0, fx("4"));
		let net = network_losses(&[(fx("1000000000"), &a), (fx("2000000000"), &b)])
			.unwrap_or_else(|_| ValueBundle::new(Fixed::ZERO, Fixed::ZERO));
		assert_eq!(net.combined, fx("3"));
		assert_eq!(net.naive, fx("4"));
		assert_eq!(net.inferer.get(&0), Some(&fx("3")));
		// Only reputer a reported inferer 1.
		assert_eq!(net.inferer.get(&1), Some(&fx("3")));
	}

	#[test]
	fn no_stake_is_an_error() {
		let a = ValueBundle::<u8>::new(fx("1"), fx("2"));
		assert_eq!(network_losses::<u8>(&[]), Err(Error::NoReputers));
		assert_eq!(network_losses(&[(Fixed::ZERO, &a)]), Err(Error::NoReputers));
	}

	#[test]
	fn loss_vectors_align_on_the_union_of_coordinates() {
		let mut a = ValueBundle::<u8>::new(fx("1"), fx("2"));
		a.inferer.insert(1, fx("3"));
		let mut b = ValueBundle::<u8>::new(fx("4"), fx("5"));
		b.inferer.insert(0, fx("6"));
		let v = loss_vectors(&[&a, &b]);
		assert_eq!(v[0], vec![Some(fx("1")), Some(fx("2")), None, Some(fx("3"))]);
		assert_eq!(v[1], vec![Some(fx("4")), Some(fx("5")), Some(fx("6")), None]);
	}
}
