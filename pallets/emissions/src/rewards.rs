//! The reward plan of a settled round (spec 6.4-6.7): reward fractions, smoothed fractions and
//! entropies, τ, χ and γ, the task totals U, V, W and every actor's reward. Pure: the pallet
//! reads the inputs from storage, calls [`plan`], then stores and pays the result.

use alloc::vec::Vec;
use allora_math::Fixed;
use allora_synthesis::{fractions, rewards, Result};

/// The reward settings of spec 9.1 and the topic's ε.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RewardSettings {
	/// p and c of the inferers' mapping.
	pub inferer: (Fixed, Fixed),
	/// p and c of the forecasters' mapping.
	pub forecaster: (Fixed, Fixed),
	/// p of the reputers' (S·T)^p.
	pub reputer_p: Fixed,
	/// The topic's ε.
	pub epsilon: Fixed,
	/// α_task: smoothing of the fractions and of τ.
	pub task_alpha: Fixed,
	/// β of the entropy.
	pub beta: Fixed,
}

/// One role's inputs: scores in account order, the σ window (this round's scores first; not
/// used for reputers) and each actor's previous smoothed fraction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleInputs {
	/// Instant scores T_a.
	pub scores: Vec<Fixed>,
	/// Reputers: their stakes S_m (ALLO); workers: empty.
	pub stakes: Vec<Fixed>,
	/// The σ window (workers).
	pub window: Vec<Fixed>,
	/// Previous smoothed fractions, aligned with `scores`.
	pub previous: Vec<Option<Fixed>>,
}

/// What the reward step reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardInputs {
	/// Inferers, forecasters, reputers.
	pub roles: [RoleInputs; 3],
	/// ℓ_i.
	pub network_loss: Fixed,
	/// ℓ⁻_i.
	pub naive_loss: Fixed,
	/// τ of the previous round.
	pub previous_tau: Fixed,
	/// E_t (ALLO).
	pub topic_reward: Fixed,
}

/// One role's results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolePlan {
	/// Raw fractions (spec 6.4), which the payout uses (decision 8).
	pub fractions: Vec<Fixed>,
	/// New smoothed fractions to store; `None` when the role's entropy was not computed
	/// (forecasters with fewer than two inferers), so the stored ones stay.
	pub smoothed: Option<Vec<Fixed>>,
	/// F_i, G_i or H_i.
	pub entropy: Fixed,
	/// fraction × task total (ALLO).
	pub rewards: Vec<Fixed>,
}

/// The result of the reward step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardPlan {
	/// Inferers, forecasters, reputers.
	pub roles: [RolePlan; 3],
	/// T_i = ℓ⁻_i − ℓ_i.
	pub task_score: Fixed,
	/// χ and the new τ.
	pub utility: rewards::ForecastingUtility,
	/// γ.
	pub gamma: Fixed,
	/// U, V, W.
	pub tasks: rewards::TaskRewards,
}

/// Role indices of [`RewardInputs::roles`] and [`RewardPlan::roles`].
pub const INFERERS: usize = 0;
/// Forecasters.
pub const FORECASTERS: usize = 1;
/// Reputers.
pub const REPUTERS: usize = 2;

/// A role's entropy and smoothed fractions (0 and none without actors).
fn entropy(
	fr: &[Fixed],
	previous: &[Option<Fixed>],
	s: &RewardSettings,
) -> Result<(Fixed, Option<Vec<Fixed>>)> {
	if fr.is_empty() {
		return Ok((Fixed::ZERO, None));
	}
	let e = fractions::entropy(fr, previous, s.task_alpha, s.beta)?;
	Ok((e.entropy, Some(e.smoothed)))
}

/// Spec 6.4-6.7 for one round: fractions, entropies (the forecasters' only with at least one
/// forecaster and two inferers, else G = 0), τ/χ/γ, task totals and per-actor rewards.
pub fn plan(inputs: &RewardInputs, s: &RewardSettings) -> Result<RewardPlan> {
	let [inf, fc, rep] = &inputs.roles;
	let worker = |r: &RoleInputs, (p, c): (Fixed, Fixed)| {
		fractions::worker_reward_fractions(&r.scores, &r.window, p, c, s.epsilon)
	};
	let i_frac = worker(inf, s.inferer)?;
	let f_frac = worker(fc, s.forecaster)?;
	let r_frac = fractions::reputer_reward_fractions(&rep.stakes, &rep.scores, s.reputer_p)?;

	let (f_entropy, i_smoothed) = entropy(&i_frac, &inf.previous, s)?;
	let (g_entropy, f_smoothed) = if !fc.scores.is_empty() && inf.scores.len() >= 2 {
		entropy(&f_frac, &fc.previous, s)?
	} else {
		(Fixed::ZERO, None)
	};
	let (h_entropy, r_smoothed) = entropy(&r_frac, &rep.previous, s)?;

	let task_score = inputs.naive_loss.checked_sub(inputs.network_loss)?;
	let utility =
		rewards::forecasting_utility(task_score, &inf.scores, inputs.previous_tau, s.task_alpha)?;
	let gamma = rewards::normalization_factor(f_entropy, g_entropy, utility.chi)?;
	let tasks = rewards::task_rewards(
		f_entropy,
		g_entropy,
		h_entropy,
		utility.chi,
		gamma,
		inputs.topic_reward,
	)?;
	let role = |fractions: Vec<Fixed>, smoothed, entropy, total| -> Result<RolePlan> {
		let rewards = rewards::actor_rewards(&fractions, total)?;
		Ok(RolePlan { fractions, smoothed, entropy, rewards })
	};
	Ok(RewardPlan {
		roles: [
			role(i_frac, i_smoothed, f_entropy, tasks.inference)?,
			role(f_frac, f_smoothed, g_entropy, tasks.forecasting)?,
			role(r_frac, r_smoothed, h_entropy, tasks.reputation)?,
		],
		task_score,
		utility,
		gamma,
		tasks,
	})
}

