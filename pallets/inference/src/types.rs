//! Types of the inference pallet: roles and score EMAs (merit sortition), round summaries, the
//! stored latest network inference, and the full network-inference bundle served to dApps.

use alloc::vec::Vec;
use allora_math::Fixed;
use allora_synthesis::inference::{NetworkInference, SynthesisMode};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use pallet_topics::TopicId;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// The role an actor plays in a topic; each role has its own score EMA and active set.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub enum Role {
	/// A worker's inference.
	Inferer,
	/// A worker's forecast.
	Forecaster,
	/// A reputer's loss bundle.
	Reputer,
}

/// An actor's score EMA and the nonce it was last updated for (spec 3.5, 6.3).
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ScoreEma<BlockNumber> {
	/// The nonce of the last update.
	pub nonce: BlockNumber,
	/// The EMA value.
	pub score: Fixed,
}

/// One element of a forecast: the loss the forecaster predicts for `inferer`.
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub struct ForecastElement<AccountId> {
	/// The inferer the forecast is about (a registered worker of the topic).
	pub inferer: AccountId,
	/// The forecasted loss.
	pub value: Fixed,
}

/// A forecast as submitted: at most `MaxForecastElements` elements.
pub type ForecastOf<AccountId, S> = BoundedVec<ForecastElement<AccountId>, S>;

/// What happened to a closed worker nonce.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RoundSummary<BlockNumber> {
	/// The block the window was closed in.
	pub closed_at: BlockNumber,
	/// Inferences in the snapshot.
	pub inferers: u32,
	/// Forecasts in the snapshot (after filtering).
	pub forecasters: u32,
	/// The path of spec 4.7 the window close took (`None`: the synthesis failed, or the
	/// nonce closed before storage version 3).
	pub mode: Option<InferenceMode>,
	/// The value lists the window close produced: what a loss bundle may judge.
	pub produced: ProducedLists,
}

/// The optional value lists of a nonce's network inference at its window close (spec 4.7):
/// a loss bundle may judge only these (spec README decision 12). The combined, naive and
/// inferer values always exist; the median and single-inference modes produce nothing else.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ProducedLists {
	/// I_ik per forecaster.
	pub forecaster: bool,
	/// I⁻_{j′i} per withheld inferer.
	pub one_out_inferer: bool,
	/// I⁻_{k′i} per withheld forecaster.
	pub one_out_forecaster: bool,
	/// I⁺_{ki} per one-in forecaster.
	pub one_in_forecaster: bool,
	/// I⁻_{j′ik} per (forecaster, withheld inferer).
	pub one_out_inferer_forecaster: bool,
}

impl ProducedLists {
	/// Every list (nonces closed before the lists were recorded).
	pub const ALL: Self = Self {
		forecaster: true,
		one_out_inferer: true,
		one_out_forecaster: true,
		one_in_forecaster: true,
		one_out_inferer_forecaster: true,
	};

	/// The non-empty lists of a computed bundle.
	pub fn of<A, B>(b: &NetworkInferenceBundle<A, B>) -> Self {
		Self {
			forecaster: !b.forecaster_values.is_empty(),
			one_out_inferer: !b.one_out_inferer_values.is_empty(),
			one_out_forecaster: !b.one_out_forecaster_values.is_empty(),
			one_in_forecaster: !b.one_in_forecaster_values.is_empty(),
			one_out_inferer_forecaster: !b.one_out_inferer_forecaster_values.is_empty(),
		}
	}
}

/// Which path of spec 4.7 produced a network inference.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub enum InferenceMode {
	/// One inference: combined = naive = that value.
	SingleInference,
	/// No network loss yet: combined = median of the inferences.
	NoNetworkLoss,
	/// Topic initial regret 0: plain means.
	AllNew,
	/// Regret-weighted (spec 4.4-4.6).
	Regret,
}

impl From<SynthesisMode> for InferenceMode {
	fn from(mode: SynthesisMode) -> Self {
		match mode {
			SynthesisMode::SingleInference => InferenceMode::SingleInference,
			SynthesisMode::NoNetworkLoss => InferenceMode::NoNetworkLoss,
			SynthesisMode::AllNew => InferenceMode::AllNew,
			SynthesisMode::Regret => InferenceMode::Regret,
		}
	}
}

/// The latest network inference of a topic, stored when a worker window closes (decision 7).
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct LatestInference<BlockNumber> {
	/// The worker nonce it was computed for.
	pub nonce: BlockNumber,
	/// The combined (regret-weighted) network inference.
	pub combined_value: Fixed,
	/// The 2.28/15.87/50/84.13/97.72 weighted percentiles (empty outside regret mode).
	pub confidence_interval: BoundedVec<Fixed, ConstU32<5>>,
	/// The synthesis path.
	pub mode: InferenceMode,
}

/// One value per actor.
pub type ActorValues<AccountId> = Vec<(AccountId, Fixed)>;

