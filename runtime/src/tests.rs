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
		assert_eq!(Balances::free_balance(&alice), DEV_ENDOWMENT);
		let funded = Sr25519Keyring::iter().count() as u128;
		assert_eq!(Balances::total_issuance(), funded * DEV_ENDOWMENT);
		assert!(Balances::total_issuance() < MAX_SUPPLY);
	});
}

#[test]
fn local_testnet_preset_has_alice_and_bob_as_validators() {
	ext_for_preset("local_testnet").execute_with(|| {
		let validators = pallet_session::Validators::<Runtime>::get();
		assert_eq!(
			validators,
			vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()]
		);
		assert_eq!(pallet_babe::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		assert_eq!(Balances::free_balance(Sr25519Keyring::Ferdie.to_account_id()), DEV_ENDOWMENT);
	});
}

#[test]
fn genesis_patch_without_sudo_sets_no_sudo_key() {
	let patch = genesis_config_presets::genesis_patch(vec![], vec![], None);
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

#[test]
fn base_extrinsic_weight_costs_one_centi_allo() {
	let fee = WeightToFee::weight_to_fee(&EXTRINSIC_BASE_WEIGHT);
	// The coefficient is p/q split into an integer and a Perbill fraction: exact to 1e-9.
	let diff = fee.abs_diff(CENTI_ALLO);
	assert!(diff <= CENTI_ALLO / 1_000_000_000, "fee {fee} vs {CENTI_ALLO}");
	assert_eq!(WeightToFee::weight_to_fee(&frame_support::weights::Weight::zero()), 0);
}

#[test]
fn runtime_version_is_allora() {
	assert_eq!(VERSION.spec_name, "allora");
	assert_eq!(VERSION.impl_name, "allora-node");
	assert!(VERSION.spec_version >= 100);
}
