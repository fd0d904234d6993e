//! Regret state and its updates (spec 5.4-5.5): the nine regret families, their EMA update
//! from a round's network losses, and the topic initial regret.

use crate::{losses::ValueBundle, stats, Error, RegretParams, Result};
use alloc::{collections::BTreeMap, vec::Vec};
use allora_math::Fixed;

/// The regrets of one topic, family by family. A missing entry reads as `initial`, the topic's
/// current initial regret (spec 4.2). Pair families are keyed (withheld or one-in actor, actor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Regrets<A: Ord> {
	/// The topic initial regret: the regret of an actor never seen before.
	pub initial: Fixed,
	/// R_j: inferer regrets against the network.
	pub inferer: BTreeMap<A, Fixed>,
	/// R_k: forecaster regrets against the network.
	pub forecaster: BTreeMap<A, Fixed>,
	/// R^naive_j: inferer regrets against the naive network.
	pub naive_inferer: BTreeMap<A, Fixed>,
	/// R⁻_{j′,j}: inferer j in the network without inferer j′.
	pub one_out_inferer_inferer: BTreeMap<(A, A), Fixed>,
	/// R⁻_{j′,k}: forecaster k in the network without inferer j′.
	pub one_out_inferer_forecaster: BTreeMap<(A, A), Fixed>,
	/// R⁻_{k′,j}: inferer j in the network without forecaster k′.
	pub one_out_forecaster_inferer: BTreeMap<(A, A), Fixed>,
	/// R⁻_{k′,k}: forecaster k in the network without forecaster k′.
	pub one_out_forecaster_forecaster: BTreeMap<(A, A), Fixed>,
	/// R⁺_{k,j}: inferer j in the naive network plus forecaster k.
	pub one_in_forecaster_inferer: BTreeMap<(A, A), Fixed>,
	/// R⁺_{k,k}: forecaster k in the naive network plus itself.
	pub one_in_forecaster_self: BTreeMap<A, Fixed>,
}

impl<A: Ord> Regrets<A> {
	/// No stored regrets; every actor reads as `initial`.
	pub fn new(initial: Fixed) -> Self {
		Regrets {
			initial,
			inferer: BTreeMap::new(),
			forecaster: BTreeMap::new(),
			naive_inferer: BTreeMap::new(),
			one_out_inferer_inferer: BTreeMap::new(),
			one_out_inferer_forecaster: BTreeMap::new(),
			one_out_forecaster_inferer: BTreeMap::new(),
			one_out_forecaster_forecaster: BTreeMap::new(),
			one_in_forecaster_inferer: BTreeMap::new(),
			one_in_forecaster_self: BTreeMap::new(),
		}
	}

	/// The stored value of `key` in `family`, or the initial regret.
	pub fn get<K: Ord>(&self, family: &BTreeMap<K, Fixed>, key: &K) -> Fixed {
		family.get(key).copied().unwrap_or(self.initial)
	}

	/// Writes every entry of `update` over `self` (the initial regret is left as it is).
	pub fn merge(&mut self, update: Regrets<A>) {
		self.inferer.extend(update.inferer);
		self.forecaster.extend(update.forecaster);
		self.naive_inferer.extend(update.naive_inferer);
		self.one_out_inferer_inferer.extend(update.one_out_inferer_inferer);
		self.one_out_inferer_forecaster.extend(update.one_out_inferer_forecaster);
		self.one_out_forecaster_inferer.extend(update.one_out_forecaster_inferer);
		self.one_out_forecaster_forecaster.extend(update.one_out_forecaster_forecaster);
		self.one_in_forecaster_inferer.extend(update.one_in_forecaster_inferer);
		self.one_in_forecaster_self.extend(update.one_in_forecaster_self);
	}
}

/// α·x + (1 − α)·previous.
pub fn ema(alpha: Fixed, x: Fixed, previous: Fixed) -> Result<Fixed> {
	let keep = Fixed::ONE.checked_sub(alpha)?;
	Ok(alpha.checked_mul(x)?.checked_add(keep.checked_mul(previous)?)?)
}

