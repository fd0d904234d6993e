//! Bounded inputs (issue 12, findings 1 and 2): the synthesis and the settlement cannot fail on
//! any input the chain accepts (inferences within ±10^12, losses and forecasts within ±10^6,
//! parameters within their governance ranges), and the outlier clip bounds what one extreme
//! worker can do to the network inference.

use allora_synthesis::{
	consensus::reputer_scores,
	inference::{network_inference, Forecast, SynthesisInput, SynthesisMode},
	losses::{loss_vectors, network_losses, ValueBundle},
	regrets::{initial_regret, updated_regrets, Regrets},
	scores::{forecaster_scores, inferer_scores},
	stats::mad_clip,
	Fixed, RegretParams, ReputerParams, SynthesisParams, DEFAULT_OUTLIER_MADS,
};
use proptest::prelude::*;

/// 10^18: one unit in raw fixed point.
const ONE: i128 = 1_000_000_000_000_000_000;
/// The widest inference a topic may declare (pallet-topics `MAX_INFERENCE_MAGNITUDE`), raw.
const MAX_INFERENCE: i128 = 1_000_000_000_000 * ONE;
/// The widest loss a topic may declare (pallet-topics `MAX_LOSS_MAGNITUDE`), raw.
const MAX_LOSS: i128 = 1_000_000 * ONE;

fn fx(s: &str) -> Fixed {
	s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

/// A value in ±`bound`, often exactly at a bound or at zero.
fn bounded(bound: i128) -> impl Strategy<Value = Fixed> {
	prop_oneof![
		3 => (-bound..=bound).prop_map(Fixed::from_raw),
		1 => Just(Fixed::from_raw(bound)),
		1 => Just(Fixed::from_raw(-bound)),
		1 => Just(Fixed::ZERO),
	]
}

/// Synthesis parameters anywhere in their governance ranges (p ∈ [2.5, 4.5], c ∈ (0, 10],
/// ε ∈ [10^-9, 10^3], ε_div ∈ [10^-9, 10^-4], k ∈ [1, 1000]).
fn params() -> impl Strategy<Value = SynthesisParams> {
	(
		prop_oneof![Just(fx("2.5")), Just(fx("4.5")), Just(fx("3"))],
		prop_oneof![Just(fx("0.000000000000000001")), Just(fx("10")), Just(fx("0.75"))],
		prop_oneof![Just(fx("0.000000001")), Just(fx("1000")), Just(fx("0.01"))],
		prop_oneof![Just(fx("0.000000001")), Just(fx("0.0001")), Just(fx("0.0000001"))],
		prop_oneof![Just(Fixed::ONE), Just(fx("1000")), Just(DEFAULT_OUTLIER_MADS)],
	)
		.prop_map(|(p_norm, c_norm, epsilon, epsilon_safe_div, outlier_mads)| SynthesisParams {
			p_norm,
			c_norm,
			epsilon,
			epsilon_safe_div,
			outlier_mads,
		})
}

/// A round: up to 16 inferers (ids 0..), up to 4 forecasters (ids 100..) naming any of them.
#[derive(Debug, Clone)]
struct RoundInput {
	inferences: Vec<(u8, Fixed)>,
	forecasts: Vec<Forecast<u8>>,
	latest_network_loss: Option<Fixed>,
	regrets: Regrets<u8>,
	params: SynthesisParams,
}

fn round() -> impl Strategy<Value = RoundInput> {
	(1usize..=16, 0usize..=4)
		.prop_flat_map(|(n, f)| {
			(
				proptest::collection::vec(bounded(MAX_INFERENCE), n),
				proptest::collection::vec(
					proptest::collection::vec((0..n as u8, bounded(MAX_LOSS)), 1..=6),
					f,
				),
				proptest::option::of(bounded(MAX_LOSS)),
				// Regrets: differences of bounded losses and EMAs of them, and an initial
				// regret up to 100 times that (or exactly 0: the all-new mode).
				proptest::collection::vec(bounded(2 * MAX_LOSS), n + f),
				prop_oneof![Just(Fixed::ZERO), bounded(200 * MAX_LOSS)],
				params(),
			)
		})
		.prop_map(|(values, forecasts, latest_network_loss, regret_values, initial, params)| {
			let inferences: Vec<(u8, Fixed)> =
				values.into_iter().enumerate().map(|(j, v)| (j as u8, v)).collect();
			let forecasts: Vec<Forecast<u8>> = forecasts
				.into_iter()
				.enumerate()
				.map(|(k, elements)| Forecast { forecaster: 100 + k as u8, elements })
				.collect();
			let mut regrets = Regrets::new(initial);
			for (i, r) in regret_values.into_iter().enumerate() {
				if i < inferences.len() {
					regrets.inferer.insert(i as u8, r);
					regrets.naive_inferer.insert(i as u8, r);
				} else {
					regrets.forecaster.insert(100 + (i - inferences.len()) as u8, r);
				}
			}
			RoundInput { inferences, forecasts, latest_network_loss, regrets, params }
		})
}

fn input(r: &RoundInput) -> SynthesisInput<'_, u8> {
	SynthesisInput {
		inferences: &r.inferences,
		forecasts: &r.forecasts,
		latest_network_loss: r.latest_network_loss,
		regrets: &r.regrets,
		params: r.params,
	}
}

