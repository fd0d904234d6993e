//! Types of the emissions pallet: the mint parameters (spec 8.1), the emission state, and the
//! stored record of each topic's latest paid round (spec 6.4-6.8, 7.2).

use alloc::vec::Vec;
use allora_math::Fixed;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A fixed-point constant from millionths (callers pass small literals).
const fn fx_micro(micro: i128) -> Fixed {
	Fixed::from_raw(micro.saturating_mul(1_000_000_000_000))
}

/// The token's hard cap (decision 4): 10^9 ALLO = 10^27 base units. No mint parameter may
/// raise `max_supply` above it.
pub const HARD_CAP: u128 = 1_000_000_000_000_000_000_000_000_000;

/// The mint parameters of spec 8.1 (shares of the max supply, the emission rates). The
/// validators' share v and `BlocksPerMonth` are network parameters of `pallet-topics`.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MintParams {
	/// The hard cap in base units (10^27 = 10^9 ALLO).
	pub max_supply: u128,
	/// f_e: fraction of the ecosystem treasury targeted per month (0.025).
	pub f_emission: Fixed,
	/// α_e: monthly EMA rate of the emission per staked token (0.1).
	pub one_month_smoothing_degree: Fixed,
	/// ξ_max: cap on the monthly yield of stakers (0.0095).
	pub maximum_monthly_percentage_yield: Fixed,
	/// Part of the max supply the ecosystem may ever mint (0.3595).
	pub ecosystem_treasury_percent_of_total_supply: Fixed,
	/// Foundation allocation, unlocked at genesis (0.10).
	pub foundation_treasury_percent_of_total_supply: Fixed,
	/// Participants allocation, unlocked at genesis (0.055).
	pub participants_percent_of_total_supply: Fixed,
	/// Investors allocation, vested (0.2605).
	pub investors_percent_of_total_supply: Fixed,
	/// Pre-seed investors allocation, vested (0.05).
	pub investors_preseed_percent_of_total_supply: Fixed,
	/// Team allocation, vested (0.175).
	pub team_percent_of_total_supply: Fixed,
}

impl Default for MintParams {
	/// The defaults of spec 8.1.
	fn default() -> Self {
		MintParams {
			max_supply: 1_000_000_000_000_000_000_000_000_000,
			f_emission: fx_micro(25_000),
			one_month_smoothing_degree: fx_micro(100_000),
			maximum_monthly_percentage_yield: fx_micro(9_500),
			ecosystem_treasury_percent_of_total_supply: fx_micro(359_500),
			foundation_treasury_percent_of_total_supply: fx_micro(100_000),
			participants_percent_of_total_supply: fx_micro(55_000),
			investors_percent_of_total_supply: fx_micro(260_500),
			investors_preseed_percent_of_total_supply: fx_micro(50_000),
			team_percent_of_total_supply: fx_micro(175_000),
		}
	}
}

/// A mint parameter that failed validation.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	frame_support::PalletError,
)]
pub enum MintParam {
	/// `max_supply` must be within [total issuance, 10^27] (decision 4: never above the hard
	/// cap, never below what exists).
	MaxSupply,
	/// `f_emission` must be in (0, 1].
	FEmission,
	/// `one_month_smoothing_degree` must be in (0, 1].
	SmoothingDegree,
	/// `maximum_monthly_percentage_yield` must be in [0, 1].
	MaximumMonthlyYield,
	/// A share must be in [0, 1].
	Share,
	/// The six shares must sum to exactly 1.
	SharesSum,
}

impl MintParams {
	/// The six allocation shares: ecosystem, foundation, participants, investors, pre-seed,
	/// team.
	pub fn shares(&self) -> [Fixed; 6] {
		[
			self.ecosystem_treasury_percent_of_total_supply,
			self.foundation_treasury_percent_of_total_supply,
			self.participants_percent_of_total_supply,
			self.investors_percent_of_total_supply,
			self.investors_preseed_percent_of_total_supply,
			self.team_percent_of_total_supply,
		]
	}