/// The regrets a round's network losses `losses` produce (spec 5.4): only the updated
/// entries, each an EMA of the new loss difference over the stored (or initial) regret.
///
/// Fix h (spec 11.1): an R⁻_{j′,k} whose one-out-inferer-forecaster loss is missing is not
/// updated (the reference reads the missing loss as 0).
pub fn updated_regrets<A: Ord + Clone>(
	losses: &ValueBundle<A>,
	previous: &Regrets<A>,
	alpha: Fixed,
) -> Result<Regrets<A>> {
	let mut out = Regrets::new(previous.initial);
	let (l_i, l_naive) = (losses.combined, losses.naive);
	let update = |family_prev: Fixed, network: Fixed, own: Fixed| -> Result<Fixed> {
		ema(alpha, network.checked_sub(own)?, family_prev)
	};

	for (j, l_j) in &losses.inferer {
		out.inferer.insert(j.clone(), update(previous.get(&previous.inferer, j), l_i, *l_j)?);
		out.naive_inferer
			.insert(j.clone(), update(previous.get(&previous.naive_inferer, j), l_naive, *l_j)?);
	}
	for (k, l_k) in &losses.forecaster {
		out.forecaster.insert(k.clone(), update(previous.get(&previous.forecaster, k), l_i, *l_k)?);
	}
	for (jo, l_jo) in &losses.one_out_inferer {
		for (j, l_j) in &losses.inferer {
			let key = (jo.clone(), j.clone());
			let prev = previous.get(&previous.one_out_inferer_inferer, &key);
			out.one_out_inferer_inferer.insert(key, update(prev, *l_jo, *l_j)?);
		}
	}
	// One-out-inferer-forecaster losses are keyed (forecaster k, withheld inferer j′).
	for ((k, jo), l_kjo) in &losses.one_out_inferer_forecaster {
		let Some(l_jo) = losses.one_out_inferer.get(jo) else { continue };
		let key = (jo.clone(), k.clone());
		let prev = previous.get(&previous.one_out_inferer_forecaster, &key);
		out.one_out_inferer_forecaster.insert(key, update(prev, *l_jo, *l_kjo)?);
	}
	for (ko, l_ko) in &losses.one_out_forecaster {
		for (j, l_j) in &losses.inferer {
			let key = (ko.clone(), j.clone());
			let prev = previous.get(&previous.one_out_forecaster_inferer, &key);
			out.one_out_forecaster_inferer.insert(key, update(prev, *l_ko, *l_j)?);
		}
		for (k, l_k) in &losses.forecaster {
			let key = (ko.clone(), k.clone());
			let prev = previous.get(&previous.one_out_forecaster_forecaster, &key);
			out.one_out_forecaster_forecaster.insert(key, update(prev, *l_ko, *l_k)?);
		}
	}
	for (k, l_plus) in &losses.one_in_forecaster {
		for (j, l_j) in &losses.inferer {
			let key = (k.clone(), j.clone());
			let prev = previous.get(&previous.one_in_forecaster_inferer, &key);
			out.one_in_forecaster_inferer.insert(key, update(prev, *l_plus, *l_j)?);
		}
		if let Some(l_k) = losses.forecaster.get(k) {
			let prev = previous.get(&previous.one_in_forecaster_self, k);
			out.one_in_forecaster_self.insert(k.clone(), update(prev, *l_plus, *l_k)?);
		}
	}
	Ok(out)
}

/// The topic initial regret from the new regrets of the experienced actors (spec 5.5):
/// Q_q(V) + (c − d/p)·(σ(V) + ε).
pub fn initial_regret(experienced_regrets: &[Fixed], params: &RegretParams) -> Result<Fixed> {
	if experienced_regrets.is_empty() {
		return Err(Error::MissingValue);
	}
	let q = stats::quantile(experienced_regrets, params.initial_regret_quantile)?;
	let sigma = stats::sample_std_dev(experienced_regrets)?;
	let offset = params.c_norm.checked_sub(params.p_norm_safe_div.checked_div(params.p_norm)?)?;
	Ok(q.checked_add(offset.checked_mul(sigma.checked_add(params.epsilon)?)?)?)
}

