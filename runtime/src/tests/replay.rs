//! Rows 300-305 of the research simulator (`../shared/data/allora-sim-epochs.csv`) through the
//! runtime: extrinsics (registrations, stake, worker payloads, loss bundles) and hooks (epoch
//! ends, window closes, reputer settlements and their reward step). Row 300 seeds the topic's
//! state (regrets, ℓ*, listening coefficients, score history, smoothed fractions, τ); rows
//! 301-305's network inferences, network losses, regrets, reputer scores, listening
//! coefficients, adjusted stakes, worker scores, reward fractions, entropies, τ, χ, task shares
//! and every per-actor reward must equal the simulator's to a relative 1e-6 (spec 10.3 timing:
//! row e's losses judge row e−1's nonce), and the reputers' compounded rewards must give the
//! next row's stakes.

use super::ext_for_preset;
use crate::*;
use allora_math::Fixed;
use allora_replay::{compare::relative_error, Table};
use allora_synthesis::{regrets::Regrets, RegretParams};
use frame_support::{
	assert_ok,
	traits::{fungible::Mutate, Hooks},
};
use pallet_emissions::TopicRewardsView;
use pallet_emissions_runtime_api::runtime_decl_for_emissions_api::EmissionsApiV1;
use pallet_inference::Role;
use pallet_reputation::{LossBundle, LossBundleOf, RegretValue, RegretsView, RoundResults};
use pallet_reputation_runtime_api::runtime_decl_for_reputation_api::ReputationApiV1;
use pallet_topics::TopicConfig;
use std::collections::BTreeMap;

const INFERERS: usize = 5;
const FORECASTERS: usize = 3;
const REPUTERS: usize = 5;
/// Epoch length = ground-truth lag; window.
const E: BlockNumber = 12;
const W: BlockNumber = 8;

/// The simulator file, from `$ALLORA_SHARED_DIR/data` or `../shared/data` beside the
/// checkout. Missing data fails under CI and skips (loudly) elsewhere.
fn simulator() -> Option<Table> {
	let shared =
		std::env::var_os("ALLORA_SHARED_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| {
			std::path::PathBuf::from(
				std::env::var_os("CARGO_MANIFEST_DIR")
					.unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
			)
			.join("../../shared")
		});
	let path = shared.join("data/allora-sim-epochs.csv");
	match std::fs::read_to_string(&path) {
		Ok(text) => Some(Table::parse(&text).expect("the simulator file parses")),
		Err(e) => {
			assert!(std::env::var_os("CI").is_none(), "{} is required in CI: {e}", path.display());
			eprintln!("SKIPPED: {} is missing (set ALLORA_SHARED_DIR)", path.display());
			None
		},
	}
}

fn inferer(j: usize) -> AccountId {
	AccountId::new([1 + j as u8; 32])
}
fn forecaster(k: usize) -> AccountId {
	AccountId::new([10 + k as u8; 32])
}
fn reputer(m: usize) -> AccountId {
	AccountId::new([20 + m as u8; 32])
}

fn fx(s: &str) -> Fixed {
	s.parse().unwrap()
}

/// Runs every hook of the mechanism's pallets in the runtime's order up to block `n`.
pub(super) fn run_to(n: BlockNumber) {
	while System::block_number() < n {
		let now = System::block_number();
		Topics::on_finalize(now);
		Inference::on_finalize(now);
		Reputation::on_finalize(now);
		System::set_block_number(now + 1);
		Stake::on_initialize(now + 1);
		Topics::on_initialize(now + 1);
		Inference::on_initialize(now + 1);
		Reputation::on_initialize(now + 1);
	}
}

/// Compares values with the simulator's columns and keeps the largest relative error.
struct Check<'a> {
	table: &'a Table,
	cells: usize,
	worst: (Fixed, String),
}

