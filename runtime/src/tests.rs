//! Tests of the runtime configuration: token, presets, block limits and fees.

use crate::{
	configs::{RuntimeBlockLength, RuntimeBlockWeights, WeightToFee, EXTRINSIC_BASE_WEIGHT},
	genesis_config_presets::{self, DEV_ENDOWMENT},
	*,
};
use frame_support::{
	dispatch::DispatchClass,
	traits::Get,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, WeightToFee as _},
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;

/// Deep-merges a genesis patch into a full config, as the chain-spec builder does.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
			for (k, v) in p {
				merge(b.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(b, p) => *b = p,
	}
}

/// A topic with epoch length `epoch`, ground-truth lag `lag` and window `window`, the
/// simulator's p, α, ε, quantiles 0.2 and the widest ranges.
fn topic_config(
	epoch: BlockNumber,
	lag: BlockNumber,
	window: BlockNumber,
) -> pallet_topics::TopicConfig<BlockNumber> {
	let fx = |s: &str| s.parse::<allora_math::Fixed>().expect("a decimal");
	pallet_topics::TopicConfig {
		metadata: b"ETH/USD 1h".to_vec().try_into().expect("short"),
		loss_method: b"mse".to_vec().try_into().expect("short"),
		epoch_length: epoch,
		ground_truth_lag: lag,
		worker_submission_window: window,
		p_norm: fx("3"),
		alpha_regret: fx("0.1"),
		allow_negative: false,
		epsilon: fx("0.01"),
		merit_sortition_alpha: fx("0.1"),
		active_inferer_quantile: fx("0.2"),
		active_forecaster_quantile: fx("0.2"),
		active_reputer_quantile: fx("0.2"),
		inference_range: pallet_topics::ValueRange::WIDEST_INFERENCE,
		loss_range: pallet_topics::ValueRange::WIDEST_LOSS,
	}
}

fn ext_for_preset(name: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&PresetId::from(name))
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default config");
	merge(&mut config, patch);
	let json = serde_json::to_vec(&config).expect("serializes");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(json)
			.unwrap_or_else(|e| panic!("preset {name} builds: {e}"));
	});
	ext
}

#[test]
fn token_is_allo_with_18_decimals_and_a_1e27_max_supply() {
	assert_eq!(TOKEN_SYMBOL, "ALLO");
	assert_eq!(TOKEN_DECIMALS, 18);
	assert_eq!(ALLO, 10u128.pow(18));
	assert_eq!(MAX_SUPPLY, 10u128.pow(27));
	assert_eq!(EXISTENTIAL_DEPOSIT, 10u128.pow(15));
}

#[test]
fn ss58_prefix_of_system_is_the_token_prefix() {
	assert_eq!(<<Runtime as frame_system::Config>::SS58Prefix as Get<u16>>::get(), SS58_PREFIX);
	assert_eq!(SS58_PREFIX, 7000);
}

#[test]
fn preset_names_are_development_and_local_testnet() {
	let names: Vec<String> = genesis_config_presets::preset_names();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(genesis_config_presets::get_preset(&PresetId::from("mainnet")).is_none());
}

