//! Runtime-level fuzzing (issue 12): long random sequences of every pallet's calls, valid and
//! invalid (extreme values, unknown ids, wrong roles, governance edits of every parameter),
//! with the pallets' hooks running block after block. After every block each pallet's
//! `do_try_state` must hold, the total issuance must stay at or below the hard cap and move
//! only by the emission's mint (and dust, reported), and a sample of failed calls must leave the
//! state root untouched.
//!
//! `ALLORA_FUZZ_CALLS` (default 100 000) and `ALLORA_FUZZ_SEED` (default 1) choose the run;
//! the test prints the counts it reached, so a failure names its seed.

use super::ext_for_preset;
use crate::*;
use allora_math::Fixed;
use frame_support::{traits::Hooks, BoundedVec};
use pallet_inference::ForecastElement;
use pallet_reputation::{LossBundle, LossBundleOf};
use pallet_topics::{ParamsUpdate, TopicConfig, TopicId, TopicUpdate, ValueRange};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::Dispatchable;

/// SplitMix64: small, seedable and good enough to drive call choices.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next() % n
		}
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
	fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
		items.get(self.below(items.len() as u64) as usize).cloned()
	}
}

const ACTORS: u8 = 24;
const UNIT: i128 = 1_000_000_000_000_000_000;

fn actor(i: u8) -> AccountId {
	AccountId::new([100 + i; 32])
}

fn fx(s: &str) -> Fixed {
	s.parse().unwrap()
}

/// A value around `centre` (± `spread` units) most of the time; otherwise a bound of
/// `range`, just outside it, zero or an extreme of the fixed-point type.
fn value(rng: &mut Rng, centre: i128, spread: i128, range: ValueRange) -> Fixed {
	match rng.below(16) {
		0 => range.max,
		1 => range.min,
		2 => Fixed::from_raw(range.max.into_raw().saturating_add(1)),
		3 => Fixed::from_raw(range.min.into_raw().saturating_sub(1)),
		4 => Fixed::MAX,
		5 => Fixed::MIN,
		6 => Fixed::ZERO,
		_ => {
			let offset = (rng.next() as i128).rem_euclid(2 * spread * UNIT + 1) - spread * UNIT;
			Fixed::from_raw(centre * UNIT + offset)
		},
	}
}

fn topic_config(rng: &mut Rng) -> TopicConfig<BlockNumber> {
	let e = *[0u32, 1, 2, 4, 6, 9, 1_000_000].get(rng.below(7) as usize).unwrap_or(&6);
	let w = *[0u32, 1, 2, e.saturating_sub(1), e].get(rng.below(5) as usize).unwrap_or(&1);
	let g = *[e, 2 * e, 49 * e, 50 * e, 0].get(rng.below(5) as usize).unwrap_or(&e);
	let p = *["2.5", "3", "4.5", "2.4", "9"].get(rng.below(5) as usize).unwrap_or(&"3");
	let ranges = [
		ValueRange { min: fx("0"), max: fx("1000") },
		ValueRange::WIDEST_INFERENCE,
		ValueRange { min: fx("5"), max: fx("5") },
		ValueRange { min: Fixed::MIN, max: Fixed::MAX },
	];
	let losses = [
		ValueRange { min: fx("-100"), max: fx("100") },
		ValueRange::WIDEST_LOSS,
		ValueRange { min: fx("1"), max: fx("-1") },
	];
	TopicConfig {
		metadata: b"fuzz".to_vec().try_into().unwrap(),
		loss_method: if rng.chance(5) {
			Default::default()
		} else {
			b"mse".to_vec().try_into().unwrap()
		},
		epoch_length: e,
		ground_truth_lag: g,
		worker_submission_window: w,
		p_norm: fx(p),
		alpha_regret: if rng.chance(5) { fx("0") } else { fx("0.1") },
		allow_negative: rng.chance(50),
		epsilon: *[fx("0.01"), fx("0"), fx("0.000000001"), fx("1000")]
			.get(rng.below(4) as usize)
			.unwrap_or(&fx("0.01")),
		merit_sortition_alpha: fx("0.1"),
		active_inferer_quantile: fx("0.2"),
		active_forecaster_quantile: fx("0.2"),
		active_reputer_quantile: if rng.chance(5) { fx("1") } else { fx("0.2") },
		inference_range: rng.pick(&ranges).unwrap_or(ValueRange::WIDEST_INFERENCE),
		loss_range: rng.pick(&losses).unwrap_or(ValueRange::WIDEST_LOSS),
	}
}

