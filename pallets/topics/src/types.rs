//! Types of the topics pallet: a topic (spec 1.1), the network parameters (spec 9.1), their
//! updates and validation, and the names of the fields a validation error points at.

use allora_math::Fixed;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec, PalletError};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::traits::UniqueSaturatedInto;

/// A topic's id; the first topic is 1 (spec 1.1).
pub type TopicId = u64;

/// Storage bound of a topic's metadata and loss method; the parameter `max_string_length`
/// can only lower it.
pub const MAX_STRING_LENGTH: u32 = 255;

/// A UTF-8 string of at most [`MAX_STRING_LENGTH`] bytes.
pub type BoundedString = BoundedVec<u8, ConstU32<MAX_STRING_LENGTH>>;

/// Storage bound of the parameter `version`.
pub type VersionString = BoundedVec<u8, ConstU32<32>>;

/// Raw value of 10^-3 in [`Fixed`].
const MILLI: i128 = 1_000_000_000_000_000;
/// One micro-ALLO (the reference's `uallo`) in base units.
pub const MICRO_ALLO: u128 = 1_000_000_000_000;

const fn fx_milli(thousandths: i128) -> Fixed {
	Fixed::from_raw(thousandths.saturating_mul(MILLI))
}

/// The largest magnitude a topic may declare for inferences: 10^12. Every accepted inference
/// lies in [−10^12, 10^12], so sums, medians, deviations and weighted means of up to 2^20
/// inferences stay far inside the fixed-point range (±1.7·10^20).
pub const MAX_INFERENCE_MAGNITUDE: Fixed =
	Fixed::from_raw(1_000_000_000_000_000_000_000_000_000_000);

/// The largest magnitude a topic may declare for (log-)losses, reported or forecast: 10^6.
/// Regrets are differences of losses (≤ 4·10^6 apart), so their squares, the Gram matrices of
/// reputer consensus over every entry of a full bundle and the score spreads all fit.
pub const MAX_LOSS_MAGNITUDE: Fixed = Fixed::from_raw(1_000_000_000_000_000_000_000_000);

/// The most listening-coefficient iterations governance may set: the settlement's benchmark
/// runs this many (issue 12, finding 7).
pub const MAX_GRADIENT_DESCENT_ITERS: u32 = 20;

/// The most scores per window governance may set (`max_samples_to_scale_scores`); the
/// emissions pallet's `MaxScoreSamples` storage bound must be at least this.
pub const MAX_SCORE_SAMPLES: u32 = 64;

/// The most stake removals of each kind per block governance may set
/// (`half_max_process_stake_removals_end_block`); the stake pallet's `MaxRemovalsPerBlock`
/// (benchmarked) must be at least twice this.
pub const MAX_HALF_STAKE_REMOVALS_PER_BLOCK: u32 = 40;

/// A closed interval [min, max] of values a topic accepts.
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
pub struct ValueRange {
	/// Smallest accepted value.
	pub min: Fixed,
	/// Largest accepted value.
	pub max: Fixed,
}

impl ValueRange {
	/// Every inference a topic may accept: ±[`MAX_INFERENCE_MAGNITUDE`].
	pub const WIDEST_INFERENCE: ValueRange = ValueRange {
		min: Fixed::from_raw(-1_000_000_000_000_000_000_000_000_000_000),
		max: MAX_INFERENCE_MAGNITUDE,
	};
	/// Every loss a topic may accept: ±[`MAX_LOSS_MAGNITUDE`].
	pub const WIDEST_LOSS: ValueRange = ValueRange {
		min: Fixed::from_raw(-1_000_000_000_000_000_000_000_000),
		max: MAX_LOSS_MAGNITUDE,
	};

	/// `min ≤ x ≤ max`.
	pub fn contains(&self, x: Fixed) -> bool {
		self.min <= x && x <= self.max
	}

	/// `min < max`, both within `±cap`.
	fn is_valid_within(&self, cap: Fixed) -> bool {
		self.min < self.max && self.min >= cap.saturating_neg() && self.max <= cap
	}
}

