//! The network inference of a round (spec 4.4-4.8): forecast-implied inferences, the combined
//! (regret-weighted) inference, the naive, one-out and one-in variants, the weights and the
//! confidence interval, with the special modes of 4.7.

use crate::{
	losses::ValueBundle,
	regrets::Regrets,
	stats::{confidence_percentiles, mad_clip, mean, median, weighted_percentiles},
	weights::regret_weights,
	Error, Result, SynthesisParams,
};
use alloc::{collections::BTreeMap, vec::Vec};
use allora_math::{DotAccumulator, Fixed};

/// A worker's forecast: the loss it predicts for each named inferer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forecast<A> {
	/// The forecaster.
	pub forecaster: A,
	/// (inferer, forecasted loss) elements.
	pub elements: Vec<(A, Fixed)>,
}

/// Everything the synthesis of one nonce reads (spec 4.2).
#[derive(Clone, Copy, Debug)]
pub struct SynthesisInput<'a, A: Ord> {
	/// (inferer, inference) of the round; a repeated inferer keeps its first value.
	pub inferences: &'a [(A, Fixed)],
	/// Forecasts of the round; a repeated forecaster keeps its first forecast.
	pub forecasts: &'a [Forecast<A>],
	/// ℓ*: the combined value of the topic's latest network-loss bundle, if any.
	pub latest_network_loss: Option<Fixed>,
	/// The topic's stored regrets and initial regret.
	pub regrets: &'a Regrets<A>,
	/// p, c, ε, ε_div.
	pub params: SynthesisParams,
}

/// Which path of spec 4.7 produced the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynthesisMode {
	/// Exactly one inference: combined = naive = that value.
	SingleInference,
	/// No network loss yet: combined = median of the inferences, naive = 0.
	NoNetworkLoss,
	/// The topic initial regret is 0: plain means, forecasts unweighted.
	AllNew,
	/// The regret-weighted path (4.4-4.6).
	Regret,
}

/// The network inference of a round with its variants, weights and confidence interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkInference<A: Ord> {
	/// The path that produced the values.
	pub mode: SynthesisMode,
	/// combined, naive, inferer, forecast-implied, one-out, one-in and one-out-inferer
	/// forecast-implied values: the bundle reputers report losses for.
	pub values: ValueBundle<A>,
	/// The weight of each inferer in the combined value.
	pub inferer_weights: BTreeMap<A, Fixed>,
	/// The weight of each forecaster's forecast-implied value in the combined value.
	pub forecaster_weights: BTreeMap<A, Fixed>,
	/// The weighted 2.28/15.87/50/84.13/97.72 percentiles of the values (regret mode only).
	pub confidence_interval: Vec<Fixed>,
}

/// Σ w·v / max(Σ w, ε_div) over pairs with w ≠ 0 (spec 4.5).
fn combine(pairs: &[(Fixed, Fixed)], epsilon_safe_div: Fixed) -> Result<Fixed> {
	let mut num = DotAccumulator::new();
	let mut den = Fixed::ZERO;
	for (value, weight) in pairs {
		if weight.is_zero() {
			continue;
		}
		num.add_product(*value, *weight);
		den = den.checked_add(*weight)?;
	}
	Ok(num.total()?.checked_div(den.max(epsilon_safe_div))?)
}

/// The round's inputs, deduplicated and filtered (spec 4.2).
struct Round<'a, A: Ord> {
	/// The inferences as submitted: what the bundle reports and reputers judge.
	submitted: BTreeMap<A, Fixed>,
	/// The inferences after the outlier clip (`stats::mad_clip`): what every combined,
	/// forecast-implied, naive, one-out and one-in value is computed from.
	inferences: BTreeMap<A, Fixed>,
	/// Usable forecast elements (inferer in the round, first of duplicates), per forecaster.
	forecasts: BTreeMap<A, Vec<(A, Fixed)>>,
	input: &'a SynthesisInput<'a, A>,
}