impl Check<'_> {
	fn cell(&mut self, row: usize, column: &str, got: Fixed) {
		let want = self.table.get(row, column).unwrap_or_else(|| panic!("{column} of row {row}"));
		let err = relative_error(got, want);
		assert!(
			err <= fx("0.000001"),
			"row {} {column}: chain {got}, simulator {want} (relative error {err})",
			300 + row
		);
		self.cells += 1;
		if err > self.worst.0 {
			self.worst = (err, format!("row {} {column}", 300 + row));
		}
	}

	fn list(
		&mut self,
		row: usize,
		values: &[(AccountId, Fixed)],
		column: impl Fn(&AccountId) -> String,
	) {
		for (a, v) in values {
			self.cell(row, &column(a), *v);
		}
	}
}

/// Column index of an account.
fn index(a: &AccountId) -> usize {
	let b: &[u8; 32] = a.as_ref();
	match b[0] {
		x @ 1..=9 => usize::from(x - 1),
		x @ 10..=19 => usize::from(x - 10),
		x => usize::from(x - 20),
	}
}

/// Row `row`'s regrets in the library's shape (for seeding row 300).
fn row_regrets(t: &Table, row: usize) -> Regrets<AccountId> {
	let g = |c: String| t.get(row, &c).unwrap_or_else(|| panic!("{c}"));
	let worker = |w: usize| if w < INFERERS { inferer(w) } else { forecaster(w - INFERERS) };
	let mut r = Regrets::new(Fixed::ZERO);
	for w in 0..INFERERS + FORECASTERS {
		let v = g(format!("inference_regret_worker_{w}"));
		if w < INFERERS {
			r.inferer.insert(worker(w), v);
		} else {
			r.forecaster.insert(worker(w), v);
		}
		for o in 0..INFERERS + FORECASTERS {
			let v = g(format!("inference_regret_worker_{w}_oneout_{o}"));
			let key = (worker(o), worker(w));
			match (o < INFERERS, w < INFERERS) {
				(true, true) => r.one_out_inferer_inferer.insert(key, v),
				(true, false) => r.one_out_inferer_forecaster.insert(key, v),
				(false, true) => r.one_out_forecaster_inferer.insert(key, v),
				(false, false) => r.one_out_forecaster_forecaster.insert(key, v),
			};
		}
	}
	for j in 0..INFERERS {
		r.naive_inferer.insert(inferer(j), g(format!("naive_inference_regret_worker_{j}")));
		for k in 0..FORECASTERS {
			let v = g(format!("inference_regret_worker_{j}_onein_{k}"));
			r.one_in_forecaster_inferer.insert((forecaster(k), inferer(j)), v);
		}
	}
	for k in 0..FORECASTERS {
		let v = g(format!("inference_regret_worker_{INFERERS}_onein_{k}"));
		r.one_in_forecaster_self.insert(forecaster(k), v);
	}
	r
}

/// A bounded list.
fn list<X: std::fmt::Debug, S: frame_support::traits::Get<u32>>(
	v: Vec<X>,
) -> frame_support::BoundedVec<X, S> {
	v.try_into().unwrap()
}

/// Reputer m's bundle of row `row` (its losses judge the previous row's nonce).
fn row_bundle(t: &Table, row: usize, m: usize) -> LossBundleOf<Runtime> {
	let g =
		|x: String| t.get(row, &format!("reputer_{m}_loss_{x}")).unwrap_or_else(|| panic!("{x}"));
	let mut pairs = vec![];
	for k in 0..FORECASTERS {
		for j in 0..INFERERS {
			pairs.push((
				forecaster(k),
				inferer(j),
				g(format!("forecast_implied_inference_{k}_oneout_{j}")),
			));
		}
	}
	LossBundle {
		combined_value: Some(g("network_inference".into())),
		naive_value: Some(g("naive_network_inference".into())),
		inferer_values: list(
			(0..INFERERS).map(|j| (inferer(j), g(format!("inference_{j}")))).collect(),
		),
		forecaster_values: list(
			(0..FORECASTERS)
				.map(|k| (forecaster(k), g(format!("forecast_implied_inference_{k}"))))
				.collect(),
		),
		one_out_inferer_values: list(
			(0..INFERERS)
				.map(|j| (inferer(j), g(format!("network_inference_oneout_{j}"))))
				.collect(),
		),
		one_out_forecaster_values: list(
			(0..FORECASTERS)
				.map(|k| (forecaster(k), g(format!("network_inference_oneout_{}", INFERERS + k))))
				.collect(),
		),
		one_in_forecaster_values: list(
			(0..FORECASTERS)
				.map(|k| (forecaster(k), g(format!("naive_network_inference_onein_{k}"))))
				.collect(),
		),
		one_out_inferer_forecaster_values: pairs.try_into().unwrap(),
	}
}