#[test]
fn development_preset_has_alice_as_sole_validator_and_sudo() {
	ext_for_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![alice.clone()]);
		assert_eq!(pallet_babe::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(
			pallet_babe::Authorities::<Runtime>::get()[0].0,
			Sr25519Keyring::Alice.public().into()
		);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		// Alice's genesis bond is held (staked) out of her endowment.
		let bond = genesis_config_presets::GENESIS_VALIDATOR_BOND;
		assert_eq!(Balances::free_balance(&alice), DEV_ENDOWMENT - bond);
		assert_eq!(
			<Balances as frame_support::traits::fungible::Inspect<_>>::total_balance(&alice),
			DEV_ENDOWMENT
		);
		assert_eq!(pallet_staking::Ledger::<Runtime>::get(&alice).map(|l| l.active), Some(bond));
		// The genesis allocation (64.05 % of the max supply: everything but the ecosystem's
		// share) plus the existential deposits that keep the ecosystem account, the
		// delegators' pending-rewards account, the reward treasury and the validator pot
		// alive from genesis on.
		for a in [
			Topics::ecosystem_account(),
			Stake::pending_rewards_account(),
			Emissions::rewards_account(),
			Emissions::validator_pot(),
		] {
			assert_eq!(Balances::free_balance(a), EXISTENTIAL_DEPOSIT);
		}
		let p = pallet_emissions::MintParams::default();
		assert_eq!(p.ecosystem_cap(), 359_500_000 * ALLO);
		assert_eq!(
			Balances::total_issuance(),
			MAX_SUPPLY - p.ecosystem_cap() + 4 * EXISTENTIAL_DEPOSIT
		);
		let fnd = genesis_config_presets::allocation_account(genesis_config_presets::FOUNDATION);
		assert_eq!(Balances::free_balance(fnd), 100_000_000 * ALLO);
		let funded = Sr25519Keyring::iter().count() as u128;
		let ptc = genesis_config_presets::allocation_account(genesis_config_presets::PARTICIPANTS);
		assert_eq!(Balances::free_balance(ptc), 55_000_000 * ALLO - funded * DEV_ENDOWMENT);
		assert!(pallet_emissions::Emission::<Runtime>::get().pending);
		assert_eq!(pallet_emissions::ReputerShare::<Runtime>::get(), "0.3".parse().unwrap());
		Emissions::do_try_state().unwrap();
	});
}

#[test]
fn vested_allocations_follow_the_cliff_and_the_linear_release_of_spec_8_4() {
	use genesis_config_presets::{allocation_account, INVESTORS, PRESEED, TEAM};
	ext_for_preset("development").execute_with(|| {
		let month = pallet_topics::Params::<Runtime>::get().blocks_per_month;
		for (id, full) in
			[(INVESTORS, 260_500_000 * ALLO), (PRESEED, 50_000_000 * ALLO), (TEAM, 175_000_000 * ALLO)]
		{
			let who = allocation_account(id);
			assert_eq!(Balances::free_balance(&who), full);
			assert_eq!(pallet_vesting::Vesting::<Runtime>::get(&who).unwrap().len(), 2);
			for (m, extra) in [(0, 0), (11, 0), (12, 0), (12, 1), (24, 0), (30, 0), (36, 0), (40, 0)] {
				System::set_block_number(m * month + extra);
				let locked = <Vesting as frame_support::traits::VestingSchedule<AccountId>>::vesting_balance(&who).unwrap_or(0);
				// Spec 8.4 by whole months; at the cliff's block itself nothing is released yet.
				let months = if extra == 0 && m == 12 { 11 } else { m };
				let want = allora_synthesis::emission::locked_vesting(full, months);
				let diff = locked.abs_diff(want);
				assert!(diff <= full / 10_000_000, "{id:?} month {m}+{extra}: {locked} vs {want}");
			}
		}
	});
}

#[test]
fn local_testnet_preset_has_alice_and_bob_as_validators() {
	ext_for_preset("local_testnet").execute_with(|| {
		// Elected by stake (equal bonds): the order is the election's.
		let mut validators = pallet_session::Validators::<Runtime>::get();
		validators.sort();
		let mut expected =
			vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()];
		expected.sort();
		assert_eq!(validators, expected);
		assert_eq!(pallet_babe::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		assert_eq!(Balances::free_balance(Sr25519Keyring::Ferdie.to_account_id()), DEV_ENDOWMENT);
	});
}

#[test]
fn genesis_patch_without_sudo_sets_no_sudo_key() {
	let governance =
		genesis_config_presets::GovernanceGenesis { committee: vec![], time_divisor: 0 };
	let patch = genesis_config_presets::genesis_patch(vec![], vec![], None, governance);
	assert_eq!(patch["sudo"]["key"], serde_json::Value::Null);
	let dev = genesis_config_presets::development_config_genesis();
	assert!(dev["sudo"]["key"].is_string());
}

