//! The worst-case block (issues 12, 11): 8 topics ending their epochs, 8 worker windows
//! closing with full (128, 32) active sets in regret mode (each topic has a settled round
//! before), 2 settlements of full (128, 32, 32) second rounds, 80 stake removals and the monthly emission recalculation, all in
//! block 72. The weight the hooks reserve must stay within the block limit, and the storage
//! proof of executing that block (what a stateless verifier would need) within the proof size
//! they reserve.
//!
//! Timeline: the closing topics (E = 20, G = 20) are activated at 2 (W = 10) and 3 (W = 9):
//! full rounds at nonces 22/23 (settled at 63-66) and 62/63 (windows closing at 72). The
//! settled topics (E = 12, G = 12, W = 5) are activated at 23: full rounds at 35 (settled at
//! 60) and 47 (queued at 71, settled at 72). The ending topics are activated at 52.

use super::ext_for_preset;
use crate::*;
use allora_math::Fixed;
use codec::Encode;
use frame_support::{
	assert_ok,
	dispatch::DispatchClass,
	traits::{fungible::Mutate, Hooks},
	weights::Weight,
	BoundedVec,
};
use pallet_inference::ForecastElement;
use pallet_reputation::LossBundle;
use pallet_topics::{ParamsUpdate, TopicConfig, TopicId};
use sp_keyring::Sr25519Keyring::Alice;

/// The block under test.
const B: BlockNumber = 72;
/// Inferers (the runtime's `MaxActiveInferers`), forecasters and reputers
/// (`MaxActiveForecasters`, `MaxActiveReputers`) of every full round.
const INFERERS: u32 = 128;
const FORECASTERS: u32 = 32;
const REPUTERS: u32 = 32;
/// Elements of every forecast (the runtime's `MaxForecastElements`).
const ELEMENTS: u32 = 16;
/// Topics settled in B (E = 12).
const SETTLED: [TopicId; 2] = [1, 2];
/// Topics whose window closes in B: nonce 62 with W = 10, nonce 63 with W = 9.
const CLOSING_W10: [TopicId; 4] = [3, 4, 5, 6];
const CLOSING_W9: [TopicId; 4] = [7, 8, 9, 10];
/// Topics whose epoch ends in B.
const ENDING: [TopicId; 8] = [11, 12, 13, 14, 15, 16, 17, 18];

/// An account id from a role byte and an index.
fn account(role: u8, i: u32) -> AccountId {
	let mut id = [role; 32];
	id[..4].copy_from_slice(&i.to_le_bytes());
	AccountId::new(id)
}

fn worker(i: u32) -> AccountId {
	account(60, i)
}

fn reputer(i: u32) -> AccountId {
	account(160, i)
}

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn config(epoch: BlockNumber, window: BlockNumber) -> TopicConfig<BlockNumber> {
	super::topic_config(epoch, epoch, window)
}

/// Finalizes the current block and initializes the next one (the project's pallets); returns
/// the weight their `on_initialize` reserved.
fn next_block() -> Weight {
	let now = System::block_number();
	Topics::on_finalize(now);
	Inference::on_finalize(now);
	Stake::on_finalize(now);
	Reputation::on_finalize(now);
	Emissions::on_finalize(now);
	System::reset_events();
	System::set_block_number(now + 1);
	Topics::on_initialize(now + 1)
		.saturating_add(Inference::on_initialize(now + 1))
		.saturating_add(Stake::on_initialize(now + 1))
		.saturating_add(Reputation::on_initialize(now + 1))
		.saturating_add(Emissions::on_initialize(now + 1))
}

fn run_to(n: BlockNumber) {
	while System::block_number() < n {
		next_block();
	}
}

/// Every reputer stakes on `topic`: the first stake activates it (first epoch end one epoch
/// later).
fn stake_all(topic: TopicId, amount: Balance) {
	for r in 0..REPUTERS {
		assert_ok!(Stake::add_stake(signed(&reputer(r)), topic, amount));
	}
}

