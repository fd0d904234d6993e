//! Types of the reputation pallet: the loss bundle a reputer submits (spec 1.5), the stored
//! regret entries, and the results of a closed round served to clients.

use alloc::vec::Vec;
use allora_math::Fixed;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PalletError,
	PartialEqNoBound,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A reputer's losses for one reputer nonce (spec 1.5): the (log-)loss of every network
/// value of the nonce against the ground truth. Lists name workers of the nonce's snapshot,
/// each at most once; a worker left out reads as missing (spec 5.6).
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
#[scale_info(skip_type_params(MaxInferers, MaxForecasters, MaxPairs))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct LossBundle<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxInferers: Get<u32>,
	MaxForecasters: Get<u32>,
	MaxPairs: Get<u32>,
> {
	/// ℓ_i: loss of the combined network inference (required).
	pub combined_value: Option<Fixed>,
	/// ℓ⁻_i: loss of the naive network inference (required).
	pub naive_value: Option<Fixed>,
	/// ℓ_ij per inferer.
	pub inferer_values: BoundedVec<(AccountId, Fixed), MaxInferers>,
	/// ℓ_ik per forecaster (its forecast-implied inference).
	pub forecaster_values: BoundedVec<(AccountId, Fixed), MaxForecasters>,
	/// ℓ⁻_{j′i} per withheld inferer j′.
	pub one_out_inferer_values: BoundedVec<(AccountId, Fixed), MaxInferers>,
	/// ℓ⁻_{k′i} per withheld forecaster k′.
	pub one_out_forecaster_values: BoundedVec<(AccountId, Fixed), MaxForecasters>,
	/// ℓ⁺_{ki} per one-in forecaster k.
	pub one_in_forecaster_values: BoundedVec<(AccountId, Fixed), MaxForecasters>,
	/// ℓ⁻_{j′ik} as (forecaster k, withheld inferer j′, loss).
	pub one_out_inferer_forecaster_values: BoundedVec<(AccountId, AccountId, Fixed), MaxPairs>,
}

/// The list of a loss bundle an error points at.
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
	PalletError,
	MaxEncodedLen,
)]
pub enum BundleList {
	/// `combined_value`.
	Combined,
	/// `naive_value`.
	Naive,
	/// `inferer_values`.
	Inferer,
	/// `forecaster_values`.
	Forecaster,
	/// `one_out_inferer_values`.
	OneOutInferer,
	/// `one_out_forecaster_values`.
	OneOutForecaster,
	/// `one_in_forecaster_values`.
	OneInForecaster,
	/// `one_out_inferer_forecaster_values`.
	OneOutInfererForecaster,
}

/// The four regret families keyed by one actor (spec 5.4).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum SingleFamily {
	/// R_j.
	Inferer,
	/// R_k.
	Forecaster,
	/// R^naive_j.
	NaiveInferer,
	/// R⁺_{k,k}.
	OneInForecasterSelf,
}

impl SingleFamily {
	/// Every single-actor family, in storage-key order.
	pub const ALL: [Self; 4] =
		[Self::Inferer, Self::Forecaster, Self::NaiveInferer, Self::OneInForecasterSelf];
}

/// The five regret families keyed by (withheld or one-in actor, actor) (spec 5.4).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum PairFamily {
	/// R⁻_{j′,j}.
	OneOutInfererInferer,
	/// R⁻_{j′,k}.
	OneOutInfererForecaster,
	/// R⁻_{k′,j}.
	OneOutForecasterInferer,
	/// R⁻_{k′,k}.
	OneOutForecasterForecaster,
	/// R⁺_{k,j}.
	OneInForecasterInferer,
}

impl PairFamily {
	/// Every pair family, in storage-key order.
	pub const ALL: [Self; 5] = [
		Self::OneOutInfererInferer,
		Self::OneOutInfererForecaster,
		Self::OneOutForecasterInferer,
		Self::OneOutForecasterForecaster,
		Self::OneInForecasterInferer,
	];
}

/// A stored regret and the reputer nonce that last updated it (spec 5.4 "timestamp N").
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
pub struct RegretValue<BlockNumber> {
	/// The regret.
	pub value: Fixed,
	/// The nonce of its last update.
	pub nonce: BlockNumber,
}

/// A reputer's result in a closed round (spec 5.6).
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
pub struct ReputerResult<AccountId> {
	/// The reputer.
	pub reputer: AccountId,
	/// Its total stake S_m (own + delegated, base units) used in the round.
	pub stake: u128,
	/// Its instant score T_m.
	pub score: Fixed,
	/// Its new listening coefficient a_m.
	pub listening_coefficient: Fixed,
	/// Its adjusted stake Ŝ_m at the start of the last gradient iteration.
	pub adjusted_stake: Fixed,
}

/// Per-actor values of one role, ascending by account.
pub type ScoresOf<AccountId, S> = BoundedVec<(AccountId, Fixed), S>;

/// The stored outcome of a topic's latest closed reputer nonce.
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
pub struct RoundOutcome<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxInferers: Get<u32>,
	MaxForecasters: Get<u32>,
	MaxReputers: Get<u32>,
> {
	/// The reputer (= worker) nonce.
	pub nonce: BlockNumber,
	/// The block it was closed in.
	pub closed_at: BlockNumber,
	/// Inferer instant scores T_ij (spec 6.2).
	pub inferer_scores: ScoresOf<AccountId, MaxInferers>,
	/// Forecaster instant scores T_ik (spec 6.2).
	pub forecaster_scores: ScoresOf<AccountId, MaxForecasters>,
	/// The accepted reputers' stakes, scores, listening coefficients and adjusted stakes.
	pub reputers: BoundedVec<ReputerResult<AccountId>, MaxReputers>,
	/// The topic initial regret after the round (spec 5.5).
	pub initial_regret: Fixed,
}