impl<'a, A: Ord + Clone> Round<'a, A> {
	fn new(input: &'a SynthesisInput<'a, A>) -> Result<Self> {
		let mut submitted = BTreeMap::new();
		for (j, v) in input.inferences {
			submitted.entry(j.clone()).or_insert(*v);
		}
		let raw: Vec<Fixed> = submitted.values().copied().collect();
		let clipped = mad_clip(&raw, input.params.outlier_mads)?;
		let inferences: BTreeMap<A, Fixed> = submitted.keys().cloned().zip(clipped).collect();
		let mut forecasts = BTreeMap::new();
		for f in input.forecasts {
			if forecasts.contains_key(&f.forecaster) {
				continue;
			}
			let mut seen = BTreeMap::new();
			let usable: Vec<(A, Fixed)> = f
				.elements
				.iter()
				.filter(|(j, _)| inferences.contains_key(j))
				.filter(|(j, _)| seen.insert(j.clone(), ()).is_none())
				.cloned()
				.collect();
			forecasts.insert(f.forecaster.clone(), usable);
		}
		Ok(Round { submitted, inferences, forecasts, input })
	}

	fn inference(&self, j: &A) -> Result<Fixed> {
		self.inferences.get(j).copied().ok_or(Error::MissingValue)
	}

	/// I_k from usable elements (spec 4.4), optionally without inferer `withheld` (4.6). A
	/// forecast with a single usable element keeps weight 1 on it, even when that element is
	/// the withheld inferer (quirk g, kept as the reference does). `None` when Σ w = 0.
	fn forecast_implied(
		&self,
		elements: &[(A, Fixed)],
		withheld: Option<&A>,
		l_star: Fixed,
	) -> Result<Option<Fixed>> {
		let params = &self.input.params;
		match elements {
			[] => return Ok(None),
			[(j, _)] => return Ok(Some(self.inference(j)?)),
			_ => {},
		}
		let kept: Vec<&(A, Fixed)> = elements.iter().filter(|(j, _)| Some(j) != withheld).collect();
		let regrets = kept
			.iter()
			.map(|(_, loss)| l_star.checked_sub(*loss))
			.collect::<core::result::Result<Vec<_>, _>>()?;
		let (weights, _) =
			regret_weights(&regrets, &[], params.p_norm, params.c_norm, params.epsilon)?;
		let mut num = DotAccumulator::new();
		let mut den = Fixed::ZERO;
		for ((j, _), w) in kept.iter().zip(weights.iter()) {
			if w.is_zero() {
				continue;
			}
			num.add_product(self.inference(j)?, *w);
			den = den.checked_add(*w)?;
		}
		if den.is_zero() {
			return Ok(None);
		}
		Ok(Some(num.total()?.checked_div(den)?))
	}

	/// Forecast-implied inferences of every forecaster that has one.
	fn all_forecast_implied(
		&self,
		withheld: Option<&A>,
		l_star: Fixed,
	) -> Result<BTreeMap<A, Fixed>> {
		let mut out = BTreeMap::new();
		for (k, elements) in &self.forecasts {
			if let Some(v) = self.forecast_implied(elements, withheld, l_star)? {
				out.insert(k.clone(), v);
			}
		}
		Ok(out)
	}

	/// The forecast-implied values without inferer `withheld`, from those with every inferer
	/// (`all`): a forecast changes only when it names `withheld` among two or more usable
	/// elements (a single element is kept, quirk g), so only those are recomputed.
	fn forecast_implied_without(
		&self,
		withheld: &A,
		all: &BTreeMap<A, Fixed>,
		l_star: Fixed,
	) -> Result<BTreeMap<A, Fixed>> {
		let mut out = BTreeMap::new();
		for (k, elements) in &self.forecasts {
			let affected = elements.len() > 1 && elements.iter().any(|(j, _)| j == withheld);
			let value = if affected {
				self.forecast_implied(elements, Some(withheld), l_star)?
			} else {
				all.get(k).copied()
			};
			if let Some(v) = value {
				out.insert(k.clone(), v);
			}
		}
		Ok(out)
	}

	/// Combines inferers and forecasters by the weights of the given regrets (one σ, one r_max).
	fn weighted(
		&self,
		inferers: &[(Fixed, Fixed)],
		forecasters: &[(Fixed, Fixed)],
	) -> Result<(Fixed, Vec<Fixed>, Vec<Fixed>)> {
		let params = &self.input.params;
		let ri: Vec<Fixed> = inferers.iter().map(|(_, r)| *r).collect();
		let rf: Vec<Fixed> = forecasters.iter().map(|(_, r)| *r).collect();
		let (wi, wf) = regret_weights(&ri, &rf, params.p_norm, params.c_norm, params.epsilon)?;
		let pairs: Vec<(Fixed, Fixed)> = inferers
			.iter()
			.map(|(v, _)| *v)
			.zip(wi.iter().copied())
			.chain(forecasters.iter().map(|(v, _)| *v).zip(wf.iter().copied()))
			.collect();
		Ok((combine(&pairs, params.epsilon_safe_div)?, wi, wf))
	}
}