/// Every value the network computed (not the submitted inferences it reports).
fn computed_values(b: &ValueBundle<u8>, mode: SynthesisMode) -> Vec<Fixed> {
	let mut v = vec![b.combined];
	if mode != SynthesisMode::NoNetworkLoss {
		v.push(b.naive);
	}
	v.extend(b.forecaster.values());
	v.extend(b.one_out_inferer.values());
	v.extend(b.one_out_forecaster.values());
	v.extend(b.one_in_forecaster.values());
	v.extend(b.one_out_inferer_forecaster.values());
	v
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(600))]

	/// Finding 1: no accepted round leaves the network inference stale.
	#[test]
	fn the_synthesis_never_fails_on_accepted_input(r in round()) {
		let out = network_inference(&input(&r));
		prop_assert!(out.is_ok(), "{:?} on {:?}", out.err(), r);
	}

	/// The documented bound: with the other inferers' submissions H (at least two), every value
	/// the network computes lies in [min H − k·range H, max H + k·range H], wherever one
	/// attacker puts its inference within the accepted range.
	#[test]
	fn one_extreme_inferer_moves_the_network_inference_at_most_k_spreads(
		mut r in round(),
		honest in proptest::collection::vec(-10 * ONE..=10 * ONE, 2..=12),
		attack in bounded(MAX_INFERENCE),
	) {
		r.forecasts.retain(|f| !f.elements.is_empty());
		let base = 100 * ONE;
		r.inferences = honest.iter().enumerate().map(|(j, v)| (j as u8, Fixed::from_raw(base + v))).collect();
		let attacker = r.inferences.len() as u8;
		r.inferences.push((attacker, attack));
		for f in &mut r.forecasts {
			for e in &mut f.elements {
				e.0 %= attacker + 1;
			}
		}
		let h: Vec<Fixed> = honest.iter().map(|v| Fixed::from_raw(base + v)).collect();
		let (lo, hi) = (*h.iter().min().unwrap(), *h.iter().max().unwrap());
		let spread = r.params.outlier_mads.checked_mul(hi.checked_sub(lo).unwrap()).unwrap();
		// One unit of rounding per operation, generously.
		let slack = Fixed::from_raw(1_000_000);
		let (lo, hi) = (lo.checked_sub(spread).unwrap().checked_sub(slack).unwrap(),
			hi.checked_add(spread).unwrap().checked_add(slack).unwrap());
		let out = network_inference(&input(&r)).unwrap();
		for v in computed_values(&out.values, out.mode) {
			prop_assert!(lo <= v && v <= hi, "{} outside [{}, {}] ({:?})", v, lo, hi, out.mode);
		}
		// The attacker's own submission is reported as it was sent, for the reputers to judge.
		prop_assert_eq!(out.values.inferer[&attacker], attack);
	}

	/// Finding 2: a settlement of accepted bundles cannot fail: network losses, regrets, the
	/// initial regret, worker scores and reputer consensus, with losses at the bounds and any
	/// stake from one base unit to the whole supply.
	#[test]
	fn the_settlement_never_fails_on_accepted_losses(
		reports in proptest::collection::vec(
			(
				prop_oneof![Just(Fixed::EPSILON), Just(Fixed::from_raw(1_000_000_000 * ONE)), (1..=1_000_000_000 * ONE).prop_map(Fixed::from_raw)],
				proptest::collection::vec(proptest::option::of(bounded(MAX_LOSS)), 6 + 3 + 6 + 3 + 3 + 18),
				bounded(MAX_LOSS),
				bounded(MAX_LOSS),
				// Listening coefficients anywhere in [0, 1], all zero included.
				prop_oneof![Just(Fixed::ZERO), Just(Fixed::ONE), (0..=ONE).prop_map(Fixed::from_raw)],
			),
			1..=6,
		),
		previous in bounded(200 * MAX_LOSS),
	) {
		let bundles: Vec<ValueBundle<u8>> = reports.iter().map(|(_, entries, combined, naive, _)| {
			let mut b = ValueBundle::new(*combined, *naive);
			let mut it = entries.iter();
			for j in 0..6u8 { if let Some(Some(x)) = it.next() { b.inferer.insert(j, *x); } }
			for k in 100..103u8 { if let Some(Some(x)) = it.next() { b.forecaster.insert(k, *x); } }
			for j in 0..6u8 { if let Some(Some(x)) = it.next() { b.one_out_inferer.insert(j, *x); } }
			for k in 100..103u8 { if let Some(Some(x)) = it.next() { b.one_out_forecaster.insert(k, *x); } }
			for k in 100..103u8 { if let Some(Some(x)) = it.next() { b.one_in_forecaster.insert(k, *x); } }
			for k in 100..103u8 { for j in 0..6u8 {
				if let Some(Some(x)) = it.next() { b.one_out_inferer_forecaster.insert((k, j), *x); }
			} }
			b
		}).collect();
		let stakes: Vec<Fixed> = reports.iter().map(|(s, ..)| *s).collect();
		let pairs: Vec<(Fixed, &ValueBundle<u8>)> = stakes.iter().copied().zip(bundles.iter()).collect();
		let losses = network_losses(&pairs).unwrap();
		let mut prior = Regrets::new(previous);
		prior.inferer.insert(0, previous);
		let updated = updated_regrets(&losses, &prior, fx("0.1")).unwrap();
		let experienced: Vec<Fixed> = updated.inferer.values().chain(updated.forecaster.values()).copied().collect();
		if !experienced.is_empty() {
			let mut p = RegretParams::simulator();
			p.c_norm = fx("10");
			p.p_norm = fx("2.5");
			p.p_norm_safe_div = fx("100");
			p.epsilon = fx("1000");
			initial_regret(&experienced, &p).unwrap();
		}
		inferer_scores(&losses).unwrap();
		forecaster_scores(&losses).unwrap();
		let refs: Vec<&ValueBundle<u8>> = bundles.iter().collect();
		let vectors = loss_vectors(&refs);
		let coefficients: Vec<Fixed> = reports.iter().map(|r| r.4).collect();
		let mut rp = ReputerParams::defaults();
		rp.max_iterations = 20;
		let outcome = reputer_scores(&vectors, &stakes, &coefficients, &rp);
		prop_assert!(outcome.is_ok(), "{:?}", outcome.err());
	}
}