/// Why a reputer nonce was closed without results.
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
pub enum DropReason {
	/// The topic no longer exists.
	TopicNotFound,
	/// The nonce's inference snapshot is gone (pruned).
	NoSnapshot,
	/// No bundle came from a reputer holding `RequiredMinimumStake`.
	NoStakedReputer,
	/// The mechanism failed on the inputs (arithmetic overflow on extreme values).
	MechanismFailed,
	/// A storage layer could not be opened.
	Storage,
	/// The nonce left the topic's unfulfilled reputer nonces before it could be closed
	/// (governance lowered `max_unfulfilled_reputer_requests`, or it was pruned); its bundles
	/// were removed.
	Expired,
}

/// Why a settled round's reward step was skipped: nothing it writes is kept (fix m, spec
/// README decision 10), only the settlement's regrets and initial regret.
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
pub enum SkipReason {
	/// The topic no longer exists.
	TopicNotFound,
	/// The topic or the sum of active topic weights is zero.
	NoTopicWeight,
	/// The topic's reward is zero (no emission yet, or an empty treasury).
	NoReward,
	/// The mechanism failed on the round's values (e.g. every reputer fraction is zero).
	MechanismFailed,
	/// A storage layer could not be opened.
	Storage,
	/// The round has no inferer scores: it was synthesised in the median or single-inference
	/// mode (spec 4.7 cases 2-3), which has no one-out values, so the inferer entropy is over
	/// an empty set (spec 6.5).
	NoScoredInferers,
	/// The reputer consensus (spec 5.6) failed on the round's bundles.
	ConsensusFailed,
}

impl From<sp_runtime::DispatchError> for SkipReason {
	fn from(_: sp_runtime::DispatchError) -> Self {
		SkipReason::Storage
	}
}

impl From<sp_runtime::DispatchError> for DropReason {
	fn from(_: sp_runtime::DispatchError) -> Self {
		DropReason::Storage
	}
}

/// Values of one regret family with two keys, as (first, second, regret).
pub type PairValues<AccountId> = Vec<(AccountId, AccountId, Fixed)>;

/// A topic's stored regrets, family by family, for clients (spec 5.4): the first key of a
/// pair family is the withheld (one-out) or added (one-in) actor.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RegretsView<AccountId> {
	/// The topic initial regret (read for every actor without a stored value).
	pub initial_regret: Fixed,
	/// R_j.
	pub inferer: Vec<(AccountId, Fixed)>,
	/// R_k.
	pub forecaster: Vec<(AccountId, Fixed)>,
	/// R^naive_j.
	pub naive_inferer: Vec<(AccountId, Fixed)>,
	/// R⁻_{j′,j}.
	pub one_out_inferer_inferer: PairValues<AccountId>,
	/// R⁻_{j′,k}.
	pub one_out_inferer_forecaster: PairValues<AccountId>,
	/// R⁻_{k′,j}.
	pub one_out_forecaster_inferer: PairValues<AccountId>,
	/// R⁻_{k′,k}.
	pub one_out_forecaster_forecaster: PairValues<AccountId>,
	/// R⁺_{k,j}.
	pub one_in_forecaster_inferer: PairValues<AccountId>,
	/// R⁺_{k,k}.
	pub one_in_forecaster_self: Vec<(AccountId, Fixed)>,
}

/// The network losses of a closed round (spec 5.3), for clients.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct NetworkLossesView<AccountId> {
	/// ℓ_i.
	pub combined_value: Fixed,
	/// ℓ⁻_i.
	pub naive_value: Fixed,
	/// ℓ_ij.
	pub inferer_values: Vec<(AccountId, Fixed)>,
	/// ℓ_ik.
	pub forecaster_values: Vec<(AccountId, Fixed)>,
	/// ℓ⁻_{j′i}.
	pub one_out_inferer_values: Vec<(AccountId, Fixed)>,
	/// ℓ⁻_{k′i}.
	pub one_out_forecaster_values: Vec<(AccountId, Fixed)>,
	/// ℓ⁺_{ki}.
	pub one_in_forecaster_values: Vec<(AccountId, Fixed)>,
	/// ℓ⁻_{j′ik} as (forecaster, withheld inferer, loss).
	pub one_out_inferer_forecaster_values: PairValues<AccountId>,
}

/// Everything a closed round produced, for clients.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RoundResults<AccountId, BlockNumber> {
	/// The reputer (= worker) nonce.
	pub nonce: BlockNumber,
	/// The block it was closed in.
	pub closed_at: BlockNumber,
	/// The network losses.
	pub network_losses: NetworkLossesView<AccountId>,
	/// Inferer instant scores.
	pub inferer_scores: Vec<(AccountId, Fixed)>,
	/// Forecaster instant scores.
	pub forecaster_scores: Vec<(AccountId, Fixed)>,
	/// Reputer stakes, scores, listening coefficients and adjusted stakes.
	pub reputers: Vec<ReputerResult<AccountId>>,
	/// The topic initial regret after the round.
	pub initial_regret: Fixed,
}

/// An open reputer nonce and who has reported for it.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ReputerNonceStatus<AccountId, BlockNumber> {
	/// The nonce N (the worker nonce whose predictions are judged).
	pub nonce: BlockNumber,
	/// First block accepting bundles: N + G.
	pub window_opens: BlockNumber,
	/// Last block accepting bundles: N + 2G.
	pub window_closes: BlockNumber,
	/// The reputers of the active set (their bundles count), ascending.
	pub reputers: Vec<AccountId>,
}