/// How the one-out-inferer stage gets the forecast-implied values without inferer j′ (4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OneOutForecasts {
	/// Recompute only the forecasts that name j′ among two or more usable elements; every
	/// other forecast's I_k is unchanged by withholding j′ and is shared (bit-identical).
	Shared,
	/// Recompute every forecast for every j′ (O(I·F·E) weights): the benchmark baseline.
	Recomputed,
}

/// Computes the network inference of a round (spec 4.4-4.8).
pub fn network_inference<A: Ord + Clone>(
	input: &SynthesisInput<'_, A>,
) -> Result<NetworkInference<A>> {
	synthesize(input, OneOutForecasts::Shared)
}

/// The same with the straightforward one-out stage (every forecast-implied value recomputed
/// for every left-out inferer): the benchmark baseline and the reference of the fast path.
pub fn network_inference_baseline<A: Ord + Clone>(
	input: &SynthesisInput<'_, A>,
) -> Result<NetworkInference<A>> {
	synthesize(input, OneOutForecasts::Recomputed)
}

/// Both entry points: the special modes of 4.7, else the regret-weighted path.
fn synthesize<A: Ord + Clone>(
	input: &SynthesisInput<'_, A>,
	one_out: OneOutForecasts,
) -> Result<NetworkInference<A>> {
	let round = Round::new(input)?;
	let values: Vec<Fixed> = round.inferences.values().copied().collect();
	let first = *values.first().ok_or(Error::NoInferences)?;

	let empty = |mode, combined, naive| {
		let mut bundle = ValueBundle::new(combined, naive);
		bundle.inferer = round.submitted.clone();
		NetworkInference {
			mode,
			values: bundle,
			inferer_weights: BTreeMap::new(),
			forecaster_weights: BTreeMap::new(),
			confidence_interval: Vec::new(),
		}
	};
	if values.len() == 1 {
		return Ok(empty(SynthesisMode::SingleInference, first, first));
	}
	let Some(l_star) = input.latest_network_loss else {
		return Ok(empty(SynthesisMode::NoNetworkLoss, median(&values)?, Fixed::ZERO));
	};
	if input.regrets.initial.is_zero() {
		return all_new(&round);
	}
	regret_weighted(&round, l_star, one_out)
}

/// Mode 4 of spec 4.7: every inferer is new. I_k is the median of the inferences k names;
/// every combined value is the plain mean of its inferers.
fn all_new<A: Ord + Clone>(round: &Round<'_, A>) -> Result<NetworkInference<A>> {
	let all: Vec<Fixed> = round.inferences.values().copied().collect();
	let avg = mean(&all)?;
	let mut bundle = ValueBundle::new(avg, avg);
	bundle.inferer = round.submitted.clone();
	for (k, elements) in &round.forecasts {
		let named = elements.iter().map(|(j, _)| round.inference(j)).collect::<Result<Vec<_>>>()?;
		if !named.is_empty() {
			bundle.forecaster.insert(k.clone(), median(&named)?);
		}
	}
	for jo in round.inferences.keys() {
		let rest: Vec<Fixed> =
			round.inferences.iter().filter(|(j, _)| *j != jo).map(|(_, v)| *v).collect();
		bundle.one_out_inferer.insert(jo.clone(), mean(&rest)?);
		// The withheld inferer is not excluded from the median (spec 4.7).
		for (k, v) in &bundle.forecaster {
			bundle.one_out_inferer_forecaster.insert((k.clone(), jo.clone()), *v);
		}
	}
	if bundle.forecaster.len() > 1 {
		for k in bundle.forecaster.keys() {
			bundle.one_out_forecaster.insert(k.clone(), avg);
			bundle.one_in_forecaster.insert(k.clone(), avg);
		}
	}
	let inferer_weights = round.inferences.keys().map(|j| (j.clone(), Fixed::ONE)).collect();
	let forecaster_weights = bundle.forecaster.keys().map(|k| (k.clone(), Fixed::ZERO)).collect();
	// The error bars (4.8) keep the regret weights of 4.5 although the combined value is the
	// plain mean: stored regrets, else the topic initial regret (spec README decision 11).
	let params = &round.input.params;
	let regrets = round.input.regrets;
	let ri: Vec<Fixed> =
		round.inferences.keys().map(|j| regrets.get(&regrets.inferer, j)).collect();
	let rf: Vec<Fixed> =
		bundle.forecaster.keys().map(|k| regrets.get(&regrets.forecaster, k)).collect();
	let (wi, wf) = regret_weights(&ri, &rf, params.p_norm, params.c_norm, params.epsilon)?;
	let ci_values: Vec<Fixed> = all.iter().chain(bundle.forecaster.values()).copied().collect();
	let ci_weights: Vec<Fixed> = wi.into_iter().chain(wf).collect();
	let confidence_interval =
		weighted_percentiles(&ci_values, &ci_weights, &confidence_percentiles())?;
	Ok(NetworkInference {
		mode: SynthesisMode::AllNew,
		values: bundle,
		inferer_weights,
		forecaster_weights,
		confidence_interval,
	})
}