#[test]
fn blocks_allow_two_seconds_of_compute_and_5_mib_with_75_percent_normal() {
	let weights = RuntimeBlockWeights::get();
	assert_eq!(weights.max_block.ref_time(), 2 * WEIGHT_REF_TIME_PER_SECOND);
	let normal = weights.get(DispatchClass::Normal);
	let normal_total = normal.max_total.unwrap_or_default().ref_time();
	assert_eq!(normal_total, 2 * WEIGHT_REF_TIME_PER_SECOND * 3 / 4);

	// Base weights come from this runtime's overhead benchmark.
	assert_eq!(weights.base_block, crate::weights::BlockExecutionWeight::get());
	assert_eq!(normal.base_extrinsic, crate::weights::ExtrinsicBaseWeight::get());
	let operational = weights.get(DispatchClass::Operational);
	assert_eq!(
		operational.max_total.unwrap_or_default().ref_time(),
		2 * WEIGHT_REF_TIME_PER_SECOND
	);

	let length = RuntimeBlockLength::get();
	assert_eq!(*length.max.get(DispatchClass::Operational), 5 * 1024 * 1024);
	assert_eq!(*length.max.get(DispatchClass::Normal), 5 * 1024 * 1024 * 3 / 4);
}

/// Issue 11: active sets of (128, 32, 32), four times the reference's (32, 6, 6), and every
/// bound that follows from them large enough for one full round.
#[test]
fn active_sets_are_128_32_32_and_the_round_bounds_follow_from_them() {
	use frame_support::traits::Get;
	let inferers: u32 = <Runtime as pallet_topics::Config>::MaxActiveInferers::get();
	let forecasters: u32 = <Runtime as pallet_topics::Config>::MaxActiveForecasters::get();
	let reputers: u32 = <Runtime as pallet_topics::Config>::MaxActiveReputers::get();
	assert_eq!((inferers, forecasters, reputers), (128, 32, 32));
	let workers: u32 = <Runtime as pallet_inference::Config>::MaxWorkersPerTopic::get();
	let registered_reputers: u32 = <Runtime as pallet_stake::Config>::MaxReputersPerTopic::get();
	assert!(inferers <= workers && forecasters <= workers && reputers <= registered_reputers);
	// A loss bundle holds every (forecaster, inferer) pair of a full round.
	let pairs: u32 = <Runtime as pallet_reputation::Config>::MaxBundlePairs::get();
	assert_eq!(pairs, inferers * forecasters);
	// Regret tables: every worker of the topic, and one whole round of the largest pair
	// family (one-out inferer × inferer).
	let actors: u32 = <Runtime as pallet_reputation::Config>::MaxRegretActors::get();
	assert_eq!(actors, workers);
	let regret_pairs: u32 = <Runtime as pallet_reputation::Config>::MaxRegretPairs::get();
	assert_eq!(regret_pairs, inferers * inferers);
	let tracked: u32 = <Runtime as pallet_emissions::Config>::MaxTrackedActors::get();
	assert_eq!(tracked, workers);
}

#[test]
fn base_extrinsic_weight_costs_one_centi_allo() {
	let fee = WeightToFee::weight_to_fee(&EXTRINSIC_BASE_WEIGHT);
	// The coefficient is p/q split into an integer and a Perbill fraction: exact to 1e-9.
	let diff = fee.abs_diff(CENTI_ALLO);
	assert!(diff <= CENTI_ALLO / 1_000_000_000, "fee {fee} vs {CENTI_ALLO}");
	assert_eq!(WeightToFee::weight_to_fee(&frame_support::weights::Weight::zero()), 0);
}