/// One governance edit of one network parameter, valid or not.
fn params_update(rng: &mut Rng) -> ParamsUpdate {
	let mut u = ParamsUpdate::default();
	let n = |rng: &mut Rng, values: &[u32]| rng.pick(values);
	let f = |rng: &mut Rng, values: &[&str]| rng.pick(values).map(fx);
	match rng.below(16) {
		0 => u.max_top_inferers_to_reward = n(rng, &[0, 1, 3, 8, 32, 33]),
		1 => u.max_top_forecasters_to_reward = n(rng, &[0, 1, 8, 9]),
		2 => u.max_top_reputers_to_reward = n(rng, &[0, 1, 4, 8, 9]),
		3 => u.max_unfulfilled_reputer_requests = n(rng, &[0, 3, 4, 10, 100, 101]),
		4 => u.gradient_descent_max_iters = n(rng, &[0, 1, 20, 21, 100]),
		5 => u.max_samples_to_scale_scores = n(rng, &[0, 1, 10, 64, 65]),
		6 => u.half_max_process_stake_removals_end_block = n(rng, &[0, 1, 40, 41]),
		7 => u.min_epoch_length = n(rng, &[0, 1, 2, 50]),
		8 => u.c_norm = f(rng, &["0", "0.75", "10", "10.1"]),
		9 => u.epsilon_safe_div = f(rng, &["0", "0.0000001", "0.0001", "0.1"]),
		10 => u.p_norm_safe_div = f(rng, &["-1", "8.25", "100", "101"]),
		11 => u.validators_vs_allora_percent_reward = f(rng, &["0", "0.25", "1", "1.01"]),
		12 => u.inference_outlier_mads = f(rng, &["0", "1", "12", "1000", "1001"]),
		13 => u.blocks_per_month = n(rng, &[0, 1, 40, 432_000]),
		14 => u.max_elements_per_forecast = n(rng, &[0, 1, 4, 16, 17]),
		_ => u.learning_rate = f(rng, &["0", "0.05", "1"]),
	}
	u
}

/// The state the generator reads to aim most calls at things that exist.
struct World {
	topics: Vec<TopicId>,
}

fn workers_of(topic: TopicId) -> Vec<AccountId> {
	(0..ACTORS)
		.map(actor)
		.filter(|a| pallet_inference::Workers::<Runtime>::contains_key(topic, a))
		.collect()
}

fn bundle_for(
	rng: &mut Rng,
	topic: TopicId,
	nonce: BlockNumber,
	loss: ValueRange,
) -> LossBundleOf<Runtime> {
	let inferers: Vec<AccountId> = pallet_inference::Inferences::<Runtime>::get(topic, nonce)
		.into_iter()
		.map(|(a, _)| a)
		.collect();
	let forecasters: Vec<AccountId> = pallet_inference::Forecasts::<Runtime>::get(topic, nonce)
		.into_iter()
		.map(|(a, _)| a)
		.collect();
	let mut l = |rng: &mut Rng| value(rng, -2, 1, loss);
	let mut pairs = Vec::new();
	for k in &forecasters {
		for j in &inferers {
			if rng.chance(80) {
				pairs.push((k.clone(), j.clone(), l(rng)));
			}
		}
	}
	let singles = |rng: &mut Rng, list: &[AccountId], l: &mut dyn FnMut(&mut Rng) -> Fixed| {
		let mut v: Vec<(AccountId, Fixed)> = list.iter().map(|a| (a.clone(), l(rng))).collect();
		if rng.chance(3) {
			v.push((actor(ACTORS - 1), l(rng)));
		}
		v
	};
	// The lists the round produced (decision 12), and now and then one it did not.
	let produced = pallet_inference::Rounds::<Runtime>::get(topic, nonce)
		.map(|r| r.produced)
		.unwrap_or_default();
	let keep = |rng: &mut Rng, produced: bool| produced != rng.chance(3);
	let (f, oi, of, oif, pf) = (
		keep(rng, produced.forecaster),
		keep(rng, produced.one_out_inferer),
		keep(rng, produced.one_out_forecaster),
		keep(rng, produced.one_in_forecaster),
		keep(rng, produced.one_out_inferer_forecaster),
	);
	let mut maybe = |rng: &mut Rng, on: bool, list: &[AccountId]| {
		if on {
			singles(rng, list, &mut l)
		} else {
			Vec::new()
		}
	};
	LossBundle {
		combined_value: if rng.chance(2) { None } else { Some(value(rng, -2, 1, loss)) },
		naive_value: Some(value(rng, -2, 1, loss)),
		inferer_values: BoundedVec::truncate_from(maybe(rng, true, &inferers)),
		forecaster_values: BoundedVec::truncate_from(maybe(rng, f, &forecasters)),
		one_out_inferer_values: BoundedVec::truncate_from(maybe(rng, oi, &inferers)),
		one_out_forecaster_values: BoundedVec::truncate_from(maybe(rng, of, &forecasters)),
		one_in_forecaster_values: BoundedVec::truncate_from(maybe(rng, oif, &forecasters)),
		one_out_inferer_forecaster_values: BoundedVec::truncate_from(if pf {
			pairs
		} else {
			Vec::new()
		}),
	}
}