/// The network inference of row `row`'s nonce against the row's synthesis columns.
fn check_synthesis(c: &mut Check, row: usize, topic: u64, nonce: BlockNumber) {
	let b = Inference::network_inference(topic, Some(nonce)).unwrap();
	assert_eq!(b.mode, pallet_inference::InferenceMode::Regret);
	let stored = pallet_inference::LatestNetworkInference::<Runtime>::get(topic).unwrap();
	assert_eq!(stored.combined_value, b.combined_value);
	c.cell(row, "network_inference", b.combined_value);
	c.cell(row, "network_naive_inference", b.naive_value);
	for (i, v) in b.confidence_interval_values.iter().enumerate() {
		c.cell(row, &format!("network_inference_errorbar_{i}"), *v);
	}
	c.list(row, &b.forecaster_values, |a| format!("forecast_implied_inference_{}", index(a)));
	c.list(row, &b.one_out_inferer_values, |a| format!("network_inference_oneout_{}", index(a)));
	c.list(row, &b.one_out_forecaster_values, |a| {
		format!("network_inference_oneout_{}", INFERERS + index(a))
	});
	c.list(row, &b.one_in_forecaster_values, |a| {
		format!("network_naive_inference_onein_{}", index(a))
	});
	for (k, j, v) in &b.one_out_inferer_forecaster_values {
		c.cell(row, &format!("forecast_implied_inference_{}_oneout_{}", index(k), index(j)), *v);
	}
}

/// A settled round (row `row`'s losses) and the regrets after it against the row's columns.
fn check_settlement(
	c: &mut Check,
	row: usize,
	round: &RoundResults<AccountId, BlockNumber>,
	regrets: &RegretsView<AccountId>,
) {
	let l = &round.network_losses;
	c.cell(row, "network_loss", l.combined_value);
	c.cell(row, "network_naive_loss", l.naive_value);
	c.list(row, &l.inferer_values, |a| format!("inference_loss_{}", index(a)));
	c.list(row, &l.forecaster_values, |a| format!("forecast_implied_inference_loss_{}", index(a)));
	c.list(row, &l.one_out_inferer_values, |a| format!("network_loss_oneout_{}", index(a)));
	c.list(row, &l.one_out_forecaster_values, |a| {
		format!("network_loss_oneout_{}", INFERERS + index(a))
	});
	c.list(row, &l.one_in_forecaster_values, |a| format!("network_naive_loss_onein_{}", index(a)));
	for (k, j, v) in &l.one_out_inferer_forecaster_values {
		c.cell(
			row,
			&format!("forecast_implied_inference_loss_{}_oneout_{}", index(k), index(j)),
			*v,
		);
	}
	let worker = |a: &AccountId| {
		if index_is_forecaster(a) {
			INFERERS + index(a)
		} else {
			index(a)
		}
	};
	c.list(row, &regrets.inferer, |a| format!("inference_regret_worker_{}", worker(a)));
	c.list(row, &regrets.forecaster, |a| format!("inference_regret_worker_{}", worker(a)));
	c.list(row, &regrets.naive_inferer, |a| format!("naive_inference_regret_worker_{}", worker(a)));
	for family in [
		&regrets.one_out_inferer_inferer,
		&regrets.one_out_inferer_forecaster,
		&regrets.one_out_forecaster_inferer,
		&regrets.one_out_forecaster_forecaster,
	] {
		for (o, w, v) in family {
			c.cell(row, &format!("inference_regret_worker_{}_oneout_{}", worker(w), worker(o)), *v);
		}
	}
	for (k, j, v) in &regrets.one_in_forecaster_inferer {
		c.cell(row, &format!("inference_regret_worker_{}_onein_{}", index(j), index(k)), *v);
	}
	for (k, v) in &regrets.one_in_forecaster_self {
		c.cell(row, &format!("inference_regret_worker_{INFERERS}_onein_{}", index(k)), *v);
	}
	assert_eq!(round.reputers.len(), REPUTERS);
	for r in &round.reputers {
		let m = index(&r.reputer);
		c.cell(row, &format!("reputer_score_{m}"), r.score);
		c.cell(row, &format!("reputer_listening_coefficient_{m}"), r.listening_coefficient);
		c.cell(row, &format!("reputer_adjusted_stake_{m}"), r.adjusted_stake);
	}
	c.list(row, &round.inferer_scores, |a| format!("inferer_score_{}", index(a)));
	c.list(row, &round.forecaster_scores, |a| format!("forecaster_score_{}", index(a)));
}

