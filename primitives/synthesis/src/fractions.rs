//! Reward fractions (spec 6.4), smoothed fractions, effective number and entropy (6.5).

use crate::{regrets::ema, stats, weights::potential, Error, Result};
use alloc::vec::Vec;
use allora_math::{DotAccumulator, Fixed, MathError};

/// The entropy of a role with a single actor: ln 2 / 4 (spec 6.5).
pub const SINGLE_ACTOR_ENTROPY: Fixed = Fixed::from_raw(173_286_795_139_986_000);

/// Worker reward fractions (spec 6.4): with σ the sample standard deviation of `window` (the
/// newest stored scores of the role, this round's included), u_a ∝ φ_{p,c}(T_a/(σ + ε)), or
/// equal shares when σ < ε.
pub fn worker_reward_fractions(
	scores: &[Fixed],
	window: &[Fixed],
	p: Fixed,
	c: Fixed,
	epsilon: Fixed,
) -> Result<Vec<Fixed>> {
	if scores.is_empty() {
		return Ok(Vec::new());
	}
	let sigma = if window.len() < 2 { Fixed::ZERO } else { stats::sample_std_dev(window)?.abs() };
	let mapped: Vec<Fixed> = if sigma < epsilon {
		scores.iter().map(|_| Fixed::ONE).collect()
	} else {
		let s = sigma.checked_add(epsilon)?;
		scores.iter().map(|t| potential(p, c, t.checked_div(s)?)).collect::<Result<_>>()?
	};
	normalize(&mapped)
}

/// Reputer reward fractions w_m ∝ (S_m·T_m)^p (spec 6.4). Stakes are divided by the largest
/// first: the fractions are scale-free and (S·T)^p stays in range for any token amount.
pub fn reputer_reward_fractions(
	stakes: &[Fixed],
	scores: &[Fixed],
	p: Fixed,
) -> Result<Vec<Fixed>> {
	if stakes.len() != scores.len() {
		return Err(Error::LengthMismatch);
	}
	if stakes.is_empty() {
		return Ok(Vec::new());
	}
	let max = stakes.iter().copied().max().unwrap_or(Fixed::ZERO);
	if !max.is_positive() {
		return Err(Error::NoReputers);
	}
	let raw: Vec<Fixed> = stakes
		.iter()
		.zip(scores.iter())
		.map(|(s, t)| {
			let x = s.checked_div(max)?.checked_mul(*t)?;
			// A zero (or negative) product stays 0.
			if x.is_positive() {
				Ok(x.pow(p)?)
			} else {
				Ok(Fixed::ZERO)
			}
		})
		.collect::<Result<_>>()?;
	normalize(&raw)
}

/// x / Σ x; an all-zero input is an error.
pub fn normalize(values: &[Fixed]) -> Result<Vec<Fixed>> {
	let total = Fixed::checked_sum(values.iter().copied())?;
	if total.is_zero() {
		return Err(MathError::DivisionByZero.into());
	}
	values.iter().map(|v| Ok(v.checked_div(total)?)).collect()
}

/// The effective number of actors N_eff = 1 / Σ f² (spec 6.5).
pub fn effective_number(fractions: &[Fixed]) -> Result<Fixed> {
	let mut squares = DotAccumulator::new();
	for x in fractions {
		squares.add_product(*x, *x);
	}
	Ok(squares.total()?.checked_recip()?)
}

/// The entropy of a role and its new smoothed fractions (spec 6.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entropy {
	/// F_i, G_i or H_i.
	pub entropy: Fixed,
	/// f_a: the normalised smoothed fractions, to store as next round's "previous".
	pub smoothed: Vec<Fixed>,
}