/// A random call with the origin it is sent from.
fn random_call(rng: &mut Rng, world: &World) -> (RuntimeOrigin, RuntimeCall) {
	let who = actor(rng.below(ACTORS as u64) as u8);
	let signed = RuntimeOrigin::signed(who.clone());
	let topic = if rng.chance(95) { rng.pick(&world.topics).unwrap_or(1) } else { 999 };
	let config = pallet_topics::Topics::<Runtime>::get(topic).map(|t| t.config);
	let (inference_range, loss_range) = config
		.as_ref()
		.map(|c| (c.inference_range, c.loss_range))
		.unwrap_or((ValueRange::WIDEST_INFERENCE, ValueRange::WIDEST_LOSS));
	let amount = |rng: &mut Rng| -> u128 {
		*[0u128, 1, ALLO / 100, ALLO, 50 * ALLO, u128::MAX]
			.get(rng.below(6) as usize)
			.unwrap_or(&ALLO)
	};
	match rng.below(100) {
		// Worker payloads: the hot path.
		0..=39 => {
			let open = pallet_inference::OpenWorkerNonces::<Runtime>::get(topic).into_inner();
			let nonce = if rng.chance(90) {
				rng.pick(&open).unwrap_or(1)
			} else {
				rng.below(500) as BlockNumber
			};
			let workers = workers_of(topic);
			let worker = if rng.chance(90) { rng.pick(&workers).unwrap_or(who) } else { who };
			let inference =
				if rng.chance(85) { Some(value(rng, 100, 5, inference_range)) } else { None };
			let forecast = if rng.chance(40) {
				let n = 1 + rng.below(4);
				let elements: Vec<_> = (0..n)
					.map(|_| ForecastElement {
						inferer: rng.pick(&workers).unwrap_or(actor(0)),
						value: value(rng, -2, 1, loss_range),
					})
					.collect();
				Some(BoundedVec::truncate_from(elements))
			} else {
				None
			};
			(
				RuntimeOrigin::signed(worker),
				RuntimeCall::Inference(pallet_inference::Call::submit_worker_payload {
					topic_id: topic,
					nonce,
					inference,
					forecast,
				}),
			)
		},
		// Loss bundles.
		40..=54 => {
			let nonces = pallet_inference::ReputerNonces::<Runtime>::get(topic).into_inner();
			let nonce = rng.pick(&nonces).unwrap_or(1);
			let reputers: Vec<AccountId> = (0..ACTORS)
				.map(actor)
				.filter(|a| pallet_stake::Reputers::<Runtime>::contains_key(topic, a))
				.collect();
			let reputer = if rng.chance(90) { rng.pick(&reputers).unwrap_or(who) } else { who };
			let bundle = Box::new(bundle_for(rng, topic, nonce, loss_range));
			(
				RuntimeOrigin::signed(reputer),
				RuntimeCall::Reputation(pallet_reputation::Call::submit_loss_bundle {
					topic_id: topic,
					nonce,
					bundle,
				}),
			)
		},
		55..=59 => (
			signed,
			RuntimeCall::Inference(pallet_inference::Call::register_worker { topic_id: topic }),
		),
		60..=61 => (
			signed,
			RuntimeCall::Inference(pallet_inference::Call::unregister_worker { topic_id: topic }),
		),
		62..=63 => {
			(signed, RuntimeCall::Stake(pallet_stake::Call::register_reputer { topic_id: topic }))
		},
		64 => {
			(signed, RuntimeCall::Stake(pallet_stake::Call::unregister_reputer { topic_id: topic }))
		},
		65..=68 => (
			signed,
			RuntimeCall::Stake(pallet_stake::Call::add_stake {
				topic_id: topic,
				amount: amount(rng),
			}),
		),
		69..=70 => (
			signed,
			RuntimeCall::Stake(pallet_stake::Call::remove_stake {
				topic_id: topic,
				amount: amount(rng),
			}),
		),
		71 => (
			signed,
			RuntimeCall::Stake(pallet_stake::Call::cancel_remove_stake { topic_id: topic }),
		),
		72..=74 => {
			let reputer = actor(rng.below(ACTORS as u64) as u8);
			(
				signed,
				RuntimeCall::Stake(pallet_stake::Call::delegate_stake {
					topic_id: topic,
					reputer,
					amount: amount(rng),
				}),
			)
		},
		75..=76 => {
			let reputer = actor(rng.below(ACTORS as u64) as u8);
			(
				signed,
				RuntimeCall::Stake(pallet_stake::Call::remove_delegate_stake {
					topic_id: topic,
					reputer,
					amount: amount(rng),
				}),
			)
		},
		77 => {
			let reputer = actor(rng.below(ACTORS as u64) as u8);
			(
				signed,
				RuntimeCall::Stake(pallet_stake::Call::cancel_remove_delegate_stake {
					topic_id: topic,
					reputer,
				}),
			)
		},
		78..=79 => {
			let reputer = actor(rng.below(ACTORS as u64) as u8);
			(
				signed,
				RuntimeCall::Stake(pallet_stake::Call::claim_delegator_reward {
					topic_id: topic,
					reputer,
				}),
			)
		},
		80..=82 => (
			signed,
			RuntimeCall::Topics(pallet_topics::Call::fund_topic {
				topic_id: topic,
				amount: amount(rng),
			}),
		),
		83..=84 => (
			signed,
			RuntimeCall::Topics(pallet_topics::Call::create_topic { config: topic_config(rng) }),
		),
		85..=88 => (
			RuntimeOrigin::root(),
			RuntimeCall::Topics(pallet_topics::Call::update_params {
				update: Box::new(params_update(rng)),
			}),
		),
		89..=90 => {
			let c = topic_config(rng);
			let update = TopicUpdate {
				epoch_length: rng.chance(30).then_some(c.epoch_length),
				ground_truth_lag: rng.chance(30).then_some(c.ground_truth_lag),
				worker_submission_window: rng.chance(30).then_some(c.worker_submission_window),
				epsilon: rng.chance(30).then_some(c.epsilon),
				inference_range: rng.chance(30).then_some(c.inference_range),
				loss_range: rng.chance(30).then_some(c.loss_range),
				..Default::default()
			};
			(
				RuntimeOrigin::root(),
				RuntimeCall::Topics(pallet_topics::Call::update_topic { topic_id: topic, update }),
			)
		},
		91..=92 => {
			let mut params = pallet_emissions::Params::<Runtime>::get();
			match rng.below(4) {
				0 => {
					params.max_supply = *[0, MAX_SUPPLY, MAX_SUPPLY + 1, Balances::total_issuance()]
						.get(rng.below(4) as usize)
						.unwrap_or(&MAX_SUPPLY)
				},
				1 => {
					params.f_emission = *[fx("0"), fx("0.025"), fx("1"), fx("1.1")]
						.get(rng.below(4) as usize)
						.unwrap_or(&fx("0.025"))
				},
				2 => {
					params.maximum_monthly_percentage_yield = *[fx("0"), fx("0.0095"), fx("1")]
						.get(rng.below(3) as usize)
						.unwrap_or(&fx("0.0095"))
				},
				_ => params.team_percent_of_total_supply = fx("0.2"),
			}
			(
				RuntimeOrigin::root(),
				RuntimeCall::Emissions(pallet_emissions::Call::update_params {
					params,
					recalculate: rng.chance(50),
				}),
			)
		},
		93 => (
			RuntimeOrigin::root(),
			RuntimeCall::Emissions(pallet_emissions::Call::recalculate_emission {}),
		),
		94 => (
			signed,
			RuntimeCall::Topics(pallet_topics::Call::update_params {
				update: Box::new(params_update(rng)),
			}),
		),
		95 => {
			let worker = rng.pick(&workers_of(topic)).unwrap_or(who);
			(
				signed,
				RuntimeCall::Inference(pallet_inference::Call::prune_worker {
					topic_id: topic,
					worker,
				}),
			)
		},
		96 => {
			let reputer = actor(rng.below(ACTORS as u64) as u8);
			(
				signed,
				RuntimeCall::Stake(pallet_stake::Call::prune_reputer { topic_id: topic, reputer }),
			)
		},
		97 => (signed, RuntimeCall::Topics(pallet_topics::Call::remove_topic { topic_id: topic })),
		_ => {
			let dest = actor(rng.below(ACTORS as u64) as u8).into();
			(
				signed,
				RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
					dest,
					value: amount(rng),
				}),
			)
		},
	}
}

