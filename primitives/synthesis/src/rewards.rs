//! The value of the forecasting task (τ, χ, γ; spec 6.6), the task totals U, V, W and the
//! per-actor rewards (6.7).

use crate::{regrets::ema, Result};
use alloc::vec::Vec;
use allora_math::Fixed;

const fn fx(raw: i128) -> Fixed {
	Fixed::from_raw(raw)
}
const TENTH: Fixed = fx(100_000_000_000_000_000);
const HALF: Fixed = fx(500_000_000_000_000_000);
const FOUR_TENTHS: Fixed = fx(400_000_000_000_000_000);

/// χ and the new τ of a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForecastingUtility {
	/// χ: the forecasting task's share weight.
	pub chi: Fixed,
	/// τ_i: the stored forecaster score ratio.
	pub tau: Fixed,
}

/// χ and τ from T_i = ℓ⁻_i − ℓ_i (naive loss minus network loss), the round's inferer scores
/// and the previous τ (spec 6.6). The running maximum of the inferer scores starts at 0, and
/// when it is 0 with T_i = 0, τ resets to 0 and χ = 0.5 (both kept as the reference does:
/// quirk f of spec 11.1).
pub fn forecasting_utility(
	forecast_task_score: Fixed,
	inferer_scores: &[Fixed],
	previous_tau: Fixed,
	alpha: Fixed,
) -> Result<ForecastingUtility> {
	let m_star = inferer_scores.iter().copied().fold(Fixed::ZERO, Fixed::max);
	let denominator = if m_star.is_zero() {
		if forecast_task_score.is_zero() {
			return Ok(ForecastingUtility { chi: HALF, tau: Fixed::ZERO });
		}
		forecast_task_score.abs()
	} else {
		m_star.abs()
	};
	let ratio =
		forecast_task_score.checked_sub(Fixed::ZERO.min(m_star))?.checked_div(denominator)?;
	let tau = ema(alpha, ratio, previous_tau)?;
	let chi = if tau.is_negative() {
		TENTH
	} else if tau < Fixed::ONE {
		FOUR_TENTHS.checked_mul(tau)?.checked_add(TENTH)?
	} else {
		HALF
	};
	Ok(ForecastingUtility { chi, tau })
}

/// γ = (F + G) / ((1 − χ)·F + χ·G).
pub fn normalization_factor(f: Fixed, g: Fixed, chi: Fixed) -> Result<Fixed> {
	let den = Fixed::ONE.checked_sub(chi)?.checked_mul(f)?.checked_add(chi.checked_mul(g)?)?;
	Ok(f.checked_add(g)?.checked_div(den)?)
}

/// The three task totals of a topic's reward E (U + V + W = E up to rounding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskRewards {
	/// U: inference task.
	pub inference: Fixed,
	/// V: forecasting task.
	pub forecasting: Fixed,
	/// W: reputation task.
	pub reputation: Fixed,
}

/// U = (1 − χ)γF·E/(F+G+H), V = χγG·E/(F+G+H), W = H·E/(F+G+H) (spec 6.7).
pub fn task_rewards(
	f: Fixed,
	g: Fixed,
	h: Fixed,
	chi: Fixed,
	gamma: Fixed,
	total: Fixed,
) -> Result<TaskRewards> {
	let sum = f.checked_add(g)?.checked_add(h)?;
	let share = |x: Fixed| -> Result<Fixed> { Ok(x.checked_mul_div(total, sum)?) };
	Ok(TaskRewards {
		inference: share(Fixed::ONE.checked_sub(chi)?.checked_mul(gamma)?.checked_mul(f)?)?,
		forecasting: share(chi.checked_mul(gamma)?.checked_mul(g)?)?,
		reputation: share(h)?,
	})
}

/// Per-actor rewards: fraction × task total (the raw fractions, decision 8).
pub fn actor_rewards(fractions: &[Fixed], task_total: Fixed) -> Result<Vec<Fixed>> {
	fractions.iter().map(|f| Ok(f.checked_mul(task_total)?)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::f;

	/// Spec 6.7 reference: F = G = 2, H = 4, E = 2, T_i = 1, scores {0.5, 0.5}, α = 1, τ = 0.
	#[test]
	fn task_rewards_match_the_reference_case() {
		let u = forecasting_utility(f("1"), &[f("0.5"), f("0.5")], Fixed::ZERO, f("1"))
			.unwrap_or(ForecastingUtility { chi: Fixed::ZERO, tau: Fixed::ZERO });
		assert_eq!(u.chi, f("0.5"));
		let gamma = normalization_factor(f("2"), f("2"), u.chi).unwrap_or_default();
		assert_eq!(gamma, f("2"));
		let t = task_rewards(f("2"), f("2"), f("4"), u.chi, gamma, f("2")).unwrap_or(TaskRewards {
			inference: Fixed::ZERO,
			forecasting: Fixed::ZERO,
			reputation: Fixed::ZERO,
		});
		assert_eq!((t.inference, t.forecasting, t.reputation), (f("0.5"), f("0.5"), f("1")));
	}

	/// Spec 10.6: γ = 2 for F = 4, G = 6, χ = 0.5 ... and χ ∈ {0.1, 0.5, 0.2} for
	/// T = −0.1, 1.1, 0.125 with scores {0.5, 0.5}, α = 1, τ_prev = 0.
	#[test]
	fn chi_and_gamma_match_the_reference_cases() {
		assert_eq!(normalization_factor(f("4"), f("6"), f("0.5")), Ok(f("2")));
		for (t, chi) in [("-0.1", "0.1"), ("1.1", "0.5"), ("0.125", "0.2")] {
			let u = forecasting_utility(f(t), &[f("0.5"), f("0.5")], Fixed::ZERO, f("1"))
				.map(|u| u.chi);
			assert_eq!(u, Ok(f(chi)), "T = {t}");
		}
	}

	/// Quirk f: with no positive inferer score and T_i = 0, τ resets and χ = 0.5.
	#[test]
	fn zero_scores_and_zero_task_score_reset_tau() {
		let u = forecasting_utility(Fixed::ZERO, &[f("-1")], f("0.7"), f("0.1"));
		assert_eq!(u, Ok(ForecastingUtility { chi: f("0.5"), tau: Fixed::ZERO }));
		// Without a positive score, |T_i| is the denominator: τ moves by ±α.
		let u = forecasting_utility(f("-3"), &[f("-1")], Fixed::ZERO, f("0.1")).map(|u| u.tau);
		assert_eq!(u, Ok(f("-0.1")));
	}

	#[test]
	fn without_forecasters_the_forecasting_task_gets_nothing() {
		let chi = f("0.3");
		let gamma = normalization_factor(f("2"), Fixed::ZERO, chi).unwrap_or_default();
		let t =
			task_rewards(f("2"), Fixed::ZERO, f("1"), chi, gamma, f("3")).unwrap_or(TaskRewards {
				inference: Fixed::ZERO,
				forecasting: f("1"),
				reputation: Fixed::ZERO,
			});
		assert_eq!(t.forecasting, Fixed::ZERO);
		assert!(
			t.inference
				.checked_sub(f("2"))
				.map(|d| d.abs() <= Fixed::from_raw(10))
				.unwrap_or(false),
			"{}",
			t.inference
		);
		assert_eq!(t.reputation, f("1"));
	}
}