/// A reputer's reward split (spec 6.8): the delegators' part trunc(X·D/S) and the reputer's
/// X − that, in base units.
pub fn delegator_split(reward: u128, delegated: u128, total_stake: u128) -> (u128, u128) {
	let delegators = if total_stake == 0 {
		0
	} else {
		allora_math::mul_div_floor(reward, delegated.min(total_stake), total_stake).unwrap_or(0)
	};
	(delegators, reward.saturating_sub(delegators))
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
	use super::*;

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_default()
	}

	fn settings() -> RewardSettings {
		RewardSettings {
			inferer: (fx("3"), fx("0.75")),
			forecaster: (fx("3"), fx("0.75")),
			reputer_p: fx("1"),
			epsilon: fx("0.01"),
			task_alpha: fx("0.1"),
			beta: fx("0.25"),
		}
	}

	fn role(scores: &[&str], stakes: &[&str]) -> RoleInputs {
		let scores: Vec<Fixed> = scores.iter().map(|x| fx(x)).collect();
		RoleInputs {
			window: scores.clone(),
			previous: scores.iter().map(|_| None).collect(),
			stakes: stakes.iter().map(|x| fx(x)).collect(),
			scores,
		}
	}

	#[test]
	fn the_three_tasks_share_the_topic_reward() {
		let inputs = RewardInputs {
			roles: [
				role(&["0.01", "-0.02", "0.03"], &[]),
				role(&["0.002", "0.001"], &[]),
				role(&["1.5", "2"], &["100", "300"]),
			],
			network_loss: fx("-3"),
			naive_loss: fx("-2.9"),
			previous_tau: Fixed::ZERO,
			topic_reward: fx("1000"),
		};
		let p = plan(&inputs, &settings()).unwrap_or_else(|e| panic!("{e:?}"));
		let sum = [p.tasks.inference, p.tasks.forecasting, p.tasks.reputation]
			.iter()
			.fold(Fixed::ZERO, |a, b| a.checked_add(*b).unwrap_or_default());
		// U + V + W = E up to the rounding of γ (relative 1e-15).
		let diff = sum.checked_sub(fx("1000")).unwrap_or_default().abs();
		assert!(diff <= fx("0.000000000001"), "{sum}");
		// Reputer fractions ∝ S·T with p = 1: 150 : 600.
		for (got, want) in p.roles[REPUTERS].fractions.iter().zip(["0.2", "0.8"]) {
			let diff = got.checked_sub(fx(want)).unwrap().abs();
			assert!(diff <= Fixed::from_raw(10), "{got} vs {want}");
		}
		for r in &p.roles {
			assert!(r.smoothed.is_some());
			assert_eq!(r.rewards.len(), r.fractions.len());
		}
	}

	#[test]
	fn one_inferer_leaves_the_forecasting_task_empty() {
		let inputs = RewardInputs {
			roles: [role(&["0"], &[]), role(&["0.01"], &[]), role(&["1"], &["5"])],
			network_loss: fx("-3"),
			naive_loss: fx("-3"),
			previous_tau: Fixed::ZERO,
			topic_reward: fx("10"),
		};
		let p = plan(&inputs, &settings()).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(p.roles[FORECASTERS].entropy, Fixed::ZERO);
		assert_eq!(p.roles[FORECASTERS].smoothed, None);
		assert_eq!(p.tasks.forecasting, Fixed::ZERO);
		assert_eq!(p.roles[FORECASTERS].rewards, vec![Fixed::ZERO]);
	}

	#[test]
	fn delegators_get_the_truncated_share() {
		assert_eq!(delegator_split(1_000, 1, 3), (333, 667));
		assert_eq!(delegator_split(1_000, 0, 3), (0, 1_000));
		assert_eq!(delegator_split(7, 5, 0), (0, 7));
		assert_eq!(delegator_split(u128::MAX, 2, 2), (u128::MAX, 0));
	}
}