/// One block's hooks of the project's pallets (finalize `now`, initialize `now + 1`).
fn next_block() {
	let now = System::block_number();
	Topics::on_finalize(now);
	Inference::on_finalize(now);
	Stake::on_finalize(now);
	Reputation::on_finalize(now);
	Emissions::on_finalize(now);
	System::set_block_number(now + 1);
	Topics::on_initialize(now + 1);
	Inference::on_initialize(now + 1);
	Stake::on_initialize(now + 1);
	Reputation::on_initialize(now + 1);
	Emissions::on_initialize(now + 1);
}

/// Mints, burns and dust of the block's balance events; the events are then cleared.
fn balance_flows() -> (u128, u128, u128) {
	let (mut minted, mut burned, mut dust) = (0u128, 0u128, 0u128);
	for record in System::events() {
		match record.event {
			RuntimeEvent::Balances(pallet_balances::Event::Minted { amount, .. }) => {
				minted += amount
			},
			RuntimeEvent::Balances(pallet_balances::Event::Burned { amount, .. }) => {
				burned += amount
			},
			RuntimeEvent::Balances(pallet_balances::Event::DustLost { amount, .. }) => {
				dust += amount
			},
			_ => {},
		}
	}
	System::reset_events();
	(minted, burned, dust)
}

