//! Worker instant scores (spec 6.2), score EMAs and topic quantiles (6.3).

use crate::{losses::ValueBundle, regrets::ema, stats, Result};
use alloc::{collections::BTreeMap, vec::Vec};
use allora_math::Fixed;

/// Instant scores of one role in a round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundScores<A: Ord> {
	/// Score per actor.
	pub scores: BTreeMap<A, Fixed>,
	/// `false` when the round had a single actor of the role: its score (0) is stored, but no
	/// EMA and no quantile are updated (spec 6.2).
	pub update_emas: bool,
}

/// Inferer scores T_ij = ℓ⁻_{ji} − ℓ_i over the one-out inferer losses (spec 6.2).
pub fn inferer_scores<A: Ord + Clone>(losses: &ValueBundle<A>) -> Result<RoundScores<A>> {
	if losses.inferer.len() == 1 {
		let scores = losses.inferer.keys().map(|j| (j.clone(), Fixed::ZERO)).collect();
		return Ok(RoundScores { scores, update_emas: false });
	}
	let mut scores = BTreeMap::new();
	for (j, l) in &losses.one_out_inferer {
		scores.insert(j.clone(), l.checked_sub(losses.combined)?);
	}
	Ok(RoundScores { scores, update_emas: true })
}

/// Forecaster scores T_ik = f⁺·(ℓ⁻_i − ℓ⁺_{ki}) + (1 − f⁺)·(ℓ⁻_{ki} − ℓ_i) with
/// f⁺ = 1/2^{N_f − 1}, N_f the number of one-out forecaster losses (spec 6.2).
///
/// Fix i (spec 11.1): the one-in and one-out losses are paired by forecaster, not by list
/// position; a forecaster missing from either list gets no score.
pub fn forecaster_scores<A: Ord + Clone>(losses: &ValueBundle<A>) -> Result<RoundScores<A>> {
	if losses.forecaster.len() == 1 {
		let scores = losses.forecaster.keys().map(|k| (k.clone(), Fixed::ZERO)).collect();
		return Ok(RoundScores { scores, update_emas: false });
	}
	let n_f = losses.one_out_forecaster.len();
	let exponent = i32::try_from(n_f.saturating_sub(1)).unwrap_or(i32::MAX);
	let f_plus = Fixed::from_int(2).powi(exponent)?.checked_recip()?;
	let f_minus = Fixed::ONE.checked_sub(f_plus)?;
	let mut scores = BTreeMap::new();
	for (k, l_plus) in &losses.one_in_forecaster {
		let Some(l_minus) = losses.one_out_forecaster.get(k) else { continue };
		let t_plus = losses.naive.checked_sub(*l_plus)?;
		let t_minus = l_minus.checked_sub(losses.combined)?;
		scores.insert(
			k.clone(),
			f_plus.checked_mul(t_plus)?.checked_add(f_minus.checked_mul(t_minus)?)?,
		);
	}
	Ok(RoundScores { scores, update_emas: true })
}

/// Score EMA: α·T + (1 − α)·previous, or T the first time (spec 6.3).
pub fn score_ema(alpha: Fixed, score: Fixed, previous: Option<Fixed>) -> Result<Fixed> {
	match previous {
		Some(p) => ema(alpha, score, p),
		None => Ok(score),
	}
}

/// The topic quantile of a role's instant scores (0 if none) (spec 6.3).
pub fn score_quantile(scores: &[Fixed], q: Fixed) -> Result<Fixed> {
	if scores.is_empty() {
		return Ok(Fixed::ZERO);
	}
	stats::quantile(scores, q)
}

/// The σ window of spec 6.4: the newest `max` stored scores, newest round first, each round's
/// scores in stored order. `history` lists rounds newest first.
pub fn score_window(history: &[Vec<Fixed>], max: usize) -> Vec<Fixed> {
	history.iter().flat_map(|round| round.iter().copied()).take(max).collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	/// Spec 10.6 `TestGetInferenceScores` (mock losses).
	#[test]
	fn inferer_scores_match_the_reference_mock() {
		let mut l = ValueBundle::<u8>::new(fx("0.013481256018186383"), fx("0.01"));
		for (j, v) in ["0.01327", "0.01302", "0.0136", "0.01491", "0.01686"].iter().enumerate() {
			l.inferer.insert(j as u8, fx("0.01"));
			l.one_out_inferer.insert(j as u8, fx(v));
		}
		let s = inferer_scores(&l)
			.unwrap_or_else(|_| RoundScores { scores: BTreeMap::new(), update_emas: false });
		let want = [
			"-0.000211256018186383",
			"-0.000461256018186383",
			"0.000118743981813617",
			"0.001428743981813617",
			"0.003378743981813617",
		];
		for (j, w) in want.iter().enumerate() {
			assert_eq!(s.scores[&(j as u8)], fx(w));
		}
		assert!(s.update_emas);
	}

	#[test]
	fn a_single_actor_scores_zero_without_ema() {
		let mut l = ValueBundle::<u8>::new(fx("1"), fx("1"));
		l.inferer.insert(3, fx("0.5"));
		l.forecaster.insert(4, fx("0.5"));
		let s = inferer_scores(&l)
			.unwrap_or_else(|_| RoundScores { scores: BTreeMap::new(), update_emas: true });
		assert_eq!((s.scores[&3], s.update_emas), (Fixed::ZERO, false));
		let s = forecaster_scores(&l)
			.unwrap_or_else(|_| RoundScores { scores: BTreeMap::new(), update_emas: true });
		assert_eq!((s.scores[&4], s.update_emas), (Fixed::ZERO, false));
	}

	/// Fix i: pairing by forecaster, not by list position.
	#[test]
	fn fix_i_pairs_one_in_and_one_out_losses_by_forecaster() {
		let mut l = ValueBundle::<u8>::new(fx("1"), fx("2"));
		for k in [5u8, 6, 7] {
			l.forecaster.insert(k, fx("1"));
		}
		l.one_in_forecaster.insert(5, fx("1.5"));
		l.one_in_forecaster.insert(7, fx("1.0"));
		l.one_out_forecaster.insert(6, fx("9"));
		l.one_out_forecaster.insert(7, fx("1.2"));
		let s = forecaster_scores(&l)
			.unwrap_or_else(|_| RoundScores { scores: BTreeMap::new(), update_emas: false });
		// N_f = 2 → f⁺ = 1/2: T_7 = 0.5·(2 − 1) + 0.5·(1.2 − 1) = 0.6; 5 and 6 lack a pair.
		assert_eq!(s.scores.len(), 1);
		assert_eq!(s.scores[&7], fx("0.6"));
	}

	#[test]
	fn ema_starts_at_the_first_score_and_window_takes_newest_first() {
		assert_eq!(score_ema(fx("0.1"), fx("2"), None), Ok(fx("2")));
		assert_eq!(score_ema(fx("0.1"), fx("2"), Some(fx("1"))), Ok(fx("1.1")));
		let w = score_window(&[vec![fx("1"), fx("2")], vec![fx("3"), fx("4")]], 3);
		assert_eq!(w, vec![fx("1"), fx("2"), fx("3")]);
		assert_eq!(score_quantile(&[], fx("0.2")), Ok(Fixed::ZERO));
	}
}