/// Full active sets for `nonce`: every inferer, every forecaster with `ELEMENTS` elements.
fn submit_full_round(topic: TopicId, nonce: BlockNumber) {
	for i in 0..INFERERS {
		let forecast = (i < FORECASTERS).then(|| {
			let elements: Vec<_> = (0..ELEMENTS)
				.map(|j| ForecastElement {
					inferer: worker((i + 1 + j) % INFERERS),
					value: Fixed::from_rational(-2_000 - i128::from(j), 1_000).unwrap(),
				})
				.collect();
			BoundedVec::truncate_from(elements)
		});
		let value = Fixed::from_rational(100_000 + i128::from(i) * 37, 1_000).unwrap();
		assert_ok!(Inference::submit_worker_payload(
			signed(&worker(i)),
			topic,
			nonce,
			Some(value),
			forecast
		));
	}
	let (inferers, forecasters) = (INFERERS as usize, FORECASTERS as usize);
	assert_eq!(pallet_inference::Inferences::<Runtime>::decode_len(topic, nonce), Some(inferers));
	assert_eq!(pallet_inference::Forecasts::<Runtime>::decode_len(topic, nonce), Some(forecasters));
}

/// A complete loss bundle on every value of `nonce`, shifted per reputer.
fn full_bundle(
	topic: TopicId,
	nonce: BlockNumber,
	r: u32,
) -> pallet_reputation::LossBundleOf<Runtime> {
	let inferers: Vec<AccountId> = pallet_inference::Inferences::<Runtime>::get(topic, nonce)
		.into_iter()
		.map(|(a, _)| a)
		.collect();
	let forecasters: Vec<AccountId> = pallet_inference::Forecasts::<Runtime>::get(topic, nonce)
		.into_iter()
		.map(|(a, _)| a)
		.collect();
	let loss =
		|k: usize| Fixed::from_rational(-2_000 - (k as i128 % 97) - i128::from(r), 1_000).unwrap();
	let singles = |list: &[AccountId], at: usize| -> Vec<(AccountId, Fixed)> {
		list.iter().enumerate().map(|(k, a)| (a.clone(), loss(at + k))).collect()
	};
	let mut pairs = Vec::new();
	for (k, f) in forecasters.iter().enumerate() {
		for (j, i) in inferers.iter().enumerate() {
			pairs.push((f.clone(), i.clone(), loss(k * INFERERS as usize + j)));
		}
	}
	LossBundle {
		combined_value: Some(loss(1)),
		naive_value: Some(loss(2)),
		inferer_values: BoundedVec::truncate_from(singles(&inferers, 3)),
		forecaster_values: BoundedVec::truncate_from(singles(&forecasters, 5)),
		one_out_inferer_values: BoundedVec::truncate_from(singles(&inferers, 7)),
		one_out_forecaster_values: BoundedVec::truncate_from(singles(&forecasters, 11)),
		one_in_forecaster_values: BoundedVec::truncate_from(singles(&forecasters, 13)),
		one_out_inferer_forecaster_values: BoundedVec::truncate_from(pairs),
	}
}