fn index_is_forecaster(a: &AccountId) -> bool {
	let b: &[u8; 32] = a.as_ref();
	(10..20).contains(&b[0])
}

/// The paid round of row `row` against the row's reward columns (amounts in base units are
/// compared as ALLO: 1 base unit = 10^-18).
fn check_rewards(c: &mut Check, row: usize, r: &TopicRewardsView<AccountId, BlockNumber>) {
	let allo = |x: u128| Fixed::from_base_units(x).unwrap();
	c.cell(row, "topic_rewards", allo(r.topic_reward));
	c.cell(row, "inferers_entropy", r.entropies[0]);
	c.cell(row, "forecasters_entropy", r.entropies[1]);
	c.cell(row, "reputers_entropy", r.entropies[2]);
	c.cell(row, "forecaster_task_score", r.forecaster_task_score);
	c.cell(row, "forecaster_score_ratio", r.tau);
	c.cell(row, "forecasters_utility", r.chi);
	let share = |x: u128| allo(x).checked_div(allo(r.topic_reward)).unwrap();
	c.cell(row, "inferers_reward_fraction", share(r.task_rewards[0]));
	c.cell(row, "forecasters_reward_fraction", share(r.task_rewards[1]));
	c.cell(row, "reputers_reward_fraction", share(r.task_rewards[2]));
	for (name, list) in
		[("inferer", &r.inferers), ("forecaster", &r.forecasters), ("reputer", &r.reputers)]
	{
		for a in list.iter() {
			c.cell(row, &format!("{name}_reward_fraction_{}", index(&a.who)), a.fraction);
			c.cell(row, &format!("{name}_reward_{}", index(&a.who)), allo(a.reward));
			// Every reward reached its actor (no delegators in the simulation).
			assert_eq!(a.paid, a.reward, "row {} {name} {}", 300 + row, index(&a.who));
		}
	}
	assert_eq!(r.paid + r.dust, r.topic_reward);
}

/// The smoothed fractions of a role after row `row`'s round against the row's columns.
fn check_smoothed(c: &mut Check, row: usize, topic: u64, role: Role, name: &str) {
	let list = pallet_emissions::SmoothedFractions::<Runtime>::get((topic, role));
	for (a, v) in list.iter() {
		c.cell(row, &format!("{name}_reward_fraction_smooth_{}", index(a)), v.value);
	}
}