/// Smooths this round's fractions with the previous smoothed ones (ũ = α·u + (1 − α)·f_prev,
/// or u the first time), then H = −(N_eff/n)^β · Σ f ln f with N_eff = 1/Σ ũ² and f = ũ/Σ ũ.
/// A single actor has entropy ln 2 / 4.
///
/// Fix l (spec 11.1): 0·ln 0 = 0, so a zero fraction no longer aborts the topic's rewards.
pub fn entropy(
	fractions: &[Fixed],
	previous_smoothed: &[Option<Fixed>],
	alpha: Fixed,
	beta: Fixed,
) -> Result<Entropy> {
	if fractions.len() != previous_smoothed.len() {
		return Err(Error::LengthMismatch);
	}
	let smoothed_raw: Vec<Fixed> = fractions
		.iter()
		.zip(previous_smoothed.iter())
		.map(|(u, prev)| match prev {
			Some(p) => ema(alpha, *u, *p),
			None => Ok(*u),
		})
		.collect::<Result<_>>()?;
	let n_eff = effective_number(&smoothed_raw)?;
	let smoothed = normalize(&smoothed_raw)?;
	let n = smoothed.len();
	if n == 1 {
		return Ok(Entropy { entropy: SINGLE_ACTOR_ENTROPY, smoothed });
	}
	let mut sum = Fixed::ZERO;
	for f in &smoothed {
		if f.is_positive() {
			sum = sum.checked_add(f.checked_mul(f.ln()?)?)?;
		}
	}
	let count = Fixed::checked_from_i128(i128::try_from(n).map_err(|_| MathError::Overflow)?)?;
	let factor = n_eff.checked_div(count)?.pow(beta)?;
	Ok(Entropy { entropy: factor.checked_mul(sum)?.saturating_neg(), smoothed })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::{close, fx, fxs};

	/// Spec 10.6 `TestCalculateReputerRewardFractions` (p = 1, abs 1e-5).
	#[test]
	fn reputer_fractions_match_the_reference() {
		let stakes =
			fxs(&["1178377.89152", "385287.87376", "395488.13091", "208201.11762", "369044.55988"]);
		let scores = fxs(&["17.53839", "22.63517", "26.28035", "13.51383", "15.08629"]);
		let f = reputer_reward_fractions(&stakes, &scores, fx("1")).unwrap_or_default();
		for (got, want) in f.iter().zip(["0.42911", "0.18108", "0.2158", "0.05842", "0.1156"]) {
			assert!(close(*got, want, "0.00001"), "{got} vs {want}");
		}
	}

	/// Spec 10.6 `TestEntropySimple`: −Σ f ln f for f = {0.2, 0.3, 0.5} is 1.0296530140645735;
	/// with N_eff = 0.75 and n = 3, β = 0.25 the reference gets 0.72807462851. Our smoothing
	/// with no history keeps f and uses N_eff = 1/Σ f² = 1/0.38 (value from a 40-digit oracle).
	#[test]
	fn entropy_matches_the_formula_and_the_reference_value() {
		let f = fxs(&["0.2", "0.3", "0.5"]);
		let e = entropy(&f, &[None, None, None], fx("0.1"), fx("0.25"))
			.unwrap_or_else(|e| panic!("{e:?}"));
		assert!(close(e.entropy, "0.996471041795557879", "0.000000000000001"), "{}", e.entropy);
		assert_eq!(e.smoothed, f);
		let sum = fx("1.029653014064573527");
		let reference =
			fx("0.25").pow(fx("0.25")).and_then(|x| x.checked_mul(sum)).unwrap_or_default();
		assert!(close(reference, "0.72807462851", "0.0001"), "{reference}");
	}

	/// Spec 10.6 `TestNumberRatio`: {0.2, …, 0.7} → 1/1.39.
	#[test]
	fn effective_number_matches_the_reference() {
		let n =
			effective_number(&fxs(&["0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])).unwrap_or_default();
		assert!(close(n, "0.71942446", "0.0001"), "{n}");
		assert_eq!(n, fx("1").checked_div(fx("1.39")).unwrap_or_default());
	}

	#[test]
	fn fix_l_zero_fraction_contributes_nothing_to_entropy() {
		let e = entropy(&fxs(&["0", "1"]), &[None, None], fx("0.1"), fx("0.25"))
			.unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(e.entropy, Fixed::ZERO);
		let single = entropy(&fxs(&["1"]), &[Some(fx("1"))], fx("0.1"), fx("0.25"))
			.unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(single.entropy, SINGLE_ACTOR_ENTROPY);
	}

	#[test]
	fn worker_fractions_are_equal_when_scores_do_not_vary() {
		let f = worker_reward_fractions(
			&fxs(&["0.1", "0.1"]),
			&fxs(&["0.1", "0.1", "0.1"]),
			fx("3"),
			fx("0.75"),
			fx("0.01"),
		)
		.unwrap_or_default();
		assert_eq!(f, fxs(&["0.5", "0.5"]));
		let f = worker_reward_fractions(
			&fxs(&["1", "-1"]),
			&fxs(&["1", "-1"]),
			fx("3"),
			fx("0.75"),
			fx("0.01"),
		)
		.unwrap_or_default();
		assert!(f[0] > f[1]);
		assert!(Fixed::checked_sum(f.iter().copied())
			.map(|s| s
				.checked_sub(Fixed::ONE)
				.map(|d| d.abs() <= Fixed::from_raw(2))
				.unwrap_or(false))
			.unwrap_or(false));
	}
}