fn check_invariants(
	seed: u64,
	start_issuance: u128,
	start_minted: u128,
	flows: (u128, u128, u128),
) {
	let block = System::block_number();
	let ctx = |what: &str, e: sp_runtime::TryRuntimeError| {
		panic!("seed {seed}, block {block}: {what} try_state: {e:?}")
	};
	Topics::do_try_state().unwrap_or_else(|e| ctx("topics", e));
	Inference::do_try_state().unwrap_or_else(|e| ctx("inference", e));
	Stake::do_try_state().unwrap_or_else(|e| ctx("stake", e));
	Reputation::do_try_state().unwrap_or_else(|e| ctx("reputation", e));
	Emissions::do_try_state().unwrap_or_else(|e| ctx("emissions", e));
	let issuance = Balances::total_issuance();
	assert!(
		issuance <= MAX_SUPPLY,
		"seed {seed}, block {block}: issuance {issuance} above the cap"
	);
	let (minted, burned, dust) = flows;
	assert_eq!(
		issuance,
		start_issuance + minted - burned - dust,
		"seed {seed}, block {block}: issuance moved by something else than mint, burn and dust"
	);
	assert_eq!(burned, 0, "seed {seed}, block {block}: something burned ALLO");
	assert_eq!(
		pallet_emissions::EcosystemMinted::<Runtime>::get() - start_minted,
		minted,
		"seed {seed}, block {block}: a mint that is not the emission's"
	);
}