/// The fields of a topic chosen by its creator (spec 1.1, validation spec 9.2 with fix a).
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
pub struct TopicConfig<BlockNumber> {
	/// Free text describing the topic.
	pub metadata: BoundedString,
	/// How reputers compute losses (e.g. `mse`); informational, non-empty.
	pub loss_method: BoundedString,
	/// E: blocks per epoch.
	pub epoch_length: BlockNumber,
	/// G: blocks until the ground truth is known; E ≤ G ≤ (max_unfulfilled_reputer_requests − 2)·E/2,
	/// so that every nonce is still kept when its reputer window N + 2G has passed.
	pub ground_truth_lag: BlockNumber,
	/// W: blocks during which workers submit for a nonce; 1 ≤ W < E (fix a).
	pub worker_submission_window: BlockNumber,
	/// p: slope of the regret → weight map, in [2.5, 4.5].
	pub p_norm: Fixed,
	/// α_R: EMA rate of the regrets, in (0, 1].
	pub alpha_regret: Fixed,
	/// Informational: whether losses may be negative (spec 0.3.1).
	pub allow_negative: bool,
	/// ε ∈ [10^-9, 10^3]: floor of standard deviations in the regret normalisation (bounded so
	/// that a regret over ε always fits the fixed-point range).
	pub epsilon: Fixed,
	/// EMA rate of the score EMAs used by merit sortition, in [0, 1).
	pub merit_sortition_alpha: Fixed,
	/// Quantile of instant inferer scores given to passive inferers, in [0, 1).
	pub active_inferer_quantile: Fixed,
	/// Quantile of instant forecaster scores given to passive forecasters, in [0, 1).
	pub active_forecaster_quantile: Fixed,
	/// Quantile of instant reputer scores given to passive reputers, in [0, 1).
	pub active_reputer_quantile: Fixed,
	/// The inferences the topic accepts; within ±[`MAX_INFERENCE_MAGNITUDE`].
	pub inference_range: ValueRange,
	/// The losses reputers may report and forecasters may predict (log-losses unless
	/// `allow_negative`, spec 0.3.1); within ±[`MAX_LOSS_MAGNITUDE`].
	pub loss_range: ValueRange,
}

/// A topic: its creator, its configuration and the state the chain keeps on it (spec 1.1).
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
pub struct Topic<AccountId, BlockNumber> {
	/// The account that created (and paid for) the topic.
	pub creator: AccountId,
	/// The creator's choices, updatable by governance.
	pub config: TopicConfig<BlockNumber>,
	/// The block of the topic's last epoch end (its newest worker nonce); 0 before the first.
	pub epoch_last_ended: BlockNumber,
	/// The regret of actors without a stored regret (spec 5.5); 0 switches synthesis to the
	/// "all inferers are new" mode.
	pub initial_regret: Fixed,
}

/// A worker's or reputer's registration on a topic: the deposit it holds and when it last
/// submitted (or registered). Inactive registrations can be pruned by anyone for the deposit.
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
)]
pub struct Registration<BlockNumber> {
	/// Held under `HoldReason::RegistrationDeposit` (base units), returned on unregistering.
	pub deposit: u128,
	/// The block of the registration or of the actor's latest accepted submission.
	pub last_active: BlockNumber,
}

/// A governance update of a topic: `Some` fields are set, `None` fields are kept.
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
	MaxEncodedLen,
)]
pub struct TopicUpdate<BlockNumber> {
	/// New metadata.
	pub metadata: Option<BoundedString>,
	/// New loss method.
	pub loss_method: Option<BoundedString>,
	/// New epoch length (takes effect from the next epoch end).
	pub epoch_length: Option<BlockNumber>,
	/// New ground-truth lag.
	pub ground_truth_lag: Option<BlockNumber>,
	/// New worker submission window.
	pub worker_submission_window: Option<BlockNumber>,
	/// New p.
	pub p_norm: Option<Fixed>,
	/// New α_R.
	pub alpha_regret: Option<Fixed>,
	/// New `allow_negative`.
	pub allow_negative: Option<bool>,
	/// New ε.
	pub epsilon: Option<Fixed>,
	/// New merit-sortition α.
	pub merit_sortition_alpha: Option<Fixed>,
	/// New inferer quantile.
	pub active_inferer_quantile: Option<Fixed>,
	/// New forecaster quantile.
	pub active_forecaster_quantile: Option<Fixed>,
	/// New reputer quantile.
	pub active_reputer_quantile: Option<Fixed>,
	/// New inference range (applies to submissions from now on).
	pub inference_range: Option<ValueRange>,
	/// New loss range (applies to submissions from now on).
	pub loss_range: Option<ValueRange>,
}