	/// Checks the ranges of spec 8.1; names the first parameter out of range.
	pub fn validate(&self) -> Result<(), MintParam> {
		let unit = |x: Fixed| !x.is_negative() && x <= Fixed::ONE;
		let open_unit = |x: Fixed| x.is_positive() && x <= Fixed::ONE;
		// Decision 4: the cap is 10^27 base units; governance may lower it, never raise it.
		if self.max_supply == 0 || self.max_supply > HARD_CAP {
			return Err(MintParam::MaxSupply);
		}
		if !open_unit(self.f_emission) {
			return Err(MintParam::FEmission);
		}
		if !open_unit(self.one_month_smoothing_degree) {
			return Err(MintParam::SmoothingDegree);
		}
		if !unit(self.maximum_monthly_percentage_yield) {
			return Err(MintParam::MaximumMonthlyYield);
		}
		if !self.shares().iter().all(|s| unit(*s)) {
			return Err(MintParam::Share);
		}
		match Fixed::checked_sum(self.shares()) {
			Ok(sum) if sum == Fixed::ONE => Ok(()),
			_ => Err(MintParam::SharesSum),
		}
	}

	/// `share` of the max supply in base units, truncated.
	pub fn allocation(&self, share: Fixed) -> u128 {
		let raw = u128::try_from(share.into_raw()).unwrap_or(0);
		allora_math::mul_div_floor(self.max_supply, raw, 1_000_000_000_000_000_000).unwrap_or(0)
	}

	/// What the ecosystem may ever mint: trunc(max supply · ecosystem share).
	pub fn ecosystem_cap(&self) -> u128 {
		self.allocation(self.ecosystem_treasury_percent_of_total_supply)
	}

	/// Tokens of the three vested allocations still locked after `months` whole months
	/// (spec 8.4).
	pub fn locked(&self, months: u32) -> u128 {
		[
			self.investors_percent_of_total_supply,
			self.investors_preseed_percent_of_total_supply,
			self.team_percent_of_total_supply,
		]
		.iter()
		.map(|s| allora_synthesis::emission::locked_vesting(self.allocation(*s), months))
		.fold(0u128, |a, b| a.saturating_add(b))
	}
}

/// The emission as the last monthly recalculation set it, for clients.
#[derive(
	Clone,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct EmissionState<BlockNumber> {
	/// Base units paid out of the ecosystem account every block.
	pub block_emission: u128,
	/// 𝓔 = e · N_staked of the month, base units.
	pub monthly_emission: u128,
	/// ê_target of the last recalculation.
	pub target_per_token: Fixed,
	/// ê_max = ξ_max / f_stakers of the last recalculation.
	pub max_per_token: Fixed,
	/// e: the smoothed emission per staked token (the EMA's state); `None` before the first
	/// recalculation.
	pub per_token: Option<Fixed>,
	/// Block of the last successful recalculation (0: never).
	pub last_recalculated: BlockNumber,
	/// True while a recalculation is due (genesis, governance, or no stake yet): tried again
	/// every block until it succeeds.
	pub pending: bool,
}

/// One actor's reward in a paid round.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ActorReward<AccountId> {
	/// The worker or reputer.
	pub who: AccountId,
	/// Its raw reward fraction u, v or w (spec 6.4).
	pub fraction: Fixed,
	/// fraction × task total, truncated to base units (spec 6.7).
	pub reward: u128,
	/// Reputers: the part shared among its delegators (spec 6.8); workers: 0.
	pub delegators: u128,
	/// What reached the actor (and its delegators); `reward − paid` stayed as dust.
	pub paid: u128,
}

/// Rewards of one role, bounded.
pub type ActorRewards<AccountId, S> = BoundedVec<ActorReward<AccountId>, S>;

/// A topic's latest paid round (spec 6.4-6.8, 7.2).
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxInferers, MaxForecasters, MaxReputers))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
#[allow(clippy::multiple_bound_locations)]
pub struct TopicRewards<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxInferers: Get<u32>,
	MaxForecasters: Get<u32>,
	MaxReputers: Get<u32>,
