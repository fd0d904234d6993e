//! Parameters of the mechanism steps, with the defaults of spec 9.1 and the settings of the
//! research simulator (spec 10.4).

use allora_math::Fixed;

const fn fx(raw: i128) -> Fixed {
	Fixed::from_raw(raw)
}
const E15: i128 = 1_000_000_000_000_000; // 10^15 raw = 0.001

/// The default outlier clip of the network inference: 12 median absolute deviations.
pub const DEFAULT_OUTLIER_MADS: Fixed = fx(12_000 * E15);

/// Inference synthesis (spec 4): the topic's p and ε, the global c and ε_div.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SynthesisParams {
	/// Topic `p_norm`: slope of the potential function.
	pub p_norm: Fixed,
	/// Global `c_norm`: offset of the potential function.
	pub c_norm: Fixed,
	/// Topic `epsilon`: floor of σ in regret normalisation.
	pub epsilon: Fixed,
	/// Global `epsilon_safe_div`: floor of weight sums.
	pub epsilon_safe_div: Fixed,
	/// Global `inference_outlier_mads` k: inferences enter every combined value clipped to k
	/// median absolute deviations around their median (`stats::mad_clip`).
	pub outlier_mads: Fixed,
}

impl SynthesisParams {
	/// The simulator's settings: p = 3, c = 0.75, ε = 0.01, ε_div = 1e-7, and the default
	/// outlier clip k = 12 (the simulator's rows reach 7.5 MADs; the clip leaves them alone).
	pub const fn simulator() -> Self {
		SynthesisParams {
			p_norm: fx(3_000 * E15),
			c_norm: fx(750 * E15),
			epsilon: fx(10 * E15),
			epsilon_safe_div: fx(100_000_000_000),
			outlier_mads: DEFAULT_OUTLIER_MADS,
		}
	}
}

/// Regret updates and the topic initial regret (spec 5.4-5.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegretParams {
	/// Topic `alpha_regret`: EMA weight of the new regret.
	pub alpha_regret: Fixed,
	/// Global `initial_regret_quantile` q.
	pub initial_regret_quantile: Fixed,
	/// Global `p_norm_safe_div` d.
	pub p_norm_safe_div: Fixed,
	/// Global `c_norm`.
	pub c_norm: Fixed,
	/// Topic `p_norm`.
	pub p_norm: Fixed,
	/// Topic `epsilon`.
	pub epsilon: Fixed,
}

impl RegretParams {
	/// The simulator's settings: α = 0.1, q = 0.25, d = 8.25, c = 0.75, p = 3, ε = 0.01.
	pub const fn simulator() -> Self {
		RegretParams {
			alpha_regret: fx(100 * E15),
			initial_regret_quantile: fx(250 * E15),
			p_norm_safe_div: fx(8_250 * E15),
			c_norm: fx(750 * E15),
			p_norm: fx(3_000 * E15),
			epsilon: fx(10 * E15),
		}
	}
}

/// Reputer consensus and listening-coefficient gradient ascent (spec 5.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReputerParams {
	/// `epsilon_reputer`: floor added to the relative distance (score ≤ 1/ε).
	pub epsilon_reputer: Fixed,
	/// `epsilon_safe_div`: replaces a zero consensus norm.
	pub epsilon_safe_div: Fixed,
	/// `learning_rate` η.
	pub learning_rate: Fixed,
	/// `gradient_descent_max_iters`.
	pub max_iterations: u32,
	/// `max_gradient_threshold`: stop when every coefficient moved less than this / η.
	pub max_gradient_threshold: Fixed,
	/// `min_stake_fraction`: share of stake that must stay listened to.
	pub min_stake_fraction: Fixed,
}

impl ReputerParams {
	/// Defaults of spec 9.1 (also the simulator's).
	pub const fn defaults() -> Self {
		ReputerParams {
			epsilon_reputer: fx(10 * E15),
			epsilon_safe_div: fx(100_000_000_000),
			learning_rate: fx(50 * E15),
			max_iterations: 10,
			max_gradient_threshold: fx(E15),
			min_stake_fraction: fx(500 * E15),
		}
	}
}

/// Reward fractions, entropies and task shares (spec 6.4-6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RewardParams {
	/// `p_reward_inference`.
	pub p_reward_inference: Fixed,
	/// `p_reward_forecast`.
	pub p_reward_forecast: Fixed,
	/// `p_reward_reputer`: exponent of S·T.
	pub p_reward_reputer: Fixed,
	/// `c_reward_inference`.
	pub c_reward_inference: Fixed,
	/// `c_reward_forecast`.
	pub c_reward_forecast: Fixed,
	/// `task_reward_alpha` α_task.
	pub task_reward_alpha: Fixed,
	/// `beta_entropy` β.
	pub beta_entropy: Fixed,
	/// Topic `epsilon` (σ floor of the reward mapping).
	pub epsilon: Fixed,
	/// `max_samples_to_scale_scores`: σ window of the reward mapping.
	pub max_samples_to_scale_scores: u32,
}

impl RewardParams {
	/// Defaults of spec 9.1 (p = 1/3/3) with topic ε = 0.01.
	pub const fn defaults() -> Self {
		RewardParams {
			p_reward_inference: fx(1_000 * E15),
			p_reward_forecast: fx(3_000 * E15),
			p_reward_reputer: fx(3_000 * E15),
			c_reward_inference: fx(750 * E15),
			c_reward_forecast: fx(750 * E15),
			task_reward_alpha: fx(100 * E15),
			beta_entropy: fx(250 * E15),
			epsilon: fx(10 * E15),
			max_samples_to_scale_scores: 10,
		}
	}

	/// The simulator's settings (spec 10.4): p = 3/3/1.
	pub const fn simulator() -> Self {
		let mut p = RewardParams::defaults();
		p.p_reward_inference = fx(3_000 * E15);
		p.p_reward_reputer = fx(1_000 * E15);
		p
	}
}
