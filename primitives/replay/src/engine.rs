//! Replays a table round by round through `allora-synthesis`, carrying the topic state the
//! chain would keep (regrets, latest network loss, listening coefficients, smoothed
//! fractions, τ, score history, inclusion counters) from row to row.

use crate::{layout::Layout, settings::Settings, table::Table};
use allora_math::Fixed;
use allora_synthesis::{
	consensus, fractions,
	inference::{self, Forecast, SynthesisInput},
	losses::{self, ValueBundle},
	regrets::{self, Regrets},
	rewards, scores,
};
use std::collections::{BTreeMap, BTreeSet};

/// How the first row is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
	/// A brand-new topic: no regrets (initial regret 0), no history; row 1 carries no losses.
	Fresh,
	/// Row 1's output columns seed the state; row 1 is copied through unchanged.
	StateFromFirstRow,
}

/// The topic state between rounds.
#[derive(Clone)]
struct State {
	regrets: Regrets<u32>,
	latest_network_loss: Option<Fixed>,
	coefficients: BTreeMap<u32, Fixed>,
	smoothed: PerRole<BTreeMap<u32, Fixed>>,
	tau: Fixed,
	/// Stored instant scores per round, newest first (workers only).
	history: PerRole<Vec<Vec<Fixed>>>,
	/// Rounds with a nonzero payout, per worker.
	inclusions: PerRole<BTreeMap<u32, u64>>,
	/// Inferers and forecasters that submitted in the previous row (the snapshot the row's
	/// losses evaluate).
	snapshot: Option<(BTreeSet<u32>, BTreeSet<u32>)>,
	/// The optional value lists the previous row's network inference produced (`None`: it had
	/// no inference, so the chain dropped its nonce).
	produced: Option<Produced>,
}

/// The optional value lists of a network inference (the chain's `ProducedLists`): a loss
/// bundle may judge only these (spec README decision 12).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Produced {
	forecaster: bool,
	one_out_inferer: bool,
	one_out_forecaster: bool,
	one_in_forecaster: bool,
	one_out_inferer_forecaster: bool,
}

impl Produced {
	/// The non-empty lists of `b`.
	fn of(b: &ValueBundle<u32>) -> Self {
		Self {
			forecaster: !b.forecaster.is_empty(),
			one_out_inferer: !b.one_out_inferer.is_empty(),
			one_out_forecaster: !b.one_out_forecaster.is_empty(),
			one_in_forecaster: !b.one_in_forecaster.is_empty(),
			one_out_inferer_forecaster: !b.one_out_inferer_forecaster.is_empty(),
		}
	}

	/// The first list of `b` that was not produced, with the chain's name for it.
	fn first_missing(&self, b: &ValueBundle<u32>) -> Option<&'static str> {
		let judged = Self::of(b);
		[
			(judged.forecaster && !self.forecaster, "Forecaster"),
			(judged.one_out_inferer && !self.one_out_inferer, "OneOutInferer"),
			(judged.one_out_forecaster && !self.one_out_forecaster, "OneOutForecaster"),
			(judged.one_in_forecaster && !self.one_in_forecaster, "OneInForecaster"),
			(
				judged.one_out_inferer_forecaster && !self.one_out_inferer_forecaster,
				"OneOutInfererForecaster",
			),
		]
		.into_iter()
		.find_map(|(missing, name)| missing.then_some(name))
	}
}

/// The three participant roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
	Inferer,
	Forecaster,
	Reputer,
}
use Role::{Forecaster as FORECASTER, Inferer as INFERER, Reputer as REPUTER};

impl Role {
	fn name(self) -> &'static str {
		match self {
			Role::Inferer => "inferer",
			Role::Forecaster => "forecaster",
			Role::Reputer => "reputer",
		}
	}
}

/// One value per role.
#[derive(Clone, Default)]
struct PerRole<T> {
	inferer: T,
	forecaster: T,
	reputer: T,
}

impl<T> PerRole<T> {
	fn of(&self, role: Role) -> &T {
		match role {
			Role::Inferer => &self.inferer,
			Role::Forecaster => &self.forecaster,
			Role::Reputer => &self.reputer,
		}
	}

	fn of_mut(&mut self, role: Role) -> &mut T {
		match role {
			Role::Inferer => &mut self.inferer,
			Role::Forecaster => &mut self.forecaster,
			Role::Reputer => &mut self.reputer,
		}
	}
}

