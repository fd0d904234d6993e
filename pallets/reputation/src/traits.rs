//! How the reputation pallet hands a settled round to the reward step (spec 6.1 steps 5-9).

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

/// Reacts to a settled round: the reward step. Called in the settlement's block after the
/// settlement's storage layer committed.
pub trait OnRoundSettled<AccountId, BlockNumber> {
	/// Rewards of `nonce` of `topic_id`.
	fn on_round_settled(topic_id: TopicId, nonce: BlockNumber, round: &SettledRound<AccountId>);

	/// Upper bound of the weight of one call with these numbers of inferers, forecasters and
	/// reputers (reserved with the settlement's in `on_initialize`).
	fn weight(inferers: u32, forecasters: u32, reputers: u32) -> Weight;
}

/// No reward step.
impl<AccountId, BlockNumber> OnRoundSettled<AccountId, BlockNumber> for () {
	fn on_round_settled(_: TopicId, _: BlockNumber, _: &SettledRound<AccountId>) {}

	fn weight(_: u32, _: u32, _: u32) -> Weight {
		Weight::zero()
	}
}
