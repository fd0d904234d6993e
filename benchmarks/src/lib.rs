//! Deterministic fixtures and the two hot paths of the mechanism, shared by the criterion
//! benchmarks (`benches/mechanism.rs`) and the tests that check the fast and the
//! straightforward reputer-consensus paths agree.

use allora_math::Fixed;
use allora_synthesis::{
	consensus::{self, ReputerOutcome},
	fractions,
	inference::{self, Forecast, NetworkInference, SynthesisInput},
	losses::{self, ValueBundle},
	regrets::{self, Regrets},
	scores, RegretParams, ReputerParams, RewardParams, SynthesisParams,
};

/// Active-set sizes: (inferers, forecasters, reputers).
pub type Shape = (usize, usize, usize);

/// The sizes the issue asks for: the reference's active sets and two larger ones.
pub const SHAPES: [Shape; 3] = [(32, 6, 6), (64, 16, 16), (128, 32, 32)];

/// Elements per forecast: the reference's `max_elements_per_forecast`.
pub const ELEMENTS_PER_FORECAST: usize = 12;

/// A small deterministic generator (64-bit LCG), so every run benchmarks the same data.
pub struct Lcg(u64);

impl Lcg {
	/// A generator from a seed.
	pub fn new(seed: u64) -> Self {
		Lcg(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407))
	}

	/// Uniform in [lo, hi) with 18 decimals.
	pub fn uniform(&mut self, lo: i128, hi: i128) -> Fixed {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		let unit = i128::from(self.0 >> 11) * 1_000_000_000_000_000_000 / (1i128 << 53);
		Fixed::from_raw(lo * 1_000_000_000_000_000_000 + unit * (hi - lo))
	}

	/// A small perturbation in [−scale, scale) (scale in 10^-18 units).
	pub fn noise(&mut self, scale: i128) -> Fixed {
		let u = self.uniform(0, 1).into_raw();
		Fixed::from_raw((u - 500_000_000_000_000_000) * 2 * scale / 1_000_000_000_000_000_000)
	}
}

/// Everything one round of a topic needs.
pub struct Fixture {
	/// (inferer id, inference).
	pub inferences: Vec<(u32, Fixed)>,
	/// Forecasts, ids after the inferers'.
	pub forecasts: Vec<Forecast<u32>>,
	/// Stored regrets of every family.
	pub regrets: Regrets<u32>,
	/// (stake, bundle) per reputer.
	pub reputers: Vec<(Fixed, ValueBundle<u32>)>,
	/// Listening coefficients.
	pub coefficients: Vec<Fixed>,
	/// σ windows of past scores (inferers, forecasters).
	pub history: (Vec<Fixed>, Vec<Fixed>),
}

/// A fixture of the given shape: every reputer reports every quantity (the longest loss
/// vectors), losses near −6 (log10 of a squared error) with reputer noise.
pub fn fixture(shape: Shape, seed: u64) -> Fixture {
	let (ni, nf, nr) = shape;
	let mut rng = Lcg::new(seed);
	let inferer = |j: usize| j as u32;
	let forecaster = |k: usize| (ni + k) as u32;
	let inferences = (0..ni).map(|j| (inferer(j), rng.uniform(0, 1))).collect();
	let forecasts = (0..nf)
		.map(|k| Forecast {
			forecaster: forecaster(k),
			elements: (0..ELEMENTS_PER_FORECAST.min(ni))
				.map(|e| (inferer((k * 7 + e * 5) % ni), rng.uniform(-7, -5)))
				.collect(),
		})
		.collect();
	let mut regrets = Regrets::new(rng.uniform(-3, -2));
	for j in 0..ni {
		regrets.inferer.insert(inferer(j), rng.uniform(-1, 1));
		regrets.naive_inferer.insert(inferer(j), rng.uniform(-1, 1));
		for o in 0..ni {
			regrets.one_out_inferer_inferer.insert((inferer(o), inferer(j)), rng.uniform(-1, 1));
		}
		for k in 0..nf {
			regrets
				.one_out_forecaster_inferer
				.insert((forecaster(k), inferer(j)), rng.uniform(-1, 1));
			regrets
				.one_in_forecaster_inferer
				.insert((forecaster(k), inferer(j)), rng.uniform(-1, 1));
		}
	}
	for k in 0..nf {
		regrets.forecaster.insert(forecaster(k), rng.uniform(-1, 1));
		regrets.one_in_forecaster_self.insert(forecaster(k), rng.uniform(-1, 1));
		for o in 0..ni {
			regrets
				.one_out_inferer_forecaster
				.insert((inferer(o), forecaster(k)), rng.uniform(-1, 1));
		}
		for o in 0..nf {
			regrets
				.one_out_forecaster_forecaster
				.insert((forecaster(o), forecaster(k)), rng.uniform(-1, 1));
		}
	}
	// A "true" loss per quantity, seen by each reputer with noise.
	let mut truth = ValueBundle::new(rng.uniform(-7, -6), rng.uniform(-7, -6));
	for j in 0..ni {
		truth.inferer.insert(inferer(j), rng.uniform(-7, -5));
		truth.one_out_inferer.insert(inferer(j), rng.uniform(-7, -6));
	}
	for k in 0..nf {
		truth.forecaster.insert(forecaster(k), rng.uniform(-7, -5));
		truth.one_out_forecaster.insert(forecaster(k), rng.uniform(-7, -6));
		truth.one_in_forecaster.insert(forecaster(k), rng.uniform(-7, -6));
		for j in 0..ni {
			truth
				.one_out_inferer_forecaster
				.insert((forecaster(k), inferer(j)), rng.uniform(-7, -5));
		}
	}
	let reputers = (0..nr)
		.map(|_| {
			let stake = rng.uniform(1_000, 1_000_000);
			let mut b = truth.clone();
			let noise = 50_000_000_000_000_000; // ±0.05
			let mut jitter = |x: &mut Fixed| *x = x.checked_add(rng.noise(noise)).unwrap_or(*x);
			jitter(&mut b.combined);
			jitter(&mut b.naive);
			b.inferer.values_mut().for_each(&mut jitter);
			b.forecaster.values_mut().for_each(&mut jitter);
			b.one_out_inferer.values_mut().for_each(&mut jitter);
			b.one_out_forecaster.values_mut().for_each(&mut jitter);
			b.one_in_forecaster.values_mut().for_each(&mut jitter);
			b.one_out_inferer_forecaster.values_mut().for_each(&mut jitter);
			(stake, b)
		})
		.collect();
	let coefficients =
		(0..nr).map(|m| if m % 3 == 0 { Fixed::ONE } else { rng.uniform(0, 1) }).collect();
	let history = (
		(0..10).map(|_| rng.uniform(-1, 1)).collect(),
		(0..10).map(|_| rng.uniform(-1, 1)).collect(),
	);
	Fixture { inferences, forecasts, regrets, reputers, coefficients, history }
}