/// A replay of one table.
pub struct Replay<'a> {
	input: &'a Table,
	layout: Layout,
	settings: Settings,
	mode: Mode,
	state: State,
	/// Notes for the user (e.g. fractions taken from the file).
	pub notes: Vec<String>,
}

fn err(row: usize, what: impl std::fmt::Display) -> String {
	format!("row {}: {what}", row + 1)
}

/// Why a row's reward step was skipped: the chain's `SkipReason` of the same case.
#[derive(Debug)]
enum Skip {
	/// No inferer scores (median or single-inference mode: no one-out values).
	NoScoredInferers,
	/// The row's `topic_rewards` is empty or zero.
	NoReward,
	/// The reputer consensus failed.
	Consensus(String),
	/// Another step failed.
	Mechanism(String),
}

impl std::fmt::Display for Skip {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Skip::NoScoredInferers => {
				write!(f, "NoScoredInferers (no inferer has a one-out value)")
			},
			Skip::NoReward => write!(f, "NoReward (topic_rewards is empty or zero)"),
			Skip::Consensus(x) => write!(f, "ConsensusFailed ({x})"),
			Skip::Mechanism(x) => write!(f, "MechanismFailed ({x})"),
		}
	}
}

impl<'a> Replay<'a> {
	/// Prepares a replay of `input`.
	pub fn new(input: &'a Table, settings: Settings, mode: Mode) -> Result<Self, String> {
		let layout = Layout::detect(input)?;
		let state = State {
			regrets: Regrets::new(Fixed::ZERO),
			latest_network_loss: None,
			coefficients: BTreeMap::new(),
			smoothed: Default::default(),
			tau: Fixed::ZERO,
			history: Default::default(),
			inclusions: Default::default(),
			snapshot: None,
			produced: None,
		};
		Ok(Replay { input, layout, settings, mode, state, notes: Vec::new() })
	}

	/// Runs every row and returns the input table with every output column filled (output
	/// columns missing from the input are appended).
	pub fn run(mut self) -> Result<(Table, Vec<String>), String> {
		let mut out = self.input.clone();
		let outputs = self.layout.output_columns();
		for c in &outputs {
			if !out.index.contains_key(c) {
				out.index.insert(c.clone(), out.columns.len());
				out.columns.push(c.clone());
				for r in out.rows.iter_mut() {
					r.push(None);
				}
			}
		}
		for row in 0..self.input.rows.len() {
			if row == 0 && self.mode == Mode::StateFromFirstRow {
				self.seed_from_first_row()?;
				continue;
			}
			for c in &outputs {
				out.set(row, c, None);
			}
			self.round(row, &mut out)?;
		}
		Ok((out, self.notes))
	}

	fn get(&self, row: usize, col: &str) -> Option<Fixed> {
		self.input.get(row, col)
	}