impl<BlockNumber> TopicConfig<BlockNumber> {
	/// Applies the `Some` fields of `update`.
	pub fn apply(&mut self, update: TopicUpdate<BlockNumber>) {
		macro_rules! set {
			($($f:ident),*) => { $( if let Some(v) = update.$f { self.$f = v; } )* };
		}
		set!(
			metadata,
			loss_method,
			epoch_length,
			ground_truth_lag,
			worker_submission_window,
			p_norm,
			alpha_regret,
			allow_negative,
			epsilon,
			merit_sortition_alpha,
			active_inferer_quantile,
			active_forecaster_quantile,
			active_reputer_quantile,
			inference_range,
			loss_range
		);
	}
}

/// The topic field a validation error is about.
#[derive(
	Clone, Copy, Encode, Decode, DecodeWithMemTracking, PartialEq, Eq, Debug, TypeInfo, PalletError,
)]
pub enum TopicField {
	/// Longer than `max_string_length`.
	Metadata,
	/// Empty or longer than `max_string_length`.
	LossMethod,
	/// Below `min_epoch_length` (or 0).
	EpochLength,
	/// Outside [E, (max_unfulfilled_reputer_requests − 2)·E/2].
	GroundTruthLag,
	/// Outside [1, E) (fix a: W = E never closes a window).
	WorkerSubmissionWindow,
	/// Outside [2.5, 4.5].
	PNorm,
	/// Outside (0, 1].
	AlphaRegret,
	/// Outside [10^-9, 10^3].
	Epsilon,
	/// Outside [0, 1).
	MeritSortitionAlpha,
	/// Outside [0, 1).
	ActiveInfererQuantile,
	/// Outside [0, 1).
	ActiveForecasterQuantile,
	/// Outside [0, 1).
	ActiveReputerQuantile,
	/// Not min < max within ±`MAX_INFERENCE_MAGNITUDE`.
	InferenceRange,
	/// Not min < max within ±`MAX_LOSS_MAGNITUDE`.
	LossRange,
}

/// `lo ≤ x ≤ hi`.
fn within(x: Fixed, lo: Fixed, hi: Fixed) -> bool {
	lo <= x && x <= hi
}

/// `0 ≤ x < 1`.
fn unit_half_open(x: Fixed) -> bool {
	!x.is_negative() && x < Fixed::ONE
}

/// `0 < x < 1`.
fn unit_open(x: Fixed) -> bool {
	x.is_positive() && x < Fixed::ONE
}

