//! Genesis presets (sp-genesis-builder): `development` (Alice validates alone) and
//! `local_testnet` (Alice and Bob validate). Both give Alice the sudo key; no other preset sets
//! a sudo key. Alice, Bob and Charlie form the technical committee; the development preset
//! divides every governance period by 14 400 (a day is a block) so referenda run in minutes. Both mint the genesis allocation of spec 8.1 (64.05 % of the max supply; the
//! ecosystem's 35.95 % is minted over time by the emission): the foundation's 10 %, the
//! participants' 5.5 % (the well-known dev accounts' endowments come out of it), and the
//! investors', pre-seed investors' and team's shares vested per spec 8.4.

use crate::{
	AccountId, BabeConfig, Balance, BalancesConfig, EmissionsConfig, RuntimeGenesisConfig,
	SessionConfig, SessionKeys, StakingConfig, SudoConfig, TechnicalCommitteeConfig, TimingConfig,
	TopicsConfig, VestingConfig, ALLO, BABE_GENESIS_EPOCH_CONFIG, DAYS,
};
use alloc::{vec, vec::Vec};
use allora_math::Fixed;
use frame_support::build_struct_json_patch;
use frame_support::PalletId;
use pallet_emissions::MintParams;
use pallet_topics::NetworkParams;
use serde_json::Value;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::traits::AccountIdConversion;

/// Balance of each funded development account: one million ALLO.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * ALLO;

/// What each genesis validator bonds (out of its endowment): 5 000 ALLO.
pub const GENESIS_VALIDATOR_BOND: Balance = 5_000 * ALLO;
/// The smallest bond `validate` accepts: 1 000 ALLO.
pub const MIN_VALIDATOR_BOND: Balance = 1_000 * ALLO;
/// The smallest bond `nominate` accepts: 10 ALLO.
pub const MIN_NOMINATOR_BOND: Balance = 10 * ALLO;
/// Validators elected per era at genesis (governance raises it with `set_validator_count`).
pub const GENESIS_VALIDATOR_COUNT: u32 = 10;

/// The development preset's governance time divisor: one day of governance time per block.
pub const DEV_GOVERNANCE_TIME_DIVISOR: u32 = DAYS;

/// Genesis governance: the technical committee and the governance time divisor.
pub struct GovernanceGenesis {
	/// Members of the technical committee (they can only whitelist calls).
	pub committee: Vec<AccountId>,
	/// Every governance period is divided by this (0 or 1: real time).
	pub time_divisor: u32,
}

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

/// The holder of an allocation of spec 8.1: a keyless account that governance (Root) moves
/// funds from, until a production chain spec names real recipients.
pub fn allocation_account(id: &[u8; 8]) -> AccountId {
	PalletId(*id).into_account_truncating()
}

/// The foundation's allocation (unlocked).
pub const FOUNDATION: &[u8; 8] = b"allo/fnd";
/// The participants' allocation left after the dev endowments (unlocked).
pub const PARTICIPANTS: &[u8; 8] = b"allo/ptc";
/// The investors' allocation (vested).
pub const INVESTORS: &[u8; 8] = b"allo/inv";
/// The pre-seed investors' allocation (vested).
pub const PRESEED: &[u8; 8] = b"allo/pre";
/// The team's allocation (vested).
pub const TEAM: &[u8; 8] = b"allo/tea";

/// A genesis vesting schedule: (account, begin, length, liquid).
pub type VestingSchedule = (AccountId, u32, u32, Balance);

/// The genesis balances and vesting schedules of spec 8.1/8.4 with `endowed` paid out of the
/// participants' share. Vested allocations lock everything for `cliff = 12` months, release a
/// third at the cliff and the rest linearly to month 36 (two schedules per account).
pub fn genesis_allocation(
	endowed: Vec<(AccountId, Balance)>,
	blocks_per_month: u32,
) -> (Vec<(AccountId, Balance)>, Vec<VestingSchedule>) {
	let p = MintParams::default();
	let endowments: Balance = endowed.iter().map(|(_, b)| *b).fold(0, Balance::saturating_add);
	let participants = p.allocation(p.participants_percent_of_total_supply);
	let mut balances = endowed;
	balances.push((
		allocation_account(FOUNDATION),
		p.allocation(p.foundation_treasury_percent_of_total_supply),
	));
	balances.push((allocation_account(PARTICIPANTS), participants.saturating_sub(endowments)));
	let cliff = blocks_per_month.saturating_mul(12);
	let mut vesting = Vec::new();
	for (id, share) in [
		(INVESTORS, p.investors_percent_of_total_supply),
		(PRESEED, p.investors_preseed_percent_of_total_supply),
		(TEAM, p.team_percent_of_total_supply),
	] {
		let who = allocation_account(id);
		let full = p.allocation(share);
		let third = full / 3;
		balances.push((who.clone(), full));
		// A third unlocks at the cliff, the rest block by block over the next 24 months.
		vesting.push((who.clone(), cliff, 1, full.saturating_sub(third)));
		vesting.push((who, cliff, blocks_per_month.saturating_mul(24), third));
	}
	(balances, vesting)
}

/// The genesis configuration patch for a chain with these validators, funded accounts,
/// optional sudo key and governance. Each validator bonds [`GENESIS_VALIDATOR_BOND`] and is
/// elected for the first era; BABE and GRANDPA authorities come from its session keys. The
/// funded accounts are paid out of the participants' allocation; the foundation's allocation
/// is the treasury.
pub fn genesis_patch(
	validators: Vec<GenesisValidator>,
	endowed: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
	governance: GovernanceGenesis,
) -> Value {
	let params = genesis_network_params();
	let (balances, vesting) = genesis_allocation(endowed, params.blocks_per_month);
	let stakers = validators
		.iter()
		.map(|v| {
			let status = pallet_staking::StakerStatus::<AccountId>::Validator;
			(v.account.clone(), v.account.clone(), GENESIS_VALIDATOR_BOND, status)
		})
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		vesting: VestingConfig { vesting },
		emissions: EmissionsConfig {
			params: MintParams::default(),
			reputer_share: Fixed::from_raw(300_000_000_000_000_000),
		},
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
		staking: StakingConfig {
			validator_count: GENESIS_VALIDATOR_COUNT,
			minimum_validator_count: 1,
			stakers,
			min_validator_bond: MIN_VALIDATOR_BOND,
			min_nominator_bond: MIN_NOMINATOR_BOND,
			slash_reward_fraction: sp_runtime::Perbill::from_percent(10),
		},
		sudo: SudoConfig { key: sudo },
		topics: TopicsConfig { params },
		timing: TimingConfig { governance_time_divisor: governance.time_divisor },
		technical_committee: TechnicalCommitteeConfig { members: governance.committee },
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

/// Alice, Bob and Charlie: the development chains' technical committee.
fn dev_committee() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// `development`: Alice is the only validator and the sudo key; governance periods are
/// divided by [`DEV_GOVERNANCE_TIME_DIVISOR`].
pub fn development_config_genesis() -> Value {
	genesis_patch(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_endowment(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		GovernanceGenesis { committee: dev_committee(), time_divisor: DEV_GOVERNANCE_TIME_DIVISOR },
	)
}

/// `local_testnet`: Alice and Bob validate; Alice is the sudo key; governance in real time.
pub fn local_config_genesis() -> Value {
	genesis_patch(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_endowment(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		GovernanceGenesis { committee: dev_committee(), time_divisor: 0 },
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
