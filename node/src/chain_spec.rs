//! Chain specifications: `dev` and `local` from the runtime's genesis presets, and `testnet`, a
//! public test network whose validator keys are derived from documented, well-known test seeds.

use allora_runtime::{
	genesis_config_presets::{genesis_patch, GenesisValidator, GovernanceGenesis},
	AccountId, Balance, ALLO, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};
use sc_service::{ChainType, Properties};
use sp_core::crypto::DEV_PHRASE;
use sp_core::{crypto::Pair, ed25519, sr25519};

/// The chain specification of this node: generic over the runtime's genesis config.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Number of validators of the public test network.
pub const TESTNET_VALIDATORS: u32 = 2;
/// Balance of each testnet validator and of the testnet faucet: 10 000 ALLO.
pub const TESTNET_ENDOWMENT: Balance = 10_000 * ALLO;

/// Token properties reported by `system_properties`: ALLO, 18 decimals, the chain's ss58 prefix.
pub fn properties() -> Properties {
	let mut p = Properties::new();
	p.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	p.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), SS58_PREFIX.into());
	p
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm binary is not available (built with SKIP_WASM_BUILD?)".to_string()
	})
}

/// `dev`: a single validator (Alice), funded dev accounts, Alice as sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Allora Development")
		.with_id("allora_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: validators Alice and Bob, funded dev accounts, Alice as sudo.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Allora Local Testnet")
		.with_id("allora_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The secret URI of testnet validator `index` (1-based). These are TEST KEYS: anyone can
/// derive them from the public dev phrase; never use them on a network holding value.
pub fn testnet_validator_seed(index: u32) -> String {
	format!("{DEV_PHRASE}//allora-testnet//validator//{index}")
}

/// The secret URI of the testnet faucet account (a test key as well).
pub fn testnet_faucet_seed() -> String {
	format!("{DEV_PHRASE}//allora-testnet//faucet")
}

fn sr25519_public(seed: &str) -> Result<sr25519::Public, String> {
	sr25519::Pair::from_string(seed, None)
		.map(|p| p.public())
		.map_err(|e| format!("invalid test seed: {e:?}"))
}

fn ed25519_public(seed: &str) -> Result<ed25519::Public, String> {
	ed25519::Pair::from_string(seed, None)
		.map(|p| p.public())
		.map_err(|e| format!("invalid test seed: {e:?}"))
}

/// `testnet`: the public test network. Validators use the documented test seeds of
/// [`testnet_validator_seed`]; there is no sudo key: governance is by referenda in real time,
/// and the technical committee is the test validators' accounts.
pub fn testnet_chain_spec() -> Result<ChainSpec, String> {
	let mut validators = Vec::new();
	let mut endowed = Vec::new();
	for index in 1..=TESTNET_VALIDATORS {
		let seed = testnet_validator_seed(index);
		let account: AccountId = sr25519_public(&seed)?.into();
		endowed.push((account.clone(), TESTNET_ENDOWMENT));
		validators.push(GenesisValidator {
			account,
			babe: sr25519_public(&seed)?.into(),
			grandpa: ed25519_public(&seed)?.into(),
		});
	}
	endowed.push((sr25519_public(&testnet_faucet_seed())?.into(), TESTNET_ENDOWMENT));
	let committee = validators.iter().map(|v| v.account.clone()).collect();
	let governance = GovernanceGenesis { committee, time_divisor: 0 };

	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Allora Testnet")
		.with_id("allora_testnet")
		.with_protocol_id("allora-testnet")
		.with_chain_type(ChainType::Live)
		.with_genesis_config_patch(genesis_patch(validators, endowed, None, governance))
		.with_properties(properties())
		.build())
}