/// The σ of spec 6.4 behind a row's forecaster reward fractions: the root of
/// u_0(σ) = the simulator's u_0 (φ(x) = ln(1 + e^{3(x − 0.75)}), ε = 0.01) that reproduces
/// all three fractions.
fn forecaster_sigma(t: &Table, row: usize) -> f64 {
	let g = |c: String| t.get(row, &c).unwrap().to_string().parse::<f64>().unwrap();
	let scores: Vec<f64> = (0..FORECASTERS).map(|k| g(format!("forecaster_score_{k}"))).collect();
	let want: Vec<f64> =
		(0..FORECASTERS).map(|k| g(format!("forecaster_reward_fraction_{k}"))).collect();
	let fractions = |sd: f64| -> Vec<f64> {
		let m: Vec<f64> =
			scores.iter().map(|s| (3.0 * (s / (sd + 0.01) - 0.75)).exp().ln_1p()).collect();
		let total: f64 = m.iter().sum();
		m.iter().map(|x| x / total).collect()
	};
	let err = |sd: f64| fractions(sd)[0] - want[0];
	let grid: Vec<f64> = (0..=4000).map(|i| 10f64.powf(-2.0 + 4.0 * i as f64 / 4000.0)).collect();
	for w in grid.windows(2) {
		let (mut lo, mut hi) = (w[0], w[1]);
		if err(lo) * err(hi) > 0.0 {
			continue;
		}
		for _ in 0..200 {
			let mid = (lo + hi) / 2.0;
			if err(lo) * err(mid) <= 0.0 {
				hi = mid;
			} else {
				lo = mid;
			}
		}
		let sd = (lo + hi) / 2.0;
		if fractions(sd).iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-12) {
			return sd;
		}
	}
	panic!("no σ reproduces row {row}'s forecaster fractions");
}

/// The forecaster scores of rounds 299 and 298 (not in the file) that, with rows 300-302's,
/// give rows 301 and 302 the simulator's σ: a (299's first score) from row 302's window,
/// then 299's other two and 298's first equal to x from row 301's window (spec 6.4: the
/// window is the newest 10 stored scores, newest round first).
fn older_forecaster_scores(t: &Table) -> Vec<f64> {
	let g = |row: usize, k: usize| {
		t.get(row, &format!("forecaster_score_{k}")).unwrap().to_string().parse::<f64>().unwrap()
	};
	let scores = |row: usize| (0..FORECASTERS).map(move |k| g(row, k));
	// Σ(x − μ)² = Σx² − (Σx)²/10 = 9σ² over the window, solved for the unknowns.
	let solve = |known: Vec<f64>, copies: f64, sigma: f64| -> f64 {
		let (s1, s2) = (known.iter().sum::<f64>(), known.iter().map(|x| x * x).sum::<f64>());
		let a = copies - copies * copies / 10.0;
		let b = -2.0 * copies * s1 / 10.0;
		let c = s2 - s1 * s1 / 10.0 - 9.0 * sigma * sigma;
		(-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a)
	};
	let known302: Vec<f64> = scores(2).chain(scores(1)).chain(scores(0)).collect();
	let a = solve(known302, 1.0, forecaster_sigma(t, 2));
	let known301: Vec<f64> = scores(1).chain(scores(0)).chain([a]).collect();
	let x = solve(known301, 3.0, forecaster_sigma(t, 1));
	assert!(a.is_finite() && x.is_finite());
	vec![a, x, x, x]
}

/// A test-side value as fixed point.
fn fixed(x: f64) -> Fixed {
	format!("{x:.18}").parse().unwrap()
}