/// Whether an actor is experienced (spec 5.5): it had a stored regret before this round and
/// has been paid in at least 1/α_R rounds.
pub fn is_experienced(
	had_prior_regret: bool,
	inclusions: u64,
	alpha_regret: Fixed,
) -> Result<bool> {
	if !had_prior_regret {
		return Ok(false);
	}
	let needed = Fixed::ONE.checked_div(alpha_regret)?;
	let inclusions = Fixed::checked_from_i128(i128::from(inclusions))?;
	Ok(inclusions >= needed)
}

/// The new regrets R_j, R_k of the experienced actors, inferers first (the V of spec 5.5).
pub fn experienced_values<A: Ord>(
	updated: &Regrets<A>,
	experienced_inferers: &[A],
	experienced_forecasters: &[A],
) -> Vec<Fixed> {
	experienced_inferers
		.iter()
		.filter_map(|j| updated.inferer.get(j).copied())
		.chain(experienced_forecasters.iter().filter_map(|k| updated.forecaster.get(k).copied()))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	/// Spec 5.5 / Go `TestCalcTopicInitialRegret`.
	#[test]
	fn initial_regret_matches_the_reference() {
		let v: Vec<Fixed> = [
			"0.6445506208021189",
			"1.0216386898413485",
			"0.6092049398135028",
			"0.6971588004566455",
			"0.9030751421888253",
			"0.8219035038858344",
		]
		.iter()
		.map(|s| fx(s))
		.collect();
		let mut p = RegretParams::simulator();
		p.epsilon = fx("0.0001");
		let got = initial_regret(&v, &p).unwrap_or_default();
		let want = fx("0.3354820760526412097325669544281814");
		assert!(got.checked_sub(want).unwrap_or_default().abs() <= Fixed::from_raw(100), "{got}");
	}

	#[test]
	fn experience_needs_a_prior_and_one_over_alpha_inclusions() {
		let a = fx("0.1");
		assert_eq!(is_experienced(true, 10, a), Ok(true));
		assert_eq!(is_experienced(true, 9, a), Ok(false));
		assert_eq!(is_experienced(false, 100, a), Ok(false));
		assert_eq!(is_experienced(true, 2, fx("0.5")), Ok(true));
	}

	#[test]
	fn ema_weights_the_new_value_by_alpha() {
		assert_eq!(ema(fx("0.1"), fx("1"), fx("0")), Ok(fx("0.1")));
		assert_eq!(ema(fx("0.1"), fx("2"), fx("2")), Ok(fx("2")));
	}

	/// Fix h: a missing one-out-inferer-forecaster loss leaves R⁻_{j′,k} untouched.
	#[test]
	fn fix_h_skips_regret_update_for_missing_one_out_inferer_forecaster_loss() {
		let mut losses = ValueBundle::<u32>::new(fx("1"), fx("2"));
		losses.inferer.insert(0, fx("1.5"));
		losses.inferer.insert(1, fx("0.5"));
		losses.forecaster.insert(5, fx("0.8"));
		losses.forecaster.insert(6, fx("0.9"));
		losses.one_out_inferer.insert(0, fx("1.2"));
		losses.one_out_inferer.insert(1, fx("1.1"));
		// Only (forecaster 5, without inferer 0) is reported.
		losses.one_out_inferer_forecaster.insert((5, 0), fx("1.0"));
		let mut prev = Regrets::new(fx("-1"));
		prev.one_out_inferer_forecaster.insert((1, 6), fx("0.3"));
		let new = updated_regrets(&losses, &prev, fx("0.1"))
			.unwrap_or_else(|_| Regrets::new(Fixed::ZERO));
		assert_eq!(new.one_out_inferer_forecaster.len(), 1);
		// 0.1·(1.2 − 1.0) + 0.9·(−1)
		assert_eq!(new.one_out_inferer_forecaster.get(&(0, 5)), Some(&fx("-0.88")));
		assert!(!new.one_out_inferer_forecaster.contains_key(&(1, 6)));
		// Every family the losses determine is updated.
		assert_eq!(new.inferer.get(&0), Some(&fx("-0.95")));
		assert_eq!(new.naive_inferer.get(&1), Some(&fx("-0.75")));
		assert_eq!(new.one_out_inferer_inferer.len(), 4);
	}
}