/// Funds the actors, shortens epochs and opens two active topics with workers and reputers.
fn setup() -> World {
	let alice = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
	for i in 0..ACTORS {
		let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: actor(i).into(),
			value: 10_000 * ALLO,
		});
		call.dispatch(alice.clone()).expect("funding");
	}
	let update = ParamsUpdate { min_epoch_length: Some(2), ..Default::default() };
	Topics::update_params(RuntimeOrigin::root(), Box::new(update)).expect("params");
	let mut topics = Vec::new();
	for (e, g) in [(6u32, 6u32), (10, 20)] {
		let id = pallet_topics::NextTopicId::<Runtime>::get();
		let config = TopicConfig {
			metadata: b"fuzz".to_vec().try_into().unwrap(),
			loss_method: b"mse".to_vec().try_into().unwrap(),
			epoch_length: e,
			ground_truth_lag: g,
			worker_submission_window: e / 2,
			p_norm: fx("3"),
			alpha_regret: fx("0.1"),
			allow_negative: false,
			epsilon: fx("0.01"),
			merit_sortition_alpha: fx("0.1"),
			active_inferer_quantile: fx("0.2"),
			active_forecaster_quantile: fx("0.2"),
			active_reputer_quantile: fx("0.2"),
			inference_range: ValueRange { min: fx("0"), max: fx("1000000") },
			loss_range: ValueRange { min: fx("-100"), max: fx("100") },
		};
		Topics::create_topic(RuntimeOrigin::signed(actor(0)), config).expect("topic");
		for i in 0..8 {
			Inference::register_worker(RuntimeOrigin::signed(actor(i)), id).expect("worker");
		}
		for i in 8..12 {
			let origin = RuntimeOrigin::signed(actor(i));
			Stake::register_reputer(origin.clone(), id).expect("reputer");
			Stake::add_stake(origin, id, 100 * ALLO).expect("stake");
		}
		topics.push(id);
	}
	World { topics }
}

#[test]
fn random_call_sequences_keep_every_invariant() {
	let calls: u64 =
		std::env::var("ALLORA_FUZZ_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
	let seed: u64 =
		std::env::var("ALLORA_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
	ext_for_preset("development").execute_with(|| {
		System::set_block_number(1);
		let mut world = setup();
		let _ = balance_flows();
		let start_issuance = Balances::total_issuance();
		let start_minted = pallet_emissions::EcosystemMinted::<Runtime>::get();
		let mut flows = (0u128, 0u128, 0u128);
		let mut rng = Rng(seed);
		let (mut ok, mut failed, mut roots_checked, mut blocks) = (0u64, 0u64, 0u64, 0u64);
		let (mut pruned, mut removed) = (0u64, 0u64);
		for i in 0..calls {
			let (origin, call) = random_call(&mut rng, &world);
			let check_root = rng.chance(3);
			let before = check_root.then(|| sp_io::storage::root(sp_runtime::StateVersion::V1));
			match call.clone().dispatch(origin) {
				Ok(_) => {
					ok += 1;
					match call {
						RuntimeCall::Topics(pallet_topics::Call::create_topic { .. }) => {
							let next = pallet_topics::NextTopicId::<Runtime>::get();
							world.topics.push(next - 1);
						},
						RuntimeCall::Inference(pallet_inference::Call::prune_worker { .. })
						| RuntimeCall::Stake(pallet_stake::Call::prune_reputer { .. }) => pruned += 1,
						RuntimeCall::Topics(pallet_topics::Call::remove_topic { .. }) => {
							removed += 1
						},
						_ => {},
					}
				},
				Err(e) => {
					failed += 1;
					if let Some(before) = before {
						roots_checked += 1;
						let after = sp_io::storage::root(sp_runtime::StateVersion::V1);
						assert_eq!(
							before, after,
							"seed {seed}, call {i}: {call:?} failed ({e:?}) but changed state"
						);
					}
				},
			}
			if rng.chance(12) {
				next_block();
				blocks += 1;
				let (m, b, d) = balance_flows();
				flows = (flows.0 + m, flows.1 + b, flows.2 + d);
				check_invariants(seed, start_issuance, start_minted, flows);
			}
		}
		next_block();
		let (m, b, d) = balance_flows();
		flows = (flows.0 + m, flows.1 + b, flows.2 + d);
		check_invariants(seed, start_issuance, start_minted, flows);
		let closed = pallet_reputation::LatestRound::<Runtime>::iter().count();
		println!(
			"fuzz: seed {seed}: {calls} calls ({ok} ok, {failed} refused, {roots_checked} refusals \
			 root-checked), {blocks} blocks, {} topics, {closed} topics with a settled round, \
			 {pruned} registrations pruned, {removed} topics removed, minted {}, dust {}",
			world.topics.len(),
			flows.0,
			flows.2
		);
		assert!(ok > calls / 10, "too few calls succeeded to exercise the pallets: {ok}");
		assert!(closed > 0, "no round was ever settled");
	});
}