/// Builds the state of block 61 (see the module doc) and returns it.
fn state_before_the_worst_block() -> sp_io::TestExternalities {
	let mut ext = ext_for_preset("development");
	ext.execute_with(|| {
		System::set_block_number(1);
		let root = RuntimeOrigin::root();
		assert_ok!(Topics::update_params(
			root.clone(),
			Box::new(ParamsUpdate {
				max_active_topics_per_block: Some(8),
				max_top_inferers_to_reward: Some(INFERERS),
				max_top_forecasters_to_reward: Some(FORECASTERS),
				max_top_reputers_to_reward: Some(REPUTERS),
				max_elements_per_forecast: Some(ELEMENTS),
				remove_stake_delay_window: Some(5),
				half_max_process_stake_removals_end_block: Some(40),
				..Default::default()
			})
		));
		let alice = Alice.to_account_id();
		for topic in 1..=18 {
			let config = if SETTLED.contains(&topic) {
				config(12, 5)
			} else if CLOSING_W9.contains(&topic) {
				config(20, 9)
			} else {
				config(20, 10)
			};
			assert_ok!(Topics::create_topic(signed(&alice), config));
			// A network loss as if an earlier round had settled: the first rounds are
			// synthesised in the all-new mode and produce every value list (decision 12).
			let loss = Some(Fixed::from_rational(-2, 1).unwrap());
			let seeded = LossBundle {
				combined_value: loss,
				naive_value: loss,
				inferer_values: Default::default(),
				forecaster_values: Default::default(),
				one_out_inferer_values: Default::default(),
				one_out_forecaster_values: Default::default(),
				one_in_forecaster_values: Default::default(),
				one_out_inferer_forecaster_values: Default::default(),
			};
			pallet_reputation::NetworkLosses::<Runtime>::insert(topic, (0, seeded));
		}
		for i in 0..INFERERS {
			assert_ok!(Balances::mint_into(&worker(i), 1_000 * ALLO));
			for topic in SETTLED.iter().chain(&CLOSING_W10).chain(&CLOSING_W9) {
				assert_ok!(Inference::register_worker(signed(&worker(i)), *topic));
			}
		}
		for r in 0..REPUTERS {
			assert_ok!(Balances::mint_into(&reputer(r), 10_000 * ALLO));
			for topic in 1..=18 {
				assert_ok!(Stake::register_reputer(signed(&reputer(r)), topic));
			}
		}
		let bundles = |topics: &[TopicId], nonce: BlockNumber| {
			for topic in topics {
				for r in 0..REPUTERS {
					let bundle = Box::new(full_bundle(*topic, nonce, r));
					assert_ok!(Reputation::submit_loss_bundle(
						signed(&reputer(r)),
						*topic,
						nonce,
						bundle
					));
				}
			}
		};
		let closing: Vec<TopicId> = CLOSING_W10.iter().chain(&CLOSING_W9).copied().collect();
		run_to(2);
		CLOSING_W10.iter().for_each(|t| stake_all(*t, 10 * ALLO));
		run_to(3);
		CLOSING_W9.iter().for_each(|t| stake_all(*t, 10 * ALLO));
		run_to(23);
		SETTLED.iter().for_each(|t| stake_all(*t, 10 * ALLO));
		// First rounds: closing topics at 22/23, settled topics at 35.
		CLOSING_W10.iter().for_each(|t| submit_full_round(*t, 22));
		run_to(24);
		CLOSING_W9.iter().for_each(|t| submit_full_round(*t, 23));
		run_to(36);
		SETTLED.iter().for_each(|t| submit_full_round(*t, 35));
		// Second rounds: settled topics at 47, closing topics at 62/63.
		run_to(48);
		SETTLED.iter().for_each(|t| submit_full_round(*t, 47));
		run_to(50);
		bundles(&CLOSING_W10, 22);
		bundles(&CLOSING_W9, 23);
		bundles(&SETTLED, 35);
		run_to(52);
		ENDING.iter().for_each(|t| stake_all(*t, 10 * ALLO));
		run_to(63);
		CLOSING_W10.iter().for_each(|t| submit_full_round(*t, 62));
		run_to(64);
		CLOSING_W9.iter().for_each(|t| submit_full_round(*t, 63));
		run_to(65);
		bundles(&SETTLED, 47);
		// Every first round is settled: the closing topics are in regret mode now.
		run_to(67);
		for topic in SETTLED.iter().chain(&closing) {
			let view = Reputation::regrets_view(*topic).unwrap();
			assert_eq!(view.inferer.len(), INFERERS as usize, "topic {topic}");
		}
		// 80 removals due at B: the reputers of the first closing topics.
		let removals = closing.iter().flat_map(|t| (0..REPUTERS).map(move |r| (*t, r)));
		for (topic, r) in removals.take(80) {
			assert_ok!(Stake::remove_stake(signed(&reputer(r)), topic, ALLO));
		}
		assert_eq!(pallet_stake::RemovalQueue::<Runtime>::decode_len(B), Some(80));
		// Governance forces the emission recalculation into the next block.
		run_to(B - 1);
		let params = pallet_emissions::Params::<Runtime>::get();
		assert_ok!(Emissions::update_params(root, params, true));
		assert_eq!(pallet_inference::WindowCloses::<Runtime>::decode_len(B), Some(8));
		assert_eq!(pallet_topics::Schedule::<Runtime>::get(B).into_inner(), ENDING.to_vec());
	});
	ext
}