	/// Seeds the state from row 1's output columns (spec 10.3).
	fn seed_from_first_row(&mut self) -> Result<(), String> {
		let l = self.layout;
		let (ni, nf, nw) = (l.inferers, l.forecasters, l.inferers + l.forecasters);
		let g = |c: String| self.input.get(0, &c);
		let mut r = Regrets::new(Fixed::ZERO);
		for w in 0..nw {
			let id = w as u32;
			if let Some(v) = g(format!("inference_regret_worker_{w}")) {
				if w < ni {
					r.inferer.insert(id, v);
				} else {
					r.forecaster.insert(id, v);
				}
			}
			for o in 0..nw {
				let Some(v) = g(format!("inference_regret_worker_{w}_oneout_{o}")) else {
					continue;
				};
				let key = (o as u32, id);
				match (o < ni, w < ni) {
					(true, true) => r.one_out_inferer_inferer.insert(key, v),
					(true, false) => r.one_out_inferer_forecaster.insert(key, v),
					(false, true) => r.one_out_forecaster_inferer.insert(key, v),
					(false, false) => r.one_out_forecaster_forecaster.insert(key, v),
				};
			}
		}
		for j in 0..ni {
			if let Some(v) = g(format!("naive_inference_regret_worker_{j}")) {
				r.naive_inferer.insert(j as u32, v);
			}
		}
		for k in 0..nf {
			let kid = l.forecaster_id(k);
			for w in 0..ni {
				if let Some(v) = g(format!("inference_regret_worker_{w}_onein_{k}")) {
					r.one_in_forecaster_inferer.insert((kid, w as u32), v);
				}
			}
			if let Some(v) = g(format!("inference_regret_worker_{ni}_onein_{k}")) {
				r.one_in_forecaster_self.insert(kid, v);
			}
		}
		r.initial = match self.settings.initial_regret {
			Some(v) => v,
			None => {
				let seeded: Vec<Fixed> =
					r.inferer.values().chain(r.forecaster.values()).copied().collect();
				if seeded.is_empty() {
					Fixed::ZERO
				} else {
					regrets::initial_regret(&seeded, &self.settings.regret)
						.map_err(|e| err(0, format!("initial regret: {e:?}")))?
				}
			},
		};
		self.state.regrets = r;
		self.state.latest_network_loss = g("network_loss".into());
		for m in 0..l.reputers {
			if let Some(v) = g(format!("reputer_listening_coefficient_{m}")) {
				self.state.coefficients.insert(m as u32, v);
			}
			if let Some(v) = g(format!("reputer_reward_fraction_smooth_{m}")) {
				self.state.smoothed.of_mut(REPUTER).insert(m as u32, v);
			}
		}
		let mut inferer_scores = Vec::new();
		for j in 0..ni {
			if let Some(v) = g(format!("inferer_reward_fraction_smooth_{j}")) {
				self.state.smoothed.of_mut(INFERER).insert(l.inferer_id(j), v);
			}
			if let Some(v) = g(format!("inferer_score_{j}")) {
				inferer_scores.push(v);
			}
		}
		let mut forecaster_scores = Vec::new();
		for k in 0..nf {
			if let Some(v) = g(format!("forecaster_reward_fraction_smooth_{k}")) {
				self.state.smoothed.of_mut(FORECASTER).insert(l.forecaster_id(k), v);
			}
			if let Some(v) = g(format!("forecaster_score_{k}")) {
				forecaster_scores.push(v);
			}
		}
		self.state.history = PerRole {
			inferer: vec![inferer_scores],
			forecaster: vec![forecaster_scores],
			reputer: Vec::new(),
		};
		self.state.tau = g("forecaster_score_ratio".into()).unwrap_or(Fixed::ZERO);
		self.state.snapshot = Some(self.submitters(0));
		Ok(())
	}

	/// Inferers and forecasters with a submission in `row`.
	fn submitters(&self, row: usize) -> (BTreeSet<u32>, BTreeSet<u32>) {
		let l = self.layout;
		let inferers = (0..l.inferers)
			.filter(|j| self.get(row, &format!("inference_{j}")).is_some())
			.map(|j| l.inferer_id(j))
			.collect();
		let forecasters = (0..l.forecasters)
			.filter(|k| {
				(0..l.inferers)
					.any(|j| self.get(row, &format!("forecasted_loss_{k}_for_{j}")).is_some())
			})
			.map(|k| l.forecaster_id(k))
			.collect();
		(inferers, forecasters)
	}

	/// One round: synthesis of the row's predictions, then (if the row carries losses) network
	/// losses, regrets, reputer consensus, scores, fractions, entropies and rewards.
	fn round(&mut self, row: usize, out: &mut Table) -> Result<(), String> {
		let produced = self.synthesis(row, out)?;
		let first_fresh_row = row == 0 && self.mode == Mode::Fresh;
		let bundles = if first_fresh_row { Vec::new() } else { self.bundles(row)? };
		if !bundles.is_empty() {
			self.settle(row, &bundles, out)?;
		}
		self.state.snapshot = Some(self.submitters(row));
		self.state.produced = produced;
		Ok(())
	}