/// The full network-inference bundle of a nonce (spec 4.5-4.8), as the runtime API and the
/// `allora_networkInference` RPC serve it. Every list is in ascending account order.
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInferenceBundle<AccountId, BlockNumber> {
	/// The topic.
	pub topic_id: TopicId,
	/// The worker nonce of the snapshot.
	pub nonce: BlockNumber,
	/// The synthesis path.
	pub mode: InferenceMode,
	/// I_i: the combined network inference.
	pub combined_value: Fixed,
	/// I⁻_i: the naive network inference (inferers only).
	pub naive_value: Fixed,
	/// I_ij: each inferer's inference.
	pub inferer_values: ActorValues<AccountId>,
	/// I_ik: each forecaster's forecast-implied inference.
	pub forecaster_values: ActorValues<AccountId>,
	/// I⁻_{j′i}: the network inference without inferer j′.
	pub one_out_inferer_values: ActorValues<AccountId>,
	/// I⁻_{k′i}: the network inference without forecaster k′.
	pub one_out_forecaster_values: ActorValues<AccountId>,
	/// I⁺_{ki}: the naive inference plus forecaster k only.
	pub one_in_forecaster_values: ActorValues<AccountId>,
	/// I⁻_{j′ik}: forecaster k's forecast-implied inference without inferer j′, as
	/// (forecaster, withheld inferer, value).
	pub one_out_inferer_forecaster_values: Vec<(AccountId, AccountId, Fixed)>,
	/// Each inferer's weight in the combined value.
	pub inferer_weights: ActorValues<AccountId>,
	/// Each forecaster's weight in the combined value.
	pub forecaster_weights: ActorValues<AccountId>,
	/// The weighted percentiles 2.28/15.87/50/84.13/97.72 (regret mode only).
	pub confidence_interval_percentiles: Vec<Fixed>,
	/// The values at those percentiles.
	pub confidence_interval_values: Vec<Fixed>,
}

impl<AccountId: Ord + Clone, BlockNumber> NetworkInferenceBundle<AccountId, BlockNumber> {
	/// Flattens the synthesis library's result for `topic_id` and `nonce`.
	pub fn new(topic_id: TopicId, nonce: BlockNumber, ni: NetworkInference<AccountId>) -> Self {
		let list = |m: alloc::collections::BTreeMap<AccountId, Fixed>| m.into_iter().collect();
		let has_interval = !ni.confidence_interval.is_empty();
		let values = ni.values;
		NetworkInferenceBundle {
			topic_id,
			nonce,
			mode: ni.mode.into(),
			combined_value: values.combined,
			naive_value: values.naive,
			inferer_values: list(values.inferer),
			forecaster_values: list(values.forecaster),
			one_out_inferer_values: list(values.one_out_inferer),
			one_out_forecaster_values: list(values.one_out_forecaster),
			one_in_forecaster_values: list(values.one_in_forecaster),
			one_out_inferer_forecaster_values: values
				.one_out_inferer_forecaster
				.into_iter()
				.map(|((k, j), v)| (k, j, v))
				.collect(),
			inferer_weights: list(ni.inferer_weights),
			forecaster_weights: list(ni.forecaster_weights),
			confidence_interval_percentiles: if has_interval {
				allora_synthesis::stats::confidence_percentiles().to_vec()
			} else {
				Vec::new()
			},
			confidence_interval_values: ni.confidence_interval,
		}
	}
}

/// Why the runtime API has no network inference for a query.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum InferenceQueryError {
	/// No topic has this id.
	TopicNotFound,
	/// The nonce has no closed snapshot (not closed yet, pruned, or never opened).
	NoSnapshot,
	/// The snapshot holds no inference.
	NoInferences,
	/// The synthesis failed (arithmetic overflow on extreme inputs).
	SynthesisFailed,
}

/// The open worker and reputer nonces of a topic, newest first.
#[derive(
	Clone,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct OpenNonces<BlockNumber> {
	/// Worker nonces whose submission window is open or not yet closed.
	pub worker_nonces: Vec<BlockNumber>,
	/// Reputer nonces waiting for loss bundles.
	pub reputer_nonces: Vec<BlockNumber>,
}

/// A topic with the chain's state on it, for clients.
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct TopicInfo<AccountId, BlockNumber> {
	/// The topic's id.
	pub topic_id: TopicId,
	/// The topic record (creator, configuration, last epoch end, initial regret).
	pub topic: pallet_topics::Topic<AccountId, BlockNumber>,
	/// Current fee revenue (base units).
	pub fee_revenue: u128,
	/// Last stored (EMA) weight, if it was ever processed.
	pub weight: Option<Fixed>,
	/// The next epoch end, if active.
	pub next_epoch_end: Option<BlockNumber>,
	/// Registered workers.
	pub workers: u32,
	/// The latest stored network inference.
	pub latest_inference: Option<LatestInference<BlockNumber>>,
}
