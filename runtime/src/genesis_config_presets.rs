//! Genesis presets (sp-genesis-builder): `development` (Alice validates alone) and
//! `local_testnet` (Alice and Bob validate). Both fund the well-known dev accounts and give Alice
//! the sudo key; no other preset sets a sudo key.

use crate::{
	AccountId, BabeConfig, Balance, BalancesConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, TopicsConfig, ALLO, BABE_GENESIS_EPOCH_CONFIG,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_topics::NetworkParams;
use serde_json::Value;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance of each funded development account: one million ALLO.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * ALLO;

/// A genesis validator: its stash/controller account and its session keys.
pub struct GenesisValidator {
	/// The validator's account (also its session validator id).
	pub account: AccountId,
	/// BABE block-production key.
	pub babe: BabeId,
	/// GRANDPA finality key.
	pub grandpa: GrandpaId,
}

/// The network parameters at genesis: the defaults of spec 9.1 (in this chain's units).
pub fn genesis_network_params() -> NetworkParams {
	NetworkParams::default()
}

/// The genesis configuration patch for a chain with these validators, funded accounts and
/// optional sudo key. BABE and GRANDPA authorities come from the session keys.
pub fn genesis_patch(
	validators: Vec<GenesisValidator>,
	endowed: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|v| {
					let keys = SessionKeys { babe: v.babe, grandpa: v.grandpa };
					(v.account.clone(), v.account, keys)
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
		topics: TopicsConfig { params: genesis_network_params() },
	})
}

/// A development validator from the well-known dev keyring (e.g. Alice).
fn dev_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> GenesisValidator {
	GenesisValidator {
		account: sr.to_account_id(),
		babe: sr.public().into(),
		grandpa: ed.public().into(),
	}
}

/// Every well-known dev account, each funded with [`DEV_ENDOWMENT`].
fn dev_endowment() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::iter().map(|k| (k.to_account_id(), DEV_ENDOWMENT)).collect()
}

/// `development`: Alice is the only validator and the sudo key.
pub fn development_config_genesis() -> Value {
	genesis_patch(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_endowment(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// `local_testnet`: Alice and Bob validate; Alice is the sudo key.
pub fn local_config_genesis() -> Value {
	genesis_patch(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_endowment(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// The JSON patch of the named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).ok()?.into_bytes())
}

/// The names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
