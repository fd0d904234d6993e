//! Mechanism settings of a replay, defaulting to the research simulator's (spec 10.4).

use allora_math::Fixed;
use allora_synthesis::{RegretParams, ReputerParams, RewardParams, SynthesisParams};

/// Every setting a replay uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
	/// Inference synthesis: p, c, ε, ε_div.
	pub synthesis: SynthesisParams,
	/// Regret EMA and initial regret.
	pub regret: RegretParams,
	/// Reputer consensus and gradient ascent.
	pub reputer: ReputerParams,
	/// Reward mapping, smoothing and entropy.
	pub reward: RewardParams,
	/// Initial regret for `--state-from-first-row` (default: spec 5.5 over row 1's regrets).
	pub initial_regret: Option<Fixed>,
	/// Synthesise with the straightforward one-out stage (`network_inference_baseline`), to
	/// check that the fast one gives identical rows.
	pub one_out_baseline: bool,
}

impl Default for Settings {
	fn default() -> Self {
		Settings {
			synthesis: SynthesisParams::simulator(),
			regret: RegretParams::simulator(),
			reputer: ReputerParams::defaults(),
			reward: RewardParams::simulator(),
			initial_regret: None,
			one_out_baseline: false,
		}
	}
}

/// The command-line flags that set a [`Settings`] field, with their help text.
pub const FLAGS: &[(&str, &str)] = &[
	("--p-norm", "topic p_norm (3)"),
	("--c-norm", "c_norm (0.75)"),
	("--epsilon", "topic epsilon (0.01)"),
	("--epsilon-safe-div", "epsilon_safe_div (1e-7)"),
	("--alpha-regret", "topic alpha_regret (0.1)"),
	("--initial-regret-quantile", "initial_regret_quantile (0.25)"),
	("--p-norm-safe-div", "p_norm_safe_div (8.25)"),
	(
		"--initial-regret",
		"initial regret in --state-from-first-row mode (default: spec 5.5 over row 1)",
	),
	("--epsilon-reputer", "epsilon_reputer (0.01)"),
	("--learning-rate", "learning_rate (0.05)"),
	("--max-iterations", "gradient_descent_max_iters (10)"),
	("--max-gradient-threshold", "max_gradient_threshold (0.001)"),
	("--min-stake-fraction", "min_stake_fraction (0.5)"),
	("--p-reward-inference", "p_reward_inference (3)"),
	("--p-reward-forecast", "p_reward_forecast (3)"),
	("--p-reward-reputer", "p_reward_reputer (1)"),
	("--c-reward-inference", "c_reward_inference (0.75)"),
	("--c-reward-forecast", "c_reward_forecast (0.75)"),
	("--task-reward-alpha", "task_reward_alpha (0.1)"),
	("--beta-entropy", "beta_entropy (0.25)"),
	("--max-samples-to-scale-scores", "max_samples_to_scale_scores (10)"),
];

impl Settings {
	/// Sets the field of `flag` from `value`; errors name the flag.
	pub fn set(&mut self, flag: &str, value: &str) -> Result<(), String> {
		let fixed = || value.parse::<Fixed>().map_err(|e| format!("{flag}: `{value}` is {e}"));
		let count =
			|| value.parse::<u32>().map_err(|_| format!("{flag}: `{value}` is not a whole number"));
		match flag {
			"--p-norm" => {
				self.synthesis.p_norm = fixed()?;
				self.regret.p_norm = self.synthesis.p_norm;
			},
			"--c-norm" => {
				self.synthesis.c_norm = fixed()?;
				self.regret.c_norm = self.synthesis.c_norm;
			},
			"--epsilon" => {
				self.synthesis.epsilon = fixed()?;
				self.regret.epsilon = self.synthesis.epsilon;
				self.reward.epsilon = self.synthesis.epsilon;
			},
			"--epsilon-safe-div" => {
				self.synthesis.epsilon_safe_div = fixed()?;
				self.reputer.epsilon_safe_div = self.synthesis.epsilon_safe_div;
			},
			"--alpha-regret" => self.regret.alpha_regret = fixed()?,
			"--initial-regret-quantile" => self.regret.initial_regret_quantile = fixed()?,
			"--p-norm-safe-div" => self.regret.p_norm_safe_div = fixed()?,
			"--initial-regret" => self.initial_regret = Some(fixed()?),
			"--epsilon-reputer" => self.reputer.epsilon_reputer = fixed()?,
			"--learning-rate" => self.reputer.learning_rate = fixed()?,
			"--max-iterations" => self.reputer.max_iterations = count()?,
			"--max-gradient-threshold" => self.reputer.max_gradient_threshold = fixed()?,
			"--min-stake-fraction" => self.reputer.min_stake_fraction = fixed()?,
			"--p-reward-inference" => self.reward.p_reward_inference = fixed()?,
			"--p-reward-forecast" => self.reward.p_reward_forecast = fixed()?,
			"--p-reward-reputer" => self.reward.p_reward_reputer = fixed()?,
			"--c-reward-inference" => self.reward.c_reward_inference = fixed()?,
			"--c-reward-forecast" => self.reward.c_reward_forecast = fixed()?,
			"--task-reward-alpha" => self.reward.task_reward_alpha = fixed()?,
			"--beta-entropy" => self.reward.beta_entropy = fixed()?,
			"--max-samples-to-scale-scores" => self.reward.max_samples_to_scale_scores = count()?,
			_ => return Err(format!("unknown option {flag}")),
		}
		Ok(())
	}
}