	/// The row's network inference; returns the lists it produced (`None` without inferences).
	fn synthesis(&mut self, row: usize, out: &mut Table) -> Result<Option<Produced>, String> {
		let l = self.layout;
		let inferences: Vec<(u32, Fixed)> = (0..l.inferers)
			.filter_map(|j| Some((l.inferer_id(j), self.get(row, &format!("inference_{j}"))?)))
			.collect();
		let forecasts: Vec<Forecast<u32>> = (0..l.forecasters)
			.filter_map(|k| {
				let elements: Vec<(u32, Fixed)> = (0..l.inferers)
					.filter_map(|j| {
						Some((
							l.inferer_id(j),
							self.get(row, &format!("forecasted_loss_{k}_for_{j}"))?,
						))
					})
					.collect();
				(!elements.is_empty())
					.then(|| Forecast { forecaster: l.forecaster_id(k), elements })
			})
			.collect();
		if let Some(l_star) = self.state.latest_network_loss {
			for f in &forecasts {
				let k = l.forecaster_index(f.forecaster);
				for (j, loss) in &f.elements {
					out.set(
						row,
						&format!("forecasted_regret_{k}_inferer_{j}"),
						l_star.checked_sub(*loss).ok(),
					);
				}
			}
		}
		if inferences.is_empty() {
			return Ok(None);
		}
		let input = SynthesisInput {
			inferences: &inferences,
			forecasts: &forecasts,
			latest_network_loss: self.state.latest_network_loss,
			regrets: &self.state.regrets,
			params: self.settings.synthesis,
		};
		let synthesize = if self.settings.one_out_baseline {
			inference::network_inference_baseline
		} else {
			inference::network_inference
		};
		let ni = synthesize(&input).map_err(|e| err(row, format!("network inference: {e:?}")))?;
		write_bundle(&l, &ni.values, &PREDICTION_COLUMNS, row, out);
		for (i, x) in ni.confidence_interval.iter().enumerate() {
			out.set(row, &format!("network_inference_errorbar_{i}"), Some(*x));
		}
		Ok(Some(Produced::of(&ni.values)))
	}

	/// The reputers' loss bundles of a row, filtered against the previous row's submitters
	/// (spec 5.2): (reputer, stake, bundle).
	fn bundles(&mut self, row: usize) -> Result<Vec<(u32, Fixed, ValueBundle<u32>)>, String> {
		let l = self.layout;
		let mut out = Vec::new();
		let mut notes = Vec::new();
		for m in 0..l.reputers {
			let g = |x: &str| self.get(row, &format!("reputer_{m}_loss_{x}"));
			let any = crate::layout::loss_keys(&l).iter().any(|x| g(x).is_some());
			if !any {
				continue;
			}
			let combined =
				g("network_inference").ok_or_else(|| {
					err(row, format!("reputer {m} reported losses but not `reputer_{m}_loss_network_inference`"))
				})?;
			let naive = g("naive_network_inference").ok_or_else(|| err(row, format!("reputer {m} reported losses but not `reputer_{m}_loss_naive_network_inference`")))?;
			let stake = self.get(row, &format!("reputer_stake_{m}")).ok_or_else(|| {
				err(row, format!("reputer {m} reported losses but `reputer_stake_{m}` is empty"))
			})?;
			let mut b = ValueBundle::new(combined, naive);
			for j in 0..l.inferers {
				let id = l.inferer_id(j);
				if let Some(v) = g(&format!("inference_{j}")) {
					b.inferer.insert(id, v);
				}
				if let Some(v) = g(&format!("network_inference_oneout_{j}")) {
					b.one_out_inferer.insert(id, v);
				}
			}
			for k in 0..l.forecasters {
				let id = l.forecaster_id(k);
				if let Some(v) = g(&format!("forecast_implied_inference_{k}")) {
					b.forecaster.insert(id, v);
				}
				if let Some(v) = g(&format!("network_inference_oneout_{}", l.inferers + k)) {
					b.one_out_forecaster.insert(id, v);
				}
				if let Some(v) = g(&format!("naive_network_inference_onein_{k}")) {
					b.one_in_forecaster.insert(id, v);
				}
				for j in 0..l.inferers {
					if let Some(v) = g(&format!("forecast_implied_inference_{k}_oneout_{j}")) {
						b.one_out_inferer_forecaster.insert((id, l.inferer_id(j)), v);
					}
				}
			}
			// The chain refuses a bundle for a dropped nonce, or one judging a list the judged
			// row's network inference did not produce (decision 12).
			if self.mode == Mode::Fresh || row > 1 {
				let refusal = match &self.state.produced {
					None => {
						Some("UnknownReputerNonce (the judged row had no inference)".to_string())
					},
					Some(p) => p
						.first_missing(&b)
						.map(|list| format!("ValueNotProduced {{ list: {list} }}")),
				};
				if let Some(reason) = refusal {
					notes.push(err(row, format!("reputer {m}'s bundle refused: {reason}")));
					continue;
				}
			}
			if let Some((inferers, forecasters)) = &self.state.snapshot {
				filter_bundle(&mut b, inferers, forecasters);
			}
			out.push((m as u32, stake, b));
		}
		self.notes.extend(notes);
		Ok(out)
	}