> {
	/// The reputer nonce paid.
	pub nonce: BlockNumber,
	/// The block it was paid in.
	pub paid_at: BlockNumber,
	/// E_t: the topic's reward for the round, base units (spec 7.2).
	pub topic_reward: u128,
	/// F_i, G_i, H_i (spec 6.5).
	pub entropies: [Fixed; 3],
	/// T_i = ℓ⁻_i − ℓ_i (spec 6.6).
	pub forecaster_task_score: Fixed,
	/// τ_i after the round.
	pub tau: Fixed,
	/// χ.
	pub chi: Fixed,
	/// γ.
	pub gamma: Fixed,
	/// U_i, V_i, W_i in base units (truncated).
	pub task_rewards: [u128; 3],
	/// Per inferer.
	pub inferers: ActorRewards<AccountId, MaxInferers>,
	/// Per forecaster.
	pub forecasters: ActorRewards<AccountId, MaxForecasters>,
	/// Per reputer.
	pub reputers: ActorRewards<AccountId, MaxReputers>,
	/// Σ paid to actors and delegators.
	pub paid: u128,
	/// topic_reward − paid: stays in the reward treasury, never lost.
	pub dust: u128,
}

/// A topic's latest paid round for clients.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicRewardsView<AccountId, BlockNumber> {
	/// The reputer nonce paid.
	pub nonce: BlockNumber,
	/// The block it was paid in.
	pub paid_at: BlockNumber,
	/// E_t in base units.
	pub topic_reward: u128,
	/// F_i, G_i, H_i.
	pub entropies: [Fixed; 3],
	/// T_i.
	pub forecaster_task_score: Fixed,
	/// τ_i.
	pub tau: Fixed,
	/// χ.
	pub chi: Fixed,
	/// γ.
	pub gamma: Fixed,
	/// U_i, V_i, W_i in base units.
	pub task_rewards: [u128; 3],
	/// Per inferer.
	pub inferers: Vec<ActorReward<AccountId>>,
	/// Per forecaster.
	pub forecasters: Vec<ActorReward<AccountId>>,
	/// Per reputer.
	pub reputers: Vec<ActorReward<AccountId>>,
	/// Σ paid.
	pub paid: u128,
	/// Dust kept by the treasury.
	pub dust: u128,
}

/// The supply as the emission sees it, for clients (base units).
#[derive(
	Clone, Default, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct SupplyInfo {
	/// The hard cap.
	pub max_supply: u128,
	/// Total issuance now.
	pub total_issuance: u128,
	/// Minted by the ecosystem so far.
	pub ecosystem_minted: u128,
	/// What the ecosystem may still mint.
	pub ecosystem_remaining: u128,
	/// T_total: the ecosystem account's balance plus what it may still mint.
	pub ecosystem_treasury: u128,
	/// N_staked: reputer and delegator stake (validator staking does not exist yet).
	pub staked: u128,
	/// Still locked by vesting (spec 8.4).
	pub locked: u128,
	/// N_circ = max supply − locked − T_total (0 if negative).
	pub circulating: u128,
	/// The reward treasury's balance (topic rewards not yet paid).
	pub reward_treasury: u128,
	/// The validators' pot (paid by stake once staking exists).
	pub validator_pot: u128,
}

/// The emission for clients.
#[derive(
	Clone, Default, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct EmissionInfo<BlockNumber> {
	/// The state of the last recalculation.
	pub state: EmissionState<BlockNumber>,
	/// The topic-reward part of this block's emission (e_blk of spec 7.2).
	pub reward_block_emission: u128,
	/// r: the share of topic rewards that went to reputers last month (fix n).
	pub reputer_share: Fixed,
	/// The mint parameters.
	pub params: MintParams,
}

/// Why a monthly recalculation could not run.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub enum RecalculationFailure {
	/// Nothing is staked: the emission per staked token is undefined.
	NoStake,
	/// Locked and treasury tokens exceed the max supply (negative circulating supply).
	NegativeCirculatingSupply,
	/// An intermediate value overflowed.
	Overflow,
}

/// Why a round's reward step was skipped (defined with the reward step's other half).
pub use pallet_reputation::SkipReason;

/// The validator pot's payout of one era and what `payout_stakers` has paid of it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub struct EraCommitment {
	/// The staking era.
	pub era: u32,
	/// Its payout (base units).
	pub committed: u128,
	/// Paid of it so far.
	pub paid: u128,
}