/// The regret-weighted path (spec 4.4-4.6, 4.8).
fn regret_weighted<A: Ord + Clone>(
	round: &Round<'_, A>,
	l_star: Fixed,
	one_out: OneOutForecasts,
) -> Result<NetworkInference<A>> {
	let regrets = round.input.regrets;
	let inferers: Vec<(&A, Fixed)> = round.inferences.iter().map(|(j, v)| (j, *v)).collect();
	let fii = round.all_forecast_implied(None, l_star)?;

	let mut bundle = ValueBundle::new(Fixed::ZERO, Fixed::ZERO);
	bundle.inferer = round.submitted.clone();
	bundle.forecaster = fii.clone();

	// Combined (4.5): one σ and one r_max over inferers and forecasters.
	let inf_pairs: Vec<(Fixed, Fixed)> =
		inferers.iter().map(|(j, v)| (*v, regrets.get(&regrets.inferer, *j))).collect();
	let fc_pairs: Vec<(Fixed, Fixed)> =
		fii.iter().map(|(k, v)| (*v, regrets.get(&regrets.forecaster, k))).collect();
	let (combined, wi, wf) = round.weighted(&inf_pairs, &fc_pairs)?;
	bundle.combined = combined;
	let inferer_weights: BTreeMap<A, Fixed> =
		inferers.iter().map(|(j, _)| (*j).clone()).zip(wi.iter().copied()).collect();
	let forecaster_weights: BTreeMap<A, Fixed> =
		fii.keys().cloned().zip(wf.iter().copied()).collect();

	// Confidence interval (4.8) over the same values and weights.
	let ci_values: Vec<Fixed> = inf_pairs.iter().chain(fc_pairs.iter()).map(|(v, _)| *v).collect();
	let ci_weights: Vec<Fixed> = wi.iter().chain(wf.iter()).copied().collect();
	let confidence_interval =
		weighted_percentiles(&ci_values, &ci_weights, &confidence_percentiles())?;

	// Naive (4.6): inferers only, naive regrets.
	let naive_pairs: Vec<(Fixed, Fixed)> =
		inferers.iter().map(|(j, v)| (*v, regrets.get(&regrets.naive_inferer, *j))).collect();
	bundle.naive = round.weighted(&naive_pairs, &[])?.0;

	// One-out inferer: forecast-implied values recomputed without j′.
	for (jo, _) in &inferers {
		let fo = match one_out {
			OneOutForecasts::Shared => round.forecast_implied_without(*jo, &fii, l_star)?,
			OneOutForecasts::Recomputed => round.all_forecast_implied(Some(*jo), l_star)?,
		};
		let key = |a: &A| ((*jo).clone(), a.clone());
		let rest: Vec<(Fixed, Fixed)> = inferers
			.iter()
			.filter(|(j, _)| j != jo)
			.map(|(j, v)| (*v, regrets.get(&regrets.one_out_inferer_inferer, &key(j))))
			.collect();
		let fcs: Vec<(Fixed, Fixed)> = fo
			.iter()
			.map(|(k, v)| (*v, regrets.get(&regrets.one_out_inferer_forecaster, &key(k))))
			.collect();
		bundle.one_out_inferer.insert((*jo).clone(), round.weighted(&rest, &fcs)?.0);
		for (k, v) in fo {
			bundle.one_out_inferer_forecaster.insert((k, (*jo).clone()), v);
		}
	}

	if fii.len() > 1 {
		// One-out forecaster: all inferers and the other forecasters' unchanged I_k.
		for ko in fii.keys() {
			let key = |a: &A| (ko.clone(), a.clone());
			let infs: Vec<(Fixed, Fixed)> = inferers
				.iter()
				.map(|(j, v)| (*v, regrets.get(&regrets.one_out_forecaster_inferer, &key(j))))
				.collect();
			let fcs: Vec<(Fixed, Fixed)> = fii
				.iter()
				.filter(|(k, _)| *k != ko)
				.map(|(k, v)| (*v, regrets.get(&regrets.one_out_forecaster_forecaster, &key(k))))
				.collect();
			bundle.one_out_forecaster.insert(ko.clone(), round.weighted(&infs, &fcs)?.0);
		}
		// One-in forecaster: all inferers plus I_k alone.
		for (k, v) in &fii {
			let infs: Vec<(Fixed, Fixed)> = inferers
				.iter()
				.map(|(j, iv)| {
					(
						*iv,
						regrets.get(&regrets.one_in_forecaster_inferer, &(k.clone(), (*j).clone())),
					)
				})
				.collect();
			let own = [(*v, regrets.get(&regrets.one_in_forecaster_self, k))];
			bundle.one_in_forecaster.insert(k.clone(), round.weighted(&infs, &own)?.0);
		}
	}

	Ok(NetworkInference {
		mode: SynthesisMode::Regret,
		values: bundle,
		inferer_weights,
		forecaster_weights,
		confidence_interval,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::{close, fx};

	fn synthesis_input<'a>(
		inferences: &'a [(u8, Fixed)],
		forecasts: &'a [Forecast<u8>],
		latest_network_loss: Option<Fixed>,
		regrets: &'a Regrets<u8>,
		params: SynthesisParams,
	) -> SynthesisInput<'a, u8> {
		SynthesisInput { inferences, forecasts, latest_network_loss, regrets, params }
	}

	fn params(p: &str, eps: &str) -> SynthesisParams {
		SynthesisParams {
			p_norm: fx(p),
			c_norm: fx("0.75"),
			epsilon: fx(eps),
			epsilon_safe_div: fx("0.0000001"),
			outlier_mads: crate::params::DEFAULT_OUTLIER_MADS,
		}
	}

	/// Spec 4.4 small cases (Go forecast-implied tests).
	#[test]
	fn forecast_implied_inference_matches_the_reference_small_cases() {
		let regrets = Regrets::new(fx("-1"));
		let inferences = [(0u8, fx("1")), (1, fx("2"))];
		let forecasts = [Forecast { forecaster: 9u8, elements: vec![(0, fx("3")), (1, fx("4"))] }];
		let input = synthesis_input(
			&inferences,
			&forecasts,
			Some(fx("0.5")),
			&regrets,
			params("2", "0.0001"),
		);
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert!(
			close(out.values.forecaster[&9], "1.055841253742177320", "0.00000000001"),
			"{}",
			out.values.forecaster[&9]
		);

		let inferences = [(0u8, fx("1")), (1, fx("2")), (2, fx("3"))];
		let forecasts = [
			Forecast { forecaster: 8u8, elements: vec![(0, fx("1")), (1, fx("2")), (2, fx("3"))] },
			Forecast { forecaster: 9u8, elements: vec![(0, fx("4")), (1, fx("5")), (2, fx("6"))] },
		];
		let input = synthesis_input(
			&inferences,
			&forecasts,
			Some(fx("0.5")),
			&regrets,
			params("2", "0.0001"),
		);
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert!(
			close(out.values.forecaster[&8], "1.158380376510523897", "0.00000000001"),
			"{}",
			out.values.forecaster[&8]
		);
		assert!(
			close(out.values.forecaster[&9], "1.149124717287201046", "0.00000000001"),
			"{}",
			out.values.forecaster[&9]
		);
	}

	#[test]
	fn special_modes_of_spec_4_7() {
		let regrets = Regrets::new(fx("-1"));
		let p = params("3", "0.01");
		let none: [(u8, Fixed); 0] = [];
		let input = synthesis_input(&none, &[], Some(fx("1")), &regrets, p);
		assert_eq!(network_inference(&input).map(|n| n.mode), Err(Error::NoInferences));

		let one = [(1u8, fx("7"))];
		let input = synthesis_input(&one, &[], Some(fx("1")), &regrets, p);
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(
			(out.mode, out.values.combined, out.values.naive),
			(SynthesisMode::SingleInference, fx("7"), fx("7"))
		);

		let four = [(1u8, fx("4")), (2, fx("1")), (3, fx("3")), (4, fx("2"))];
		let input = synthesis_input(&four, &[], None, &regrets, p);
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(
			(out.mode, out.values.combined, out.values.naive),
			(SynthesisMode::NoNetworkLoss, fx("2.5"), Fixed::ZERO)
		);

		let new_topic = Regrets::new(Fixed::ZERO);
		let forecasts = [
			Forecast {
				forecaster: 8u8,
				elements: vec![(1, fx("0.1")), (2, fx("0.2")), (3, fx("0.3"))],
			},
			Forecast { forecaster: 9u8, elements: vec![(4, fx("0.1"))] },
		];
		let input = synthesis_input(&four, &forecasts, Some(fx("1")), &new_topic, p);
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(out.mode, SynthesisMode::AllNew);
		assert_eq!(out.values.combined, fx("2.5"));
		assert_eq!(out.values.forecaster[&8], fx("3")); // median of 4, 1, 3
		assert_eq!(out.values.forecaster[&9], fx("2"));
		assert_eq!(out.values.one_out_inferer[&1], fx("2")); // mean of 1, 3, 2
		assert_eq!(out.values.one_out_inferer_forecaster[&(8, 1)], fx("3"));
		assert_eq!(out.values.one_in_forecaster[&9], fx("2.5"));
	}

	#[test]
	fn forecasts_about_absent_inferers_are_ignored_and_duplicates_keep_the_first() {
		let regrets = Regrets::new(fx("-1"));
		let inferences = [(0u8, fx("1")), (1, fx("2")), (0, fx("100"))];
		let forecasts = [
			Forecast { forecaster: 9u8, elements: vec![(7, fx("0.1"))] },
			Forecast { forecaster: 8u8, elements: vec![(1, fx("0.1")), (1, fx("5"))] },
		];
		let input =
			synthesis_input(&inferences, &forecasts, Some(fx("1")), &regrets, params("3", "0.01"));
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(out.values.inferer[&0], fx("1"));
		assert!(!out.values.forecaster.contains_key(&9));
		assert_eq!(out.values.forecaster[&8], fx("2"));
		// Equal regrets: equal weights, combined is the mean of 1, 2 and I_8 = 2.
		assert!(
			close(out.values.combined, "1.666666666666666666", "0.000000000000001"),
			"{}",
			out.values.combined
		);
		assert_eq!(out.confidence_interval.len(), 5);
	}

	/// Spec README decision 11: the all-new mode's combined value is the plain mean, its error
	/// bars are the percentiles of the inferences and I_k under the regret weights of 4.5
	/// (stored regrets, the initial regret 0 for actors without one), not equal weights.
	#[test]
	fn all_new_error_bars_use_the_regret_weights() {
		let mut regrets = Regrets::new(Fixed::ZERO);
		regrets.inferer.insert(1u8, fx("0.5"));
		regrets.inferer.insert(2, fx("-0.5"));
		let four = [(1u8, fx("4")), (2, fx("1")), (3, fx("3")), (4, fx("2"))];
		let forecasts = [Forecast {
			forecaster: 8u8,
			elements: vec![(1, fx("0.1")), (2, fx("0.2")), (3, fx("0.3"))],
		}];
		let input =
			synthesis_input(&four, &forecasts, Some(fx("1")), &regrets, params("3", "0.01"));
		let out = network_inference(&input).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!((out.mode, out.values.combined), (SynthesisMode::AllNew, fx("2.5")));
		let p = &input.params;
		let (wi, wf) = regret_weights(
			&[fx("0.5"), fx("-0.5"), Fixed::ZERO, Fixed::ZERO],
			&[Fixed::ZERO],
			p.p_norm,
			p.c_norm,
			p.epsilon,
		)
		.unwrap_or_else(|e| panic!("{e:?}"));
		let values = [fx("4"), fx("1"), fx("3"), fx("2"), fx("3")];
		let weights: Vec<Fixed> = wi.into_iter().chain(wf).collect();
		let want = weighted_percentiles(&values, &weights, &confidence_percentiles())
			.unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(out.confidence_interval, want);
		let equal = weighted_percentiles(&values[..4], &[Fixed::ONE; 4], &confidence_percentiles())
			.unwrap_or_else(|e| panic!("{e:?}"));
		assert_ne!(out.confidence_interval, equal);
	}
}