	/// The settlement of a row (spec 5.2-5.5: network losses, regrets, initial regret, always
	/// kept), then its reward step.
	fn settle(
		&mut self,
		row: usize,
		bundles: &[(u32, Fixed, ValueBundle<u32>)],
		out: &mut Table,
	) -> Result<(), String> {
		let l = self.layout;
		let s = self.settings;
		let e = |what: &'static str| {
			move |x: allora_synthesis::Error| err(row, format!("{what}: {x:?}"))
		};

		// Network losses (5.3).
		let reports: Vec<(Fixed, &ValueBundle<u32>)> =
			bundles.iter().map(|(_, st, b)| (*st, b)).collect();
		let net = losses::network_losses(&reports).map_err(e("network losses"))?;
		write_bundle(&l, &net, &LOSS_COLUMNS, row, out);

		// Regrets (5.4) and the topic initial regret (5.5).
		let previous = &self.state.regrets;
		let updated = regrets::updated_regrets(&net, previous, s.regret.alpha_regret)
			.map_err(e("regrets"))?;
		let experienced =
			|role: Role, ids: Vec<u32>, prior: &BTreeMap<u32, Fixed>| -> Result<Vec<u32>, String> {
				let mut v = Vec::new();
				for id in ids {
					let n = self.state.inclusions.of(role).get(&id).copied().unwrap_or(0);
					if regrets::is_experienced(prior.contains_key(&id), n, s.regret.alpha_regret)
						.map_err(e("experience"))?
					{
						v.push(id);
					}
				}
				Ok(v)
			};
		let exp_inferers =
			experienced(INFERER, updated.inferer.keys().copied().collect(), &previous.inferer)?;
		let exp_forecasters = experienced(
			FORECASTER,
			updated.forecaster.keys().copied().collect(),
			&previous.forecaster,
		)?;
		write_regrets(&l, &updated, row, out);
		let values = regrets::experienced_values(&updated, &exp_inferers, &exp_forecasters);
		self.state.regrets.merge(updated);
		if !values.is_empty() {
			self.state.regrets.initial =
				regrets::initial_regret(&values, &s.regret).map_err(e("initial regret"))?;
		}

		self.state.latest_network_loss = Some(net.combined);