#[test]
fn the_worst_case_block_fits_in_what_its_hooks_reserve_and_in_the_block() {
	let mut ext = state_before_the_worst_block();
	// The closes of the settled topics are queued in 71, settled in 72.
	ext.execute_with(|| {
		Topics::on_finalize(B - 1);
		Inference::on_finalize(B - 1);
		Stake::on_finalize(B - 1);
		Reputation::on_finalize(B - 1);
		Emissions::on_finalize(B - 1);
		assert_eq!(pallet_reputation::CloseQueue::<Runtime>::decode_len(), Some(2));
		System::reset_events();
	});
	ext.commit_all().unwrap();

	let (reserved, proof) = ext.execute_and_prove(|| {
		System::set_block_number(B);
		let reserved = Topics::on_initialize(B)
			.saturating_add(Inference::on_initialize(B))
			.saturating_add(Stake::on_initialize(B))
			.saturating_add(Reputation::on_initialize(B))
			.saturating_add(Emissions::on_initialize(B));
		Topics::on_finalize(B);
		Inference::on_finalize(B);
		Stake::on_finalize(B);
		Reputation::on_finalize(B);
		Emissions::on_finalize(B);
		reserved
	});

	ext.execute_with(|| {
		// Everything happened in this one block.
		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		let count = |f: &dyn Fn(&RuntimeEvent) -> bool| events.iter().filter(|e| f(e)).count();
		let epoch_ends =
			count(&|e| matches!(e, RuntimeEvent::Topics(pallet_topics::Event::EpochEnded { .. })));
		let closes = count(&|e| {
			matches!(
				e,
				RuntimeEvent::Inference(pallet_inference::Event::WorkerWindowClosed {
					inferers: INFERERS,
					forecasters: FORECASTERS,
					..
				})
			)
		});
		let settled = count(&|e| {
			matches!(
				e,
				RuntimeEvent::Reputation(pallet_reputation::Event::ReputerNonceClosed {
					reputers: REPUTERS,
					..
				})
			)
		});
		let removals =
			count(&|e| matches!(e, RuntimeEvent::Stake(pallet_stake::Event::StakeRemoved { .. })));
		let recalculated = count(&|e| {
			matches!(
				e,
				RuntimeEvent::Emissions(pallet_emissions::Event::EmissionRecalculated { .. })
			)
		});
		assert_eq!((epoch_ends, closes, settled, removals, recalculated), (8, 8, 2, 80, 1));

		let limits = <Runtime as frame_system::Config>::BlockWeights::get();
		let with_base = reserved.saturating_add(limits.base_block);
		println!(
			"worst-case block: reserved {} ps ({:.1} % of the block), proof {} of {} bytes reserved",
			reserved.ref_time(),
			reserved.ref_time() as f64 * 100.0 / limits.max_block.ref_time() as f64,
			proof.encoded_size(),
			reserved.proof_size(),
		);
		assert!(with_base.all_lte(limits.max_block), "{with_base:?} > {:?}", limits.max_block);
		// The hooks' reservation also fits the mandatory class, which is what they use.
		let mandatory = limits.get(DispatchClass::Mandatory).max_total.unwrap_or(limits.max_block);
		assert!(with_base.all_lte(mandatory));
		// What executing the block read is within what was reserved for it.
		assert!(
			(proof.encoded_size() as u64) <= reserved.proof_size(),
			"proof {} > reserved {}",
			proof.encoded_size(),
			reserved.proof_size()
		);
	});
}