/// Which one-out stage path 1 uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Synthesis {
	/// Forecast-implied values shared across left-out inferers that they do not name (the
	/// implementation the chain uses).
	Fast,
	/// Every forecast-implied value recomputed for every left-out inferer (the baseline).
	Baseline,
}

/// Path 1: the network inference bundle with every one-out and one-in variant.
pub fn network_inference(f: &Fixture, synthesis: Synthesis) -> NetworkInference<u32> {
	let input = SynthesisInput {
		inferences: &f.inferences,
		forecasts: &f.forecasts,
		latest_network_loss: Some(Fixed::from_int(-6)),
		regrets: &f.regrets,
		params: SynthesisParams::simulator(),
	};
	match synthesis {
		Synthesis::Fast => inference::network_inference(&input),
		Synthesis::Baseline => inference::network_inference_baseline(&input),
	}
	.expect("fixture synthesises")
}

/// Which reputer-consensus evaluator path 2 uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consensus {
	/// Gram matrices computed once (the implementation the chain uses).
	Fast,
	/// Consensus and distances rebuilt for every evaluation (the straightforward baseline).
	Baseline,
}

/// What closing a reputer nonce produces.
pub struct Closed {
	/// Network losses.
	pub losses: ValueBundle<u32>,
	/// Updated regrets.
	pub regrets: Regrets<u32>,
	/// Reputer scores and listening coefficients.
	pub reputers: ReputerOutcome,
	/// Inferer and forecaster reward fractions.
	pub fractions: (Vec<Fixed>, Vec<Fixed>, Vec<Fixed>),
}

/// Path 2: network losses, regret updates, reputer scores with the listening-coefficient
/// ascent, worker scores and reward fractions.
pub fn close_reputer_nonce(f: &Fixture, consensus: Consensus) -> Closed {
	let reports: Vec<(Fixed, &ValueBundle<u32>)> =
		f.reputers.iter().map(|(s, b)| (*s, b)).collect();
	let net = losses::network_losses(&reports).expect("losses");
	let updated =
		regrets::updated_regrets(&net, &f.regrets, RegretParams::simulator().alpha_regret)
			.expect("regrets");
	let bundles: Vec<&ValueBundle<u32>> = f.reputers.iter().map(|(_, b)| b).collect();
	let stakes: Vec<Fixed> = f.reputers.iter().map(|(s, _)| *s).collect();
	let vectors = losses::loss_vectors(&bundles);
	let params = ReputerParams::defaults();
	let outcome = match consensus {
		Consensus::Fast => consensus::reputer_scores(&vectors, &stakes, &f.coefficients, &params),
		Consensus::Baseline => {
			consensus::reputer_scores_baseline(&vectors, &stakes, &f.coefficients, &params)
		},
	}
	.expect("consensus");
	let rp = RewardParams::simulator();
	let inferer_scores: Vec<Fixed> =
		scores::inferer_scores(&net).expect("scores").scores.into_values().collect();
	let forecaster_scores: Vec<Fixed> =
		scores::forecaster_scores(&net).expect("scores").scores.into_values().collect();
	let mut iw = inferer_scores.clone();
	iw.extend(f.history.0.iter().copied());
	let mut fw = forecaster_scores.clone();
	fw.extend(f.history.1.iter().copied());
	let fi = fractions::worker_reward_fractions(
		&inferer_scores,
		&iw[..10.min(iw.len())],
		rp.p_reward_inference,
		rp.c_reward_inference,
		rp.epsilon,
	)
	.expect("fractions");
	let ff = fractions::worker_reward_fractions(
		&forecaster_scores,
		&fw[..10.min(fw.len())],
		rp.p_reward_forecast,
		rp.c_reward_forecast,
		rp.epsilon,
	)
	.expect("fractions");
	let fr = fractions::reputer_reward_fractions(&stakes, &outcome.scores, rp.p_reward_reputer)
		.expect("fractions");
	Closed { losses: net, regrets: updated, reputers: outcome, fractions: (fi, ff, fr) }
}