		// The reward step (spec 6.1 steps 2-9) is all or nothing (fix m, spec README decision
		// 10): a skipped step keeps only the settlement above, as the chain does.
		let (state, cells, notes) =
			(self.state.clone(), out.rows.get(row).cloned(), self.notes.len());
		if let Err(skip) = self.reward_step(row, bundles, &net, out) {
			self.state = state;
			if let (Some(r), Some(c)) = (out.rows.get_mut(row), cells) {
				*r = c;
			}
			self.notes.truncate(notes);
			self.notes.push(err(row, format!("reward step skipped: {skip}")));
		}
		Ok(())
	}

	/// Spec 6.1 steps 2-9 on a settled row: reputer consensus (5.6), worker scores (6.2),
	/// fractions (6.4), entropies (6.5), τ/χ/γ (6.6) and rewards (6.7), with the chain's
	/// checks in the chain's order so that a skip names the chain's reason.
	fn reward_step(
		&mut self,
		row: usize,
		bundles: &[(u32, Fixed, ValueBundle<u32>)],
		net: &ValueBundle<u32>,
		out: &mut Table,
	) -> Result<(), Skip> {
		let l = self.layout;
		let s = self.settings;
		let e = |what: &'static str| {
			move |x: allora_synthesis::Error| Skip::Mechanism(format!("{what}: {x:?}"))
		};
		let inferer_scores = scores::inferer_scores(net).map_err(e("inferer scores"))?;
		if inferer_scores.scores.is_empty() {
			return Err(Skip::NoScoredInferers);
		}
		let forecaster_scores = scores::forecaster_scores(net).map_err(e("forecaster scores"))?;

		// Reputer consensus (5.6).
		let reputers: Vec<u32> = bundles.iter().map(|(m, _, _)| *m).collect();
		let stakes: Vec<Fixed> = bundles.iter().map(|(_, st, _)| *st).collect();
		let refs: Vec<&ValueBundle<u32>> = bundles.iter().map(|(_, _, b)| b).collect();
		let vectors = losses::loss_vectors(&refs);
		let coefs: Vec<Fixed> = reputers
			.iter()
			.map(|m| self.state.coefficients.get(m).copied().unwrap_or(Fixed::ONE))
			.collect();
		let outcome = consensus::reputer_scores(&vectors, &stakes, &coefs, &s.reputer)
			.map_err(|x| Skip::Consensus(format!("{x:?}")))?;
		for (i, m) in reputers.iter().enumerate() {
			out.set(row, &format!("reputer_score_{m}"), outcome.scores.get(i).copied());
			out.set(
				row,
				&format!("reputer_listening_coefficient_{m}"),
				outcome.coefficients.get(i).copied(),
			);
			out.set(
				row,
				&format!("reputer_adjusted_stake_{m}"),
				outcome.adjusted_stakes.get(i).copied(),
			);
			if let Some(c) = outcome.coefficients.get(i) {
				self.state.coefficients.insert(*m, *c);
			}
		}

		// Worker scores (6.2) and the score history (a role without scores adds no round).
		for (id, x) in &inferer_scores.scores {
			out.set(row, &format!("inferer_score_{id}"), Some(*x));
		}
		for (id, x) in &forecaster_scores.scores {
			out.set(row, &format!("forecaster_score_{}", l.forecaster_index(*id)), Some(*x));
		}
		for (role, round) in [(INFERER, &inferer_scores), (FORECASTER, &forecaster_scores)] {
			if !round.scores.is_empty() {
				self.state.history.of_mut(role).insert(0, round.scores.values().copied().collect());
			}
		}
		let max_samples = s.reward.max_samples_to_scale_scores as usize;
		for role in [INFERER, FORECASTER] {
			self.state.history.of_mut(role).truncate(max_samples.max(1));
		}

		// Reward fractions (6.4).
		let i_ids: Vec<u32> = inferer_scores.scores.keys().copied().collect();
		let i_scores: Vec<Fixed> = inferer_scores.scores.values().copied().collect();
		let f_ids: Vec<u32> = forecaster_scores.scores.keys().copied().collect();
		let f_scores: Vec<Fixed> = forecaster_scores.scores.values().copied().collect();
		let i_frac =
			self.worker_fractions(row, INFERER, &i_ids, &i_scores).map_err(Skip::Mechanism)?;
		let f_frac =
			self.worker_fractions(row, FORECASTER, &f_ids, &f_scores).map_err(Skip::Mechanism)?;
		let r_frac = fractions::reputer_reward_fractions(
			&stakes,
			&outcome.scores,
			s.reward.p_reward_reputer,
		)
		.map_err(e("reputer fractions"))?;
		for (id, x) in i_ids.iter().zip(i_frac.iter()) {
			out.set(row, &format!("inferer_reward_fraction_{id}"), Some(*x));
		}
		for (id, x) in f_ids.iter().zip(f_frac.iter()) {
			out.set(
				row,
				&format!("forecaster_reward_fraction_{}", l.forecaster_index(*id)),
				Some(*x),
			);
		}
		for (m, x) in reputers.iter().zip(r_frac.iter()) {
			out.set(row, &format!("reputer_reward_fraction_{m}"), Some(*x));
		}

		// Entropies (6.5).
		let f_entropy =
			self.entropy(row, INFERER, &i_ids, &i_frac, out).map_err(Skip::Mechanism)?;
		let g_entropy = if !f_scores.is_empty() && i_scores.len() >= 2 {
			self.entropy(row, FORECASTER, &f_ids, &f_frac, out).map_err(Skip::Mechanism)?
		} else {
			Fixed::ZERO
		};
		let h_entropy =
			self.entropy(row, REPUTER, &reputers, &r_frac, out).map_err(Skip::Mechanism)?;
		out.set(row, "inferers_entropy", Some(f_entropy));
		out.set(row, "forecasters_entropy", Some(g_entropy));
		out.set(row, "reputers_entropy", Some(h_entropy));

		// τ, χ, γ (6.6), task totals and rewards (6.7).
		let task_score = net
			.naive
			.checked_sub(net.combined)
			.map_err(|x| Skip::Mechanism(format!("task score: {x:?}")))?;
		let utility = rewards::forecasting_utility(
			task_score,
			&i_scores,
			self.state.tau,
			s.reward.task_reward_alpha,
		)
		.map_err(e("forecasting utility"))?;
		self.state.tau = utility.tau;
		out.set(row, "forecaster_task_score", Some(task_score));
		out.set(row, "forecaster_score_ratio", Some(utility.tau));
		out.set(row, "forecasters_utility", Some(utility.chi));
		// The chain skips a round whose topic reward is zero (`NoReward`).
		let total = match self.get(row, "topic_rewards") {
			Some(total) if total.is_positive() => total,
			_ => return Err(Skip::NoReward),
		};
		let gamma = rewards::normalization_factor(f_entropy, g_entropy, utility.chi)
			.map_err(e("normalization factor"))?;
		let tasks =
			rewards::task_rewards(f_entropy, g_entropy, h_entropy, utility.chi, gamma, total)
				.map_err(e("task rewards"))?;
		{
			let share = |x: Fixed| x.checked_div(total).ok();
			out.set(row, "inferers_reward_fraction", share(tasks.inference));
			out.set(row, "forecasters_reward_fraction", share(tasks.forecasting));
			out.set(row, "reputers_reward_fraction", share(tasks.reputation));
		}
		let pay =
			|fr: &[Fixed], task: Fixed| rewards::actor_rewards(fr, task).map_err(e("rewards"));
		for (id, x) in i_ids.iter().zip(pay(&i_frac, tasks.inference)?.iter()) {
			out.set(row, &format!("inferer_reward_{id}"), Some(*x));
			if x.is_positive() {
				*self.state.inclusions.of_mut(INFERER).entry(*id).or_default() += 1;
			}
		}
		for (id, x) in f_ids.iter().zip(pay(&f_frac, tasks.forecasting)?.iter()) {
			out.set(row, &format!("forecaster_reward_{}", l.forecaster_index(*id)), Some(*x));
			if x.is_positive() {
				*self.state.inclusions.of_mut(FORECASTER).entry(*id).or_default() += 1;
			}
		}
		for (m, x) in reputers.iter().zip(pay(&r_frac, tasks.reputation)?.iter()) {
			out.set(row, &format!("reputer_reward_{m}"), Some(*x));
		}
		Ok(())
	}

	/// Worker reward fractions of a role. In `--state-from-first-row` mode, rounds before row
	/// 1 are unknown: when the σ window cannot be filled and the row carries the simulator's
	/// own fractions, those are used (as the reference tests do, spec 10.5/10.7).
	fn worker_fractions(
		&mut self,
		row: usize,
		role: Role,
		ids: &[u32],
		scores: &[Fixed],
	) -> Result<Vec<Fixed>, String> {
		if scores.is_empty() {
			return Ok(Vec::new());
		}
		let s = self.settings.reward;
		let max = s.max_samples_to_scale_scores as usize;
		let window = scores::score_window(self.state.history.of(role), max);
		let (p, c, name) = if role == INFERER {
			(s.p_reward_inference, s.c_reward_inference, "inferer")
		} else {
			(s.p_reward_forecast, s.c_reward_forecast, "forecaster")
		};
		if self.mode == Mode::StateFromFirstRow && window.len() < max {
			let column = |id: u32| {
				let i =
					if role == INFERER { id as usize } else { self.layout.forecaster_index(id) };
				format!("{name}_reward_fraction_{i}")
			};
			let given: Option<Vec<Fixed>> =
				ids.iter().map(|id| self.get(row, &column(*id))).collect();
			if let Some(given) = given {
				self.notes.push(err(row, format!("{name} reward fractions taken from the input: the σ window has {} of {max} scores (history before row 1 is unknown)", window.len())));
				return Ok(given);
			}
		}
		fractions::worker_reward_fractions(scores, &window, p, c, s.epsilon)
			.map_err(|x| err(row, format!("{name} fractions: {x:?}")))
	}

	fn entropy(
		&mut self,
		row: usize,
		role: Role,
		ids: &[u32],
		fractions: &[Fixed],
		out: &mut Table,
	) -> Result<Fixed, String> {
		if fractions.is_empty() {
			return Ok(Fixed::ZERO);
		}
		let s = self.settings.reward;
		let previous: Vec<Option<Fixed>> =
			ids.iter().map(|id| self.state.smoothed.of(role).get(id).copied()).collect();
		let ent = fractions::entropy(fractions, &previous, s.task_reward_alpha, s.beta_entropy)
			.map_err(|x| err(row, format!("entropy: {x:?}")))?;
		let name = role.name();
		for (id, f) in ids.iter().zip(ent.smoothed.iter()) {
			self.state.smoothed.of_mut(role).insert(*id, *f);
			let i =
				if role == FORECASTER { self.layout.forecaster_index(*id) } else { *id as usize };
			out.set(row, &format!("{name}_reward_fraction_smooth_{i}"), Some(*f));
		}
		Ok(ent.entropy)
	}
}