impl<BlockNumber: Copy + UniqueSaturatedInto<u64>> TopicConfig<BlockNumber> {
	/// Checks every constraint of spec 9.2 (with W < E, fix a) against the network parameters.
	pub fn validate(&self, params: &NetworkParams) -> Result<(), TopicField> {
		let max_len = usize::try_from(params.max_string_length).unwrap_or(usize::MAX);
		if self.metadata.len() > max_len {
			return Err(TopicField::Metadata);
		}
		if self.loss_method.is_empty() || self.loss_method.len() > max_len {
			return Err(TopicField::LossMethod);
		}
		let e: u64 = self.epoch_length.unique_saturated_into();
		if e == 0 || e < u64::from(params.min_epoch_length) {
			return Err(TopicField::EpochLength);
		}
		let w: u64 = self.worker_submission_window.unique_saturated_into();
		if w == 0 || w >= e {
			return Err(TopicField::WorkerSubmissionWindow);
		}
		let g: u64 = self.ground_truth_lag.unique_saturated_into();
		// Fix o closes nonce N at the first epoch end ≥ N + 2G; by then about 2G/E + 2 newer
		// reputer nonces exist, and only `max_unfulfilled_reputer_requests` are kept: a larger
		// G would drop N before it could settle (issue 12, finding 5).
		let max_g = e
			.saturating_mul(u64::from(params.max_unfulfilled_reputer_requests).saturating_sub(2))
			/ 2;
		if g < e || g > max_g {
			return Err(TopicField::GroundTruthLag);
		}
		if !within(self.p_norm, fx_milli(2_500), fx_milli(4_500)) {
			return Err(TopicField::PNorm);
		}
		if !(self.alpha_regret.is_positive() && self.alpha_regret <= Fixed::ONE) {
			return Err(TopicField::AlphaRegret);
		}
		if !within(self.epsilon, Fixed::from_raw(1_000_000_000), fx_milli(1_000_000)) {
			return Err(TopicField::Epsilon);
		}
		if !unit_half_open(self.merit_sortition_alpha) {
			return Err(TopicField::MeritSortitionAlpha);
		}
		if !unit_half_open(self.active_inferer_quantile) {
			return Err(TopicField::ActiveInfererQuantile);
		}
		if !unit_half_open(self.active_forecaster_quantile) {
			return Err(TopicField::ActiveForecasterQuantile);
		}
		if !unit_half_open(self.active_reputer_quantile) {
			return Err(TopicField::ActiveReputerQuantile);
		}
		if !self.inference_range.is_valid_within(MAX_INFERENCE_MAGNITUDE) {
			return Err(TopicField::InferenceRange);
		}
		if !self.loss_range.is_valid_within(MAX_LOSS_MAGNITUDE) {
			return Err(TopicField::LossRange);
		}
		Ok(())
	}
}

/// The storage bounds the network parameters must respect (the pallets' `Get<u32>` constants).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageBounds {
	/// Topics one block's schedule can hold.
	pub topics_per_block: u32,
	/// Inferers in one nonce's active set.
	pub inferers: u32,
	/// Forecasters in one nonce's active set.
	pub forecasters: u32,
	/// Reputers in one nonce's active set.
	pub reputers: u32,
	/// Elements of one forecast.
	pub forecast_elements: u32,
	/// Unfulfilled worker or reputer nonces kept per topic.
	pub unfulfilled_nonces: u32,
}