/// Seeds the reward state of row 300: the σ histories (with the reconstructed forecaster
/// scores of rounds 299 and 298), the smoothed fractions of every role and τ.
fn seed_reward_state(t: &Table, topic: u64) {
	let g = |c: String| t.get(0, &c).unwrap_or_else(|| panic!("{c}"));
	let inferer_history: Vec<Fixed> =
		(0..INFERERS).map(|j| g(format!("inferer_score_{j}"))).collect();
	let mut forecaster_history: Vec<Fixed> =
		(0..FORECASTERS).map(|k| g(format!("forecaster_score_{k}"))).collect();
	forecaster_history.extend(older_forecaster_scores(t).into_iter().map(fixed));
	pallet_emissions::ScoreHistory::<Runtime>::insert(
		(topic, Role::Inferer),
		list(inferer_history),
	);
	pallet_emissions::ScoreHistory::<Runtime>::insert(
		(topic, Role::Forecaster),
		list(forecaster_history),
	);
	let smoothed = |name: &str, accounts: Vec<AccountId>| {
		let v: Vec<(AccountId, RegretValue<BlockNumber>)> = accounts
			.into_iter()
			.map(|a| {
				let value = g(format!("{name}_reward_fraction_smooth_{}", index(&a)));
				(a, RegretValue { value, nonce: 0 })
			})
			.collect();
		list(v)
	};
	pallet_emissions::SmoothedFractions::<Runtime>::insert(
		(topic, Role::Inferer),
		smoothed("inferer", (0..INFERERS).map(inferer).collect()),
	);
	pallet_emissions::SmoothedFractions::<Runtime>::insert(
		(topic, Role::Forecaster),
		smoothed("forecaster", (0..FORECASTERS).map(forecaster).collect()),
	);
	pallet_emissions::SmoothedFractions::<Runtime>::insert(
		(topic, Role::Reputer),
		smoothed("reputer", (0..REPUTERS).map(reputer).collect()),
	);
	pallet_emissions::ForecasterScoreRatio::<Runtime>::insert(
		topic,
		g("forecaster_score_ratio".into()),
	);
}

/// Makes the next settlement's topic reward E_t equal row `row`'s `topic_rewards`.
fn fund_round(t: &Table, row: usize) {
	fund_topic_reward(t.get(row, "topic_rewards").unwrap());
}

/// Makes the next settlement's topic reward E_t equal `reward` ALLO: the reward treasury holds
/// exactly that (above its existential deposit) and the block's emission share is larger, so
/// E_t = min((w/W)·e_blk·E, treasury) is the treasury (spec 7.2).
pub(super) fn fund_topic_reward(reward: Fixed) {
	let want = Balance::try_from(reward.into_raw()).unwrap();
	let treasury = Emissions::rewards_account();
	let have = Balances::free_balance(&treasury);
	let target = want + EXISTENTIAL_DEPOSIT;
	if have < target {
		assert_ok!(Balances::mint_into(&treasury, target - have));
	} else if have > target {
		assert_ok!(<Balances as Mutate<AccountId>>::burn_from(
			&treasury,
			have - target,
			frame_support::traits::tokens::Preservation::Preserve,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Fortitude::Polite,
		));
	}
	pallet_emissions::RewardBlockEmission::<Runtime>::put(1_000_000 * ALLO);
}

/// Stake of reputer m in row `row`, in base units (ALLO × 10^18, floored: spec 10.2).
fn stake(t: &Table, row: usize, m: usize) -> Balance {
	let s = t.get(row, &format!("reputer_stake_{m}")).unwrap();
	Balance::try_from(s.into_raw()).unwrap()
}