/// Column-name prefixes of a value bundle in the simulator layout (spec 10.2).
struct BundleColumns {
	combined: &'static str,
	naive: &'static str,
	/// `None`: the inferer values are the row's inputs and are not written back.
	inferer: Option<&'static str>,
	/// Also the prefix of `<forecaster><k>_oneout_<j>`.
	forecaster: &'static str,
	one_out: &'static str,
	one_in: &'static str,
}

/// The synthesis outputs of a row.
const PREDICTION_COLUMNS: BundleColumns = BundleColumns {
	combined: "network_inference",
	naive: "network_naive_inference",
	inferer: None,
	forecaster: "forecast_implied_inference_",
	one_out: "network_inference_oneout_",
	one_in: "network_naive_inference_onein_",
};

/// The network losses of a row.
const LOSS_COLUMNS: BundleColumns = BundleColumns {
	combined: "network_loss",
	naive: "network_naive_loss",
	inferer: Some("inference_loss_"),
	forecaster: "forecast_implied_inference_loss_",
	one_out: "network_loss_oneout_",
	one_in: "network_naive_loss_onein_",
};

/// Writes every value of a bundle into its columns.
fn write_bundle(
	l: &Layout,
	b: &ValueBundle<u32>,
	cols: &BundleColumns,
	row: usize,
	out: &mut Table,
) {
	out.set(row, cols.combined, Some(b.combined));
	out.set(row, cols.naive, Some(b.naive));
	if let Some(prefix) = cols.inferer {
		for (id, x) in &b.inferer {
			out.set(row, &format!("{prefix}{id}"), Some(*x));
		}
	}
	for (id, x) in &b.forecaster {
		out.set(row, &format!("{}{}", cols.forecaster, l.forecaster_index(*id)), Some(*x));
	}
	for ((kid, j), x) in &b.one_out_inferer_forecaster {
		let k = l.forecaster_index(*kid);
		out.set(row, &format!("{}{k}_oneout_{j}", cols.forecaster), Some(*x));
	}
	for (id, x) in b.one_out_inferer.iter().chain(b.one_out_forecaster.iter()) {
		out.set(row, &format!("{}{id}", cols.one_out), Some(*x));
	}
	for (id, x) in &b.one_in_forecaster {
		out.set(row, &format!("{}{}", cols.one_in, l.forecaster_index(*id)), Some(*x));
	}
}