/// Reports that nearly cancel (two equal stakes at +10^6 and −10^6 + 4·10^-18 in every
/// coordinate) have a consensus norm of a few base units: on the old code distance/‖c‖ overflowed
/// and the round was dropped; now the norm counts as ε_div and both reputers score alike.
#[test]
fn nearly_cancelling_reports_still_score() {
	let high = Fixed::from_raw(MAX_LOSS);
	let low = Fixed::from_raw(-MAX_LOSS + 4);
	let vectors = vec![vec![Some(high); 4], vec![Some(low); 4]];
	let stakes = [Fixed::ONE, Fixed::ONE];
	for epsilon_safe_div in [fx("0.000000001"), fx("0.0000001"), fx("0.0001")] {
		let mut rp = ReputerParams::defaults();
		rp.epsilon_safe_div = epsilon_safe_div;
		let outcome = reputer_scores(&vectors, &stakes, &[Fixed::ONE, Fixed::ONE], &rp)
			.unwrap_or_else(|e| panic!("ε_div {epsilon_safe_div}: {e:?}"));
		let [a, b] = outcome.scores[..] else { panic!("two scores") };
		assert!(a.is_positive() && b.is_positive(), "{a} {b}");
		assert!((a.into_raw() - b.into_raw()).abs() <= a.into_raw() / 1_000_000, "{a} {b}");
	}
}