/// Defines [`NetworkParams`], [`ParamsUpdate`] and [`Param`] from one list, so that the three
/// can never disagree.
macro_rules! network_params {
	($( $(#[doc = $doc:literal])* $field:ident / $variant:ident : $ty:ty = $default:expr; )*) => {
		/// The network's global parameters (spec 9.1), set at genesis and by governance.
		#[derive(
			Clone, Encode, Decode, DecodeWithMemTracking, PartialEq, Eq, Debug, TypeInfo,
			MaxEncodedLen, Serialize, Deserialize,
		)]
		#[serde(rename_all = "camelCase", deny_unknown_fields)]
		pub struct NetworkParams {
			$( $(#[doc = $doc])* pub $field: $ty, )*
		}

		impl Default for NetworkParams {
			/// The defaults of spec 9.1, converted to this chain's units (see the README).
			fn default() -> Self {
				NetworkParams { $( $field: $default, )* }
			}
		}

		/// A governance update of the network parameters: `Some` fields are set.
		#[derive(
			Clone, Default, Encode, Decode, DecodeWithMemTracking, PartialEq, Eq, Debug,
			TypeInfo, MaxEncodedLen,
		)]
		pub struct ParamsUpdate {
			$( $(#[doc = $doc])* pub $field: Option<$ty>, )*
		}

		/// A network parameter, as named by a validation error.
		#[derive(
			Clone, Copy, Encode, Decode, DecodeWithMemTracking, PartialEq, Eq, Debug,
			TypeInfo, PalletError,
		)]
		pub enum Param {
			$( $(#[doc = $doc])* $variant, )*
		}

		impl NetworkParams {
			/// Applies the `Some` fields of `update`.
			pub fn apply(&mut self, update: ParamsUpdate) {
				$( if let Some(v) = update.$field { self.$field = v; } )*
			}
		}
	};
}

network_params! {
	/// Informational version string, 1-32 bytes.
	version / Version: VersionString = BoundedVec::truncate_from(b"v2".to_vec());
	/// Largest encoded worker payload, in bytes.
	max_serialized_msg_length / MaxSerializedMsgLength: u32 = 1_000_000;
	/// Topics below this weight (in ALLO units) are inactive (spec 3.4, 7.1).
	min_topic_weight / MinTopicWeight: Fixed = Fixed::from_raw(100_000_000_000_000);
	/// Stake (own + delegated, base units) a reputer needs.
	required_minimum_stake / RequiredMinimumStake: u128 = 10_000 * MICRO_ALLO;
	/// Blocks between a stake-removal request and its execution.
	remove_stake_delay_window / RemoveStakeDelayWindow: u32 = 302_400;
	/// Smallest epoch length of a new topic, in blocks (≥ 1).
	min_epoch_length / MinEpochLength: u32 = 12;
	/// β of the entropy (spec 6.5), in [0, 1].
	beta_entropy / BetaEntropy: Fixed = fx_milli(250);
	/// η of the listening-coefficient gradient ascent, in (0, 1).
	learning_rate / LearningRate: Fixed = fx_milli(50);
	/// Gradient-ascent stop threshold, in (0, 1).
	max_gradient_threshold / MaxGradientThreshold: Fixed = fx_milli(1);
	/// Smallest share of stake the listening coefficients keep, in [0, 1].
	min_stake_fraction / MinStakeFraction: Fixed = fx_milli(500);
	/// Unfulfilled worker nonces kept per topic (oldest dropped), ≥ 1.
	max_unfulfilled_worker_requests / MaxUnfulfilledWorkerRequests: u32 = 100;
	/// Unfulfilled reputer nonces kept per topic; also bounds G ≤ (this − 2)·E/2; ≥ 4.
	max_unfulfilled_reputer_requests / MaxUnfulfilledReputerRequests: u32 = 100;
	/// μ: exponent of the stake in the topic weight, in [0, 1].
	topic_reward_stake_importance / TopicRewardStakeImportance: Fixed = fx_milli(500);
	/// ν: exponent of the fee revenue rate in the topic weight, in [0, 1].
	topic_reward_fee_revenue_importance / TopicRewardFeeRevenueImportance: Fixed = fx_milli(500);
	/// α_w: EMA rate of the topic weight, in (0, 1).
	topic_reward_alpha / TopicRewardAlpha: Fixed = fx_milli(500);
	/// α_task: EMA rate of reward fractions and τ, in (0, 1).
	task_reward_alpha / TaskRewardAlpha: Fixed = fx_milli(100);
	/// v: validators' share of each block emission, in (0, 1] (v > 0 keeps the yield cap
	/// ξ_max/(v + (1 − v)·r) defined when no reputer stake was rewarded, r = 0).
	validators_vs_allora_percent_reward / ValidatorsVsAlloraPercentReward: Fixed = fx_milli(250);
	/// Scores kept per nonce and window of the score σ, 1..=64 (`MAX_SCORE_SAMPLES`).
	max_samples_to_scale_scores / MaxSamplesToScaleScores: u32 = 10;
	/// Inferer active-set size, 1..=storage bound.
	max_top_inferers_to_reward / MaxTopInferersToReward: u32 = 32;
	/// Forecaster active-set size, 0..=storage bound.
	max_top_forecasters_to_reward / MaxTopForecastersToReward: u32 = 6;
	/// Reputer active-set size, 1..=storage bound.
	max_top_reputers_to_reward / MaxTopReputersToReward: u32 = 6;
	/// Fee for creating a topic, base units.
	create_topic_fee / CreateTopicFee: u128 = 75_000 * MICRO_ALLO;
	/// Iterations of the listening-coefficient gradient ascent, 1..=20 (the benchmarked
	/// maximum, `MAX_GRADIENT_DESCENT_ITERS`).
	gradient_descent_max_iters / GradientDescentMaxIters: u32 = 10;
	/// Fee for registering as worker or reputer, base units.
	registration_fee / RegistrationFee: u128 = 200 * MICRO_ALLO;
	/// Default page size of paged queries, ≥ 1.
	default_page_limit / DefaultPageLimit: u32 = 100;
	/// Largest page size of paged queries, ≥ the default.
	max_page_limit / MaxPageLimit: u32 = 1_000;
	/// Epochs of slack before per-nonce records are pruned.
	min_epoch_length_record_limit / MinEpochLengthRecordLimit: u32 = 3;
	/// Blocks per month (decision 5: 432 000 at 6 s), > 0.
	blocks_per_month / BlocksPerMonth: u32 = 432_000;
	/// Inferer reward-mapping slope, > 0.
	p_reward_inference / PRewardInference: Fixed = fx_milli(1_000);
	/// Forecaster reward-mapping slope, > 0.
	p_reward_forecast / PRewardForecast: Fixed = fx_milli(3_000);
	/// Exponent on stake·score for reputers, > 0.
	p_reward_reputer / PRewardReputer: Fixed = fx_milli(3_000);
	/// Inferer reward-mapping offset, > 0.
	c_reward_inference / CRewardInference: Fixed = fx_milli(750);
	/// Forecaster reward-mapping offset, > 0.
	c_reward_forecast / CRewardForecast: Fixed = fx_milli(750);
	/// c: offset of the regret → weight map, in (0, 10].
	c_norm / CNorm: Fixed = fx_milli(750);
	/// Floor of reputer scores, > 0.
	epsilon_reputer / EpsilonReputer: Fixed = fx_milli(10);
	/// Stake removals processed per queue per block, 1..=40
	/// (`MAX_HALF_STAKE_REMOVALS_PER_BLOCK`).
	half_max_process_stake_removals_end_block / HalfMaxProcessStakeRemovalsEndBlock: u32 = 40;
	/// Floor of denominators in synthesis, in [10^-9, 10^-4] (below the smallest weight sum the
	/// regret map can produce, so combined values stay weighted means).
	epsilon_safe_div / EpsilonSafeDiv: Fixed = Fixed::from_raw(100_000_000_000);
	/// Fee per worker or reputer payload, base units.
	data_sending_fee / DataSendingFee: u128 = 10 * MICRO_ALLO;
	/// Elements a forecast may hold, 1..=storage bound.
	max_elements_per_forecast / MaxElementsPerForecast: u32 = 12;
	/// Topics one block's schedule holds, 1..=storage bound.
	max_active_topics_per_block / MaxActiveTopicsPerBlock: u32 = 1;
	/// Longest metadata or loss method, 1..=255 bytes.
	max_string_length / MaxStringLength: u32 = MAX_STRING_LENGTH;
	/// Quantile of experienced regrets used for the initial regret, in [0, 1].
	initial_regret_quantile / InitialRegretQuantile: Fixed = fx_milli(250);
	/// d of the initial-regret offset c − d/p, in [0, 100].
	p_norm_safe_div / PNormSafeDiv: Fixed = fx_milli(8_250);
	/// k of the outlier clip: inferences enter the network inference clipped to k median
	/// absolute deviations around their median; in [1, 1000].
	inference_outlier_mads / InferenceOutlierMads: Fixed = fx_milli(12_000);
}

impl NetworkParams {
	/// Checks every range of spec 9.1 and that the size parameters fit the storage bounds.
	pub fn validate(&self, bounds: &StorageBounds) -> Result<(), Param> {
		let unit_closed = |x: Fixed| within(x, Fixed::ZERO, Fixed::ONE);
		let checks: [(bool, Param); 37] = [
			(!self.version.is_empty(), Param::Version),
			(!self.min_topic_weight.is_negative(), Param::MinTopicWeight),
			(self.min_epoch_length >= 1, Param::MinEpochLength),
			(unit_closed(self.beta_entropy), Param::BetaEntropy),
			(unit_open(self.learning_rate), Param::LearningRate),
			(unit_open(self.max_gradient_threshold), Param::MaxGradientThreshold),
			(unit_closed(self.min_stake_fraction), Param::MinStakeFraction),
			(
				(1..=bounds.unfulfilled_nonces).contains(&self.max_unfulfilled_worker_requests),
				Param::MaxUnfulfilledWorkerRequests,
			),
			(
				(4..=bounds.unfulfilled_nonces).contains(&self.max_unfulfilled_reputer_requests),
				Param::MaxUnfulfilledReputerRequests,
			),
			(unit_closed(self.topic_reward_stake_importance), Param::TopicRewardStakeImportance),
			(
				unit_closed(self.topic_reward_fee_revenue_importance),
				Param::TopicRewardFeeRevenueImportance,
			),
			(unit_open(self.topic_reward_alpha), Param::TopicRewardAlpha),
			(unit_open(self.task_reward_alpha), Param::TaskRewardAlpha),
			(
				self.validators_vs_allora_percent_reward.is_positive()
					&& self.validators_vs_allora_percent_reward <= Fixed::ONE,
				Param::ValidatorsVsAlloraPercentReward,
			),
			(
				(1..=MAX_SCORE_SAMPLES).contains(&self.max_samples_to_scale_scores),
				Param::MaxSamplesToScaleScores,
			),
			(
				(1..=bounds.inferers).contains(&self.max_top_inferers_to_reward),
				Param::MaxTopInferersToReward,
			),
			(
				self.max_top_forecasters_to_reward <= bounds.forecasters,
				Param::MaxTopForecastersToReward,
			),
			(
				(1..=bounds.reputers).contains(&self.max_top_reputers_to_reward),
				Param::MaxTopReputersToReward,
			),
			(
				(1..=MAX_GRADIENT_DESCENT_ITERS).contains(&self.gradient_descent_max_iters),
				Param::GradientDescentMaxIters,
			),
			(self.default_page_limit >= 1, Param::DefaultPageLimit),
			(self.max_page_limit >= self.default_page_limit, Param::MaxPageLimit),
			(self.blocks_per_month >= 1, Param::BlocksPerMonth),
			(self.p_reward_inference.is_positive(), Param::PRewardInference),
			(self.p_reward_forecast.is_positive(), Param::PRewardForecast),
			(self.p_reward_reputer.is_positive(), Param::PRewardReputer),
			(self.c_reward_inference.is_positive(), Param::CRewardInference),
			(self.c_reward_forecast.is_positive(), Param::CRewardForecast),
			(self.c_norm.is_positive() && self.c_norm <= fx_milli(10_000), Param::CNorm),
			(
				self.epsilon_reputer.is_positive() && self.epsilon_reputer <= fx_milli(1_000_000),
				Param::EpsilonReputer,
			),
			(
				(1..=MAX_HALF_STAKE_REMOVALS_PER_BLOCK)
					.contains(&self.half_max_process_stake_removals_end_block),
				Param::HalfMaxProcessStakeRemovalsEndBlock,
			),
			(
				within(
					self.epsilon_safe_div,
					Fixed::from_raw(1_000_000_000),
					Fixed::from_raw(100_000_000_000_000),
				),
				Param::EpsilonSafeDiv,
			),
			(
				(1..=bounds.forecast_elements).contains(&self.max_elements_per_forecast),
				Param::MaxElementsPerForecast,
			),
			(
				(1..=bounds.topics_per_block).contains(&self.max_active_topics_per_block),
				Param::MaxActiveTopicsPerBlock,
			),
			((1..=MAX_STRING_LENGTH).contains(&self.max_string_length), Param::MaxStringLength),
			(unit_closed(self.initial_regret_quantile), Param::InitialRegretQuantile),
			(within(self.p_norm_safe_div, Fixed::ZERO, fx_milli(100_000)), Param::PNormSafeDiv),
			(
				within(self.inference_outlier_mads, Fixed::ONE, fx_milli(1_000_000)),
				Param::InferenceOutlierMads,
			),
		];
		match checks.into_iter().find(|(ok, _)| !ok) {
			Some((_, param)) => Err(param),
			None => Ok(()),
		}
	}
}