/// Issue 12, finding 8: fees and tips are not burned; they reach the ecosystem account (which
/// the emission pays out before minting), and the total issuance is unchanged.
#[test]
fn transaction_fees_and_tips_go_to_the_ecosystem_account() {
	use frame_support::dispatch::{GetDispatchInfo, PostDispatchInfo};
	use pallet_transaction_payment::OnChargeTransaction;
	type Charge = <Runtime as pallet_transaction_payment::Config>::OnChargeTransaction;
	ext_for_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let eco = configs::EcosystemAccount::get();
		let issuance = Balances::total_issuance();
		let (alice_before, eco_before) =
			(Balances::free_balance(&alice), Balances::free_balance(&eco));
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let info = call.get_dispatch_info();
		let (fee, tip): (Balance, Balance) = (7 * token::MICRO_ALLO, 3 * token::MICRO_ALLO);
		let liquidity = <Charge as OnChargeTransaction<Runtime>>::withdraw_fee(
			&alice,
			&call,
			&info,
			fee + tip,
			tip,
		)
		.expect("alice pays");
		// The actual fee is lower than the withdrawn one: the rest is refunded.
		let actual = fee / 2 + tip;
		<Charge as OnChargeTransaction<Runtime>>::correct_and_deposit_fee(
			&alice,
			&info,
			&PostDispatchInfo::default(),
			actual,
			tip,
			liquidity,
		)
		.expect("fee corrected");
		assert_eq!(Balances::free_balance(&alice), alice_before - actual);
		assert_eq!(Balances::free_balance(&eco), eco_before + actual);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn runtime_version_is_allora() {
	assert_eq!(VERSION.spec_name, "allora");
	assert_eq!(VERSION.impl_name, "allora-node");
	assert!(VERSION.spec_version >= 100);
}

mod client_metadata;
mod fresh_replay;
mod fuzz;
mod governance;
mod replay;
mod staking;
mod worst_case_block;

mod mechanism {
	//! Whole epochs through the runtime's own pallets and runtime API: topic creation,
	//! registrations, submissions, window close, compared with the synthesis library.

	use super::ext_for_preset;
	use crate::*;
	use allora_math::Fixed;
	use allora_synthesis::{
		inference::{network_inference, Forecast, SynthesisInput},
		regrets::Regrets,
		SynthesisParams,
	};
	use frame_support::{
		assert_ok,
		traits::{fungible::Inspect, Hooks},
	};
	use pallet_inference::{ForecastElement, InferenceMode, NetworkInferenceBundle};
	use pallet_inference_runtime_api::runtime_decl_for_inference_api::InferenceApiV1;
	use pallet_stake_runtime_api::runtime_decl_for_stake_api::StakeApiV1;
	use pallet_topics::TopicConfig;
	use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve};

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap()
	}

	fn run_to(n: BlockNumber) {
		while System::block_number() < n {
			let now = System::block_number();
			Topics::on_finalize(now);
			Inference::on_finalize(now);
			Reputation::on_finalize(now);
			System::set_block_number(now + 1);
			Topics::on_initialize(now + 1);
			Inference::on_initialize(now + 1);
			Reputation::on_initialize(now + 1);
		}
	}

	fn config() -> TopicConfig<BlockNumber> {
		super::topic_config(12, 12, 8)
	}

	fn signed(k: sp_keyring::Sr25519Keyring) -> RuntimeOrigin {
		RuntimeOrigin::signed(k.to_account_id())
	}

	fn elements(e: &[(AccountId, &str)]) -> Option<pallet_inference::ElementsOf<Runtime>> {
		let v: Vec<_> = e
			.iter()
			.map(|(inferer, value)| ForecastElement { inferer: inferer.clone(), value: fx(value) })
			.collect();
		Some(v.try_into().unwrap())
	}

	#[test]
	fn whole_epochs_store_the_network_inference_the_runtime_api_and_the_library_agree_on() {
		ext_for_preset("development").execute_with(|| {
			System::set_block_number(1);
			let eco = Topics::ecosystem_account();
			assert!(Balances::balance(&eco) >= EXISTENTIAL_DEPOSIT);
			assert_ok!(Topics::create_topic(signed(Alice), config()));
			let topic = 1;
			for w in [Bob, Charlie, Dave] {
				assert_ok!(Inference::register_worker(signed(w), topic));
			}
			// Without stake the weight S^0.5·(C/E)^0.5 is 0: the topic waits.
			assert!(!Topics::is_active(topic));
			// A reputer's stake activates it: epoch end at 1 + E = 13.
			assert_ok!(Stake::register_reputer(signed(Eve), topic));
			assert_ok!(Stake::add_stake(signed(Eve), topic, 100 * ALLO));
			let info = <Runtime as StakeApiV1<Block, AccountId>>::reputer_stake(
				topic,
				Eve.to_account_id(),
			);
			assert_eq!((info.registered, info.own, info.delegated), (true, 100 * ALLO, 0));
			assert_eq!(<Runtime as StakeApiV1<Block, AccountId>>::topic_stake(topic), 100 * ALLO);
			assert_eq!(pallet_topics::NextEpochEnd::<Runtime>::get(topic), Some(13));
			let (b, c, d) = (Bob.to_account_id(), Charlie.to_account_id(), Dave.to_account_id());
			let mut nonce = 13;
			for (round, values) in
				[["100.5", "101", "98"], ["102", "99.5", "100"]].iter().enumerate()
			{
				run_to(nonce + 1);
				assert_eq!(Inference::open_nonces(topic).worker_nonces, vec![nonce]);
				assert_ok!(Inference::submit_worker_payload(
					signed(Bob),
					topic,
					nonce,
					Some(fx(values[0])),
					elements(&[(c.clone(), "0.4"), (d.clone(), "0.9")])
				));
				assert_ok!(Inference::submit_worker_payload(
					signed(Charlie),
					topic,
					nonce,
					Some(fx(values[1])),
					elements(&[(b.clone(), "0.2")])
				));
				assert_ok!(Inference::submit_worker_payload(
					signed(Dave),
					topic,
					nonce,
					Some(fx(values[2])),
					None
				));
				run_to(nonce + 9);

				let mut inferences: Vec<(AccountId, Fixed)> = vec![
					(b.clone(), fx(values[0])),
					(c.clone(), fx(values[1])),
					(d.clone(), fx(values[2])),
				];
				inferences.sort();
				let mut forecasts = vec![
					Forecast {
						forecaster: b.clone(),
						elements: vec![(c.clone(), fx("0.4")), (d.clone(), fx("0.9"))],
					},
					Forecast { forecaster: c.clone(), elements: vec![(b.clone(), fx("0.2"))] },
				];
				forecasts.sort_by(|x, y| x.forecaster.cmp(&y.forecaster));
				let regrets = Regrets::new(Fixed::ZERO);
				let expected = network_inference(&SynthesisInput {
					inferences: &inferences,
					forecasts: &forecasts,
					latest_network_loss: None,
					regrets: &regrets,
					params: SynthesisParams {
						p_norm: fx("3"),
						c_norm: fx("0.75"),
						epsilon: fx("0.01"),
						epsilon_safe_div: fx("0.0000001"),
						outlier_mads: fx("12"),
					},
				})
				.unwrap();
				let stored =
					pallet_inference::LatestNetworkInference::<Runtime>::get(topic).unwrap();
				assert_eq!(stored.nonce, nonce, "round {round}");
				assert_eq!(stored.combined_value, expected.values.combined);
				assert_eq!(stored.mode, InferenceMode::NoNetworkLoss);
				let api =
					<Runtime as InferenceApiV1<Block, AccountId, BlockNumber>>::network_inference(
						topic, None,
					);
				assert_eq!(api, Ok(NetworkInferenceBundle::new(topic, nonce, expected)));
				let info =
					<Runtime as InferenceApiV1<Block, AccountId, BlockNumber>>::topic_info(topic)
						.unwrap();
				assert_eq!(info.workers, 3);
				assert_eq!(info.latest_inference, Some(stored));
				assert_eq!(info.topic.epoch_last_ended, nonce);
				assert!(Inference::open_nonces(topic).reputer_nonces.contains(&nonce));
				nonce += 12;
			}
			// The median of (98, 100.5, 101) and of (99.5, 100, 102).
			let first =
				<Runtime as InferenceApiV1<Block, AccountId, BlockNumber>>::network_inference(
					topic,
					Some(13),
				);
			assert_eq!(first.map(|b| b.combined_value), Ok(fx("100.5")));
			Topics::do_try_state().unwrap();
			Inference::do_try_state().unwrap();
			Stake::do_try_state().unwrap();
		});
	}
}
