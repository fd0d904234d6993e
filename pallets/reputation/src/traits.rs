//! How the reputation pallet hands a settled round to the reward step (spec 6.1 steps 5-9).

use crate::types::SkipReason;
use alloc::vec::Vec;
use allora_math::Fixed;
use frame_support::weights::Weight;
use pallet_topics::TopicId;

/// What the reward step needs of a settled round: the network losses behind T_i, the worker
/// scores and each accepted reputer's stake and score, every list ascending by account.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SettledRound<AccountId> {
	/// ℓ_i: the combined network loss.
	pub network_loss: Fixed,
	/// ℓ⁻_i: the naive network loss.
	pub naive_loss: Fixed,
	/// T_ij per inferer (spec 6.2).
	pub inferer_scores: Vec<(AccountId, Fixed)>,
	/// T_ik per forecaster (spec 6.2).
	pub forecaster_scores: Vec<(AccountId, Fixed)>,
	/// (reputer, total stake S_m in base units, consensus score T_m) (spec 5.6).
	pub reputers: Vec<(AccountId, u128, Fixed)>,
	/// w_t / Σw of the block that queued the close, in [0, 1]: the topic's share of the
	/// reward emission (spec 7.2), fixed when the close was queued so that a topic displaced
	/// before its payment cannot divide by a sum it has left (issue 12, finding 3).
	pub reward_share: Fixed,
}

/// What a paid round reports (base units).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Payout {
	/// E_t: the topic's reward for the round.
	pub topic_reward: u128,
	/// What was transferred.
	pub paid: u128,
	/// What stayed in the treasury (rounding, failed transfers).
	pub dust: u128,
}

/// The paying half of the reward step (spec 6.1 steps 5-9). The reputation pallet runs its own
/// half (consensus, scores, EMAs) and then [`Self::reward_step`] in one storage layer: an error
/// of either rolls both back (fix m, spec README decision 10).
pub trait OnRoundSettled<AccountId, BlockNumber> {
	/// Pays `nonce` of `topic_id`, inside the caller's storage layer.
	fn reward_step(
		topic_id: TopicId,
		nonce: BlockNumber,
		round: &SettledRound<AccountId>,
	) -> Result<Payout, SkipReason>;

	/// Reports the reward step's outcome after its storage layer committed or rolled back.
	fn report(topic_id: TopicId, nonce: BlockNumber, outcome: Result<Payout, SkipReason>);

	/// Prepares `topic_id` so that its next reward step is paid (benchmarks measure the
	/// settlement's worst case, in which nothing is rolled back).
	#[cfg(feature = "runtime-benchmarks")]
	fn fund_reward_step(_topic_id: TopicId) {}

	/// Upper bound of the weight of one call with these numbers of inferers, forecasters and
	/// reputers (reserved with the settlement's in `on_initialize`).
	fn weight(inferers: u32, forecasters: u32, reputers: u32) -> Weight;
}

/// No payment: the reputation pallet's half of the reward step always commits.
impl<AccountId, BlockNumber> OnRoundSettled<AccountId, BlockNumber> for () {
	fn reward_step(
		_: TopicId,
		_: BlockNumber,
		_: &SettledRound<AccountId>,
	) -> Result<Payout, SkipReason> {
		Ok(Payout::default())
	}

	fn report(_: TopicId, _: BlockNumber, _: Result<Payout, SkipReason>) {}

	fn weight(_: u32, _: u32, _: u32) -> Weight {
		Weight::zero()
	}
}