/// Keeps only entries about the snapshot's workers; drops one-out inferer values when at most
/// one inferer value remains (spec 5.2).
fn filter_bundle(b: &mut ValueBundle<u32>, inferers: &BTreeSet<u32>, forecasters: &BTreeSet<u32>) {
	b.inferer.retain(|j, _| inferers.contains(j));
	b.one_out_inferer.retain(|j, _| inferers.contains(j));
	b.forecaster.retain(|k, _| forecasters.contains(k));
	b.one_out_forecaster.retain(|k, _| forecasters.contains(k));
	b.one_in_forecaster.retain(|k, _| forecasters.contains(k));
	b.one_out_inferer_forecaster
		.retain(|(k, j), _| forecasters.contains(k) && inferers.contains(j));
	if b.inferer.len() <= 1 {
		b.one_out_inferer.clear();
	}
}

/// Writes the updated regrets in the simulator's columns (spec 10.2).
fn write_regrets(l: &Layout, r: &Regrets<u32>, row: usize, out: &mut Table) {
	let ni = l.inferers as u32;
	for (id, v) in r.inferer.iter().chain(r.forecaster.iter()) {
		out.set(row, &format!("inference_regret_worker_{id}"), Some(*v));
	}
	for (id, v) in &r.naive_inferer {
		out.set(row, &format!("naive_inference_regret_worker_{id}"), Some(*v));
	}
	for family in [
		&r.one_out_inferer_inferer,
		&r.one_out_inferer_forecaster,
		&r.one_out_forecaster_inferer,
		&r.one_out_forecaster_forecaster,
	] {
		for ((o, w), v) in family {
			out.set(row, &format!("inference_regret_worker_{w}_oneout_{o}"), Some(*v));
		}
	}
	for ((k, j), v) in &r.one_in_forecaster_inferer {
		out.set(
			row,
			&format!("inference_regret_worker_{j}_onein_{}", l.forecaster_index(*k)),
			Some(*v),
		);
	}
	for (k, v) in &r.one_in_forecaster_self {
		out.set(
			row,
			&format!("inference_regret_worker_{ni}_onein_{}", l.forecaster_index(*k)),
			Some(*v),
		);
	}
}