#[test]
fn simulator_rows_300_to_305_replay_through_the_runtime() {
	let Some(t) = simulator() else { return };
	ext_for_preset("development").execute_with(|| {
		System::set_block_number(1);
		let signed = |a: &AccountId| RuntimeOrigin::signed(a.clone());
		let creator = inferer(0);
		let everyone: Vec<AccountId> = (0..INFERERS)
			.map(inferer)
			.chain((0..FORECASTERS).map(forecaster))
			.chain((0..REPUTERS).map(reputer))
			.collect();
		for a in &everyone {
			assert_ok!(Balances::mint_into(a, 10_000_000 * ALLO));
		}
		let config = TopicConfig {
			metadata: b"simulator".to_vec().try_into().unwrap(),
			loss_method: b"log10 mse".to_vec().try_into().unwrap(),
			epoch_length: E,
			ground_truth_lag: E,
			worker_submission_window: W,
			p_norm: fx("3"),
			alpha_regret: fx("0.1"),
			allow_negative: false,
			epsilon: fx("0.01"),
			merit_sortition_alpha: fx("0.1"),
			active_inferer_quantile: fx("0.25"),
			active_forecaster_quantile: fx("0.25"),
			active_reputer_quantile: fx("0.25"),
			inference_range: pallet_topics::ValueRange::WIDEST_INFERENCE,
			loss_range: pallet_topics::ValueRange::WIDEST_LOSS,
		};
		// The simulator's reward settings (spec 10.4: p = 3, 3 and 1 for inferers, forecasters
		// and reputers; the network defaults are 1, 3 and 3).
		pallet_topics::Params::<Runtime>::mutate(|p| {
			p.p_reward_inference = fx("3");
			p.p_reward_forecast = fx("3");
			p.p_reward_reputer = fx("1");
			p.c_reward_inference = fx("0.75");
			p.c_reward_forecast = fx("0.75");
		});
		let topic = pallet_topics::NextTopicId::<Runtime>::get();
		assert_ok!(Topics::create_topic(signed(&creator), config));
		for a in everyone.iter().take(INFERERS + FORECASTERS) {
			assert_ok!(Inference::register_worker(signed(a), topic));
		}
		for m in 0..REPUTERS {
			assert_ok!(Stake::register_reputer(signed(&reputer(m)), topic));
			assert_ok!(Stake::add_stake(signed(&reputer(m)), topic, stake(&t, 0, m)));
		}

		// Row 300 is the state the replay starts from (spec 10.3).
		let seeded = row_regrets(&t, 0);
		let experienced: Vec<Fixed> =
			seeded.inferer.values().chain(seeded.forecaster.values()).copied().collect();
		let params = RegretParams {
			alpha_regret: fx("0.1"),
			initial_regret_quantile: fx("0.25"),
			p_norm_safe_div: fx("8.25"),
			c_norm: fx("0.75"),
			p_norm: fx("3"),
			epsilon: fx("0.01"),
		};
		let initial = allora_synthesis::regrets::initial_regret(&experienced, &params).unwrap();
		Reputation::store_regrets(topic, seeded, 0);
		Topics::set_initial_regret(topic, initial);
		let l_star = LossBundle {
			combined_value: Some(t.get(0, "network_loss").unwrap()),
			naive_value: Some(t.get(0, "network_naive_loss").unwrap()),
			inferer_values: Default::default(),
			forecaster_values: Default::default(),
			one_out_inferer_values: Default::default(),
			one_out_forecaster_values: Default::default(),
			one_in_forecaster_values: Default::default(),
			one_out_inferer_forecaster_values: Default::default(),
		};
		pallet_reputation::NetworkLosses::<Runtime>::insert(topic, (0, l_star));
		for m in 0..REPUTERS {
			let a = t.get(0, &format!("reputer_listening_coefficient_{m}")).unwrap();
			pallet_reputation::ListeningCoefficients::<Runtime>::insert(topic, reputer(m), a);
		}
		seed_reward_state(&t, topic);
		let mut paid = BTreeMap::new();

		let first = pallet_topics::NextEpochEnd::<Runtime>::get(topic).expect("active");
		let nonce = |row: usize| first + E * row as BlockNumber;
		let mut check = Check { table: &t, cells: 0, worst: (Fixed::ZERO, String::new()) };
		let mut settled = BTreeMap::new();
		for row in 0..t.rows.len() {
			let n = nonce(row);
			run_to(n + 1);
			if row >= 2 {
				// Block n + 1 settles and pays row − 1's losses.
				fund_round(&t, row - 1);
			}
			for j in 0..INFERERS {
				let v = t.get(row, &format!("inference_{j}")).unwrap();
				assert_ok!(Inference::submit_worker_payload(
					signed(&inferer(j)),
					topic,
					n,
					Some(v),
					None
				));
			}
			for k in 0..FORECASTERS {
				let elements: Vec<_> = (0..INFERERS)
					.map(|j| pallet_inference::ForecastElement {
						inferer: inferer(j),
						value: t.get(row, &format!("forecasted_loss_{k}_for_{j}")).unwrap(),
					})
					.collect();
				assert_ok!(Inference::submit_worker_payload(
					signed(&forecaster(k)),
					topic,
					n,
					None,
					Some(elements.try_into().unwrap())
				));
			}
			// Block n + 1 settled the nonce judged by the previous row's losses.
			run_to(n + 2);
			if row >= 2 {
				let round =
					<Runtime as ReputationApiV1<Block, AccountId, BlockNumber>>::latest_round(
						topic,
					)
					.unwrap();
				assert_eq!(round.nonce, nonce(row - 2));
				let regrets =
					<Runtime as ReputationApiV1<Block, AccountId, BlockNumber>>::regrets(topic)
						.unwrap();
				settled.insert(row - 1, (round, regrets));
				let r =
					<Runtime as EmissionsApiV1<Block, AccountId, BlockNumber>>::last_rewards(topic)
						.unwrap();
				assert_eq!(r.nonce, nonce(row - 2));
				paid.insert(row - 1, r);
			}
			if row >= 1 {
				// This row's stakes, then its losses for the previous row's nonce. From row 302
				// on, the previous round's compounded reward already gave the simulator's stake
				// (its row e + 1 stake is row e's plus the reward) up to the file's 16
				// significant digits; the rest is topped up.
				for m in 0..REPUTERS {
					let have =
						pallet_stake::StakeReputerAuthority::<Runtime>::get(topic, reputer(m));
					let want = stake(&t, row, m);
					if row >= 2 {
						assert!(
							have.abs_diff(want) <= want / 1_000_000_000_000,
							"row {} reputer {m}: {have} vs {want}",
							300 + row
						);
					}
					if want > have {
						assert_ok!(Stake::add_stake(signed(&reputer(m)), topic, want - have));
					}
					assert_ok!(Reputation::submit_loss_bundle(
						signed(&reputer(m)),
						topic,
						nonce(row - 1),
						Box::new(row_bundle(&t, row, m))
					));
				}
			}
			run_to(n + W + 1);
			if row >= 1 {
				check_synthesis(&mut check, row, topic, n);
			}
		}
		// The last row's losses settle two epochs after its nonce.
		let last = t.rows.len() - 1;
		run_to(nonce(last + 1) + 1);
		fund_round(&t, last);
		run_to(nonce(last + 1) + 2);
		paid.insert(
			last,
			<Runtime as EmissionsApiV1<Block, AccountId, BlockNumber>>::last_rewards(topic)
				.unwrap(),
		);
		let round =
			<Runtime as ReputationApiV1<Block, AccountId, BlockNumber>>::latest_round(topic)
				.unwrap();
		assert_eq!(round.nonce, nonce(last - 1));
		let regrets =
			<Runtime as ReputationApiV1<Block, AccountId, BlockNumber>>::regrets(topic).unwrap();
		settled.insert(last, (round, regrets));

		assert_eq!(settled.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
		for (row, (round, regrets)) in &settled {
			check_settlement(&mut check, *row, round, regrets);
		}
		// Per settled row: 36 losses, 8 + 5 + 64 + 18 regrets, 15 reputer and 8 worker values;
		// per synthesis row: 36 values.
		assert_eq!(check.cells, 5 * (36 + 95 + 15 + 8) + 5 * 36);
		assert_eq!(paid.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
		for (row, r) in &paid {
			check_rewards(&mut check, *row, r);
		}
		// The smoothed fractions after the last round (earlier rows' were overwritten).
		check_smoothed(&mut check, last, topic, Role::Inferer, "inferer");
		check_smoothed(&mut check, last, topic, Role::Forecaster, "forecaster");
		check_smoothed(&mut check, last, topic, Role::Reputer, "reputer");
		// Per paid row: E_t, 3 entropies, T_i, τ, χ, 3 task shares, 13 fractions and 13
		// rewards; the last row's 13 smoothed fractions.
		assert_eq!(check.cells, 5 * (36 + 95 + 15 + 8) + 5 * 36 + 5 * 36 + 13);
		eprintln!("largest relative error {} at {}", check.worst.0, check.worst.1);
		Reputation::do_try_state().unwrap();
		Stake::do_try_state().unwrap();
		Emissions::do_try_state().unwrap();
	});
}