/// The attack of finding 1 on the old code (no clip, no bound): one new account sending 10^15
/// in the all-new (plain-mean) mode moves the combined value by ~2·10^14. With the clip, the
/// same account at the widest accepted value moves it by less than one honest spread.
#[test]
fn one_account_no_longer_moves_the_plain_mean() {
	let honest = [fx("100"), fx("101"), fx("99.5"), fx("100.4")];
	let mut inferences: Vec<(u8, Fixed)> =
		honest.iter().enumerate().map(|(j, v)| (j as u8, *v)).collect();
	let regrets = Regrets::new(Fixed::ZERO);
	let mut params = SynthesisParams::simulator();
	let run = |inferences: &[(u8, Fixed)], params: SynthesisParams| {
		network_inference(&SynthesisInput {
			inferences,
			forecasts: &[],
			latest_network_loss: Some(fx("-2")),
			regrets: &regrets,
			params,
		})
		.unwrap()
	};
	let clean = run(&inferences, params);
	assert_eq!(clean.mode, SynthesisMode::AllNew);
	assert_eq!(clean.values.combined, fx("100.225"));

	inferences.push((9, fx("1000000000000000")));
	params.outlier_mads = fx("1000000000000000000"); // no clip: the old behaviour
	let attacked = run(&inferences, params);
	assert!(attacked.values.combined > fx("199999999999999"), "{}", attacked.values.combined);

	inferences.pop();
	inferences.push((9, Fixed::from_raw(MAX_INFERENCE)));
	let clipped = run(&inferences, SynthesisParams::simulator());
	// Median 100.4, MAD 0.6: the attacker counts as 100.4 + 12·0.6 = 107.6.
	assert_eq!(clipped.values.combined, fx("101.7"));
	assert_eq!(clipped.values.inferer[&9], Fixed::from_raw(MAX_INFERENCE));
}

#[test]
fn the_clip_leaves_values_within_k_mads_alone() {
	let v = [fx("1"), fx("2"), fx("3"), fx("4"), fx("100")];
	// Median 3, MAD 1: the band at k = 12 is [-9, 15].
	assert_eq!(
		mad_clip(&v, DEFAULT_OUTLIER_MADS),
		Ok(vec![fx("1"), fx("2"), fx("3"), fx("4"), fx("15")])
	);
	let two = [fx("1"), fx("1000")];
	assert_eq!(mad_clip(&two, Fixed::ONE), Ok(two.to_vec()));
	// Even count: both middle values stay at k = 1.
	let four = [fx("1"), fx("2"), fx("4"), fx("50")];
	assert_eq!(mad_clip(&four, Fixed::ONE), Ok(vec![fx("1.5"), fx("2"), fx("4"), fx("4.5")]));
}