/// The largest relative difference between two equally long lists.
pub fn max_relative_difference(a: &[Fixed], b: &[Fixed]) -> Fixed {
	assert_eq!(a.len(), b.len());
	a.iter()
		.zip(b.iter())
		.map(|(x, y)| {
			let d = x.checked_sub(*y).map(Fixed::abs).unwrap_or(Fixed::MAX);
			d.checked_div(y.abs().max(Fixed::from_raw(1_000_000))).unwrap_or(Fixed::MAX)
		})
		.max()
		.unwrap_or(Fixed::ZERO)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The fast consensus path gives the baseline's scores, coefficients and adjusted stakes:
	/// equal to 1e-12 relative at every benchmarked shape (both are exact up to 18-digit
	/// rounding, in a different order of operations).
	#[test]
	fn fast_and_baseline_consensus_agree_at_every_shape() {
		for shape in SHAPES {
			let f = fixture(shape, 7);
			let fast = close_reputer_nonce(&f, Consensus::Fast);
			let slow = close_reputer_nonce(&f, Consensus::Baseline);
			let tol = Fixed::from_raw(1_000_000); // 1e-12
			for (a, b, what) in [
				(&fast.reputers.scores, &slow.reputers.scores, "scores"),
				(&fast.reputers.coefficients, &slow.reputers.coefficients, "coefficients"),
				(&fast.reputers.adjusted_stakes, &slow.reputers.adjusted_stakes, "adjusted stakes"),
				(&fast.fractions.2, &slow.fractions.2, "reputer fractions"),
			] {
				let d = max_relative_difference(a, b);
				assert!(d <= tol, "{shape:?} {what}: {d}");
			}
			// The ascent moved something: the comparison is not between two no-ops.
			assert_ne!(fast.reputers.coefficients, f.coefficients, "{shape:?}");
			assert_eq!(fast.reputers.scores.len(), shape.2);
		}
	}

	/// The fast one-out stage gives the baseline's whole bundle, weights and interval bit for
	/// bit at every benchmarked shape and on random rounds whose forecasts name few, many or
	/// all inferers, repeat them, name absent ones or have a single element.
	#[test]
	fn fast_and_baseline_synthesis_agree_exactly() {
		for shape in SHAPES {
			let f = fixture(shape, 11);
			let fast = network_inference(&f, Synthesis::Fast);
			assert_eq!(fast, network_inference(&f, Synthesis::Baseline), "{shape:?}");
			assert_eq!(fast.values.one_out_inferer_forecaster.len(), shape.0 * shape.1);
		}
		let mut rng = Lcg::new(5);
		let mut pick = |n: usize| (rng.uniform(0, 1).into_raw() as usize) % n;
		for seed in 0..40u64 {
			let ni = 2 + (seed as usize % 9);
			let nf = 1 + (seed as usize % 5);
			let mut f = fixture((16, nf, 2), seed);
			f.inferences.truncate(ni);
			for (k, forecast) in f.forecasts.iter_mut().enumerate() {
				// 1 to 16 elements over ids 0..ni+2 (two absent inferers), repeats allowed.
				let len = 1 + (seed as usize + k * 3) % 16;
				forecast.elements = forecast
					.elements
					.iter()
					.cycle()
					.take(len)
					.map(|(_, loss)| (pick(ni + 2) as u32, *loss))
					.collect();
			}
			let fast = network_inference(&f, Synthesis::Fast);
			assert_eq!(fast, network_inference(&f, Synthesis::Baseline), "seed {seed}");
			assert_eq!(fast.values.one_out_inferer.len(), ni, "seed {seed}");
		}
	}

	#[test]
	fn network_inference_has_every_variant() {
		let f = fixture((32, 6, 6), 3);
		let n = network_inference(&f, Synthesis::Fast);
		assert_eq!(n.values.one_out_inferer.len(), 32);
		assert_eq!(n.values.one_out_forecaster.len(), 6);
		assert_eq!(n.values.one_in_forecaster.len(), 6);
		assert_eq!(n.values.one_out_inferer_forecaster.len(), 32 * 6);
	}
}
