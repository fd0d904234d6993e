//! How the topics pallet talks to the pallets beside it: it reads each topic's stake, tells
//! the worker side when a topic's epoch ends, and lets the registration pallets clean up after
//! an actor that left a topic.

use crate::types::{Topic, TopicId};
use frame_support::{dispatch::DispatchResult, weights::Weight};

/// The stake (own + delegated, base units) of each topic: S_t of the topic weight (spec 7.1).
pub trait TopicStake {
	/// The total stake in `topic_id`.
	fn topic_stake(topic_id: TopicId) -> u128;
}

/// No staking pallet: every topic has zero stake.
impl TopicStake for () {
	fn topic_stake(_topic_id: TopicId) -> u128 {
		0
	}
}

/// Reacts to a topic's epoch end (spec 3.2 step 3): opens its worker nonce, prunes its old
/// nonces, closes due reputer nonces.
pub trait EpochHooks<AccountId, BlockNumber> {
	/// Called in `on_finalize` of `now` for each topic whose epoch ends there and gets a nonce;
	/// `topic.epoch_last_ended` is already `now`.
	fn on_epoch_end(topic_id: TopicId, topic: &Topic<AccountId, BlockNumber>, now: BlockNumber);

	/// Upper bound of the weight of one [`Self::on_epoch_end`] (reserved in `on_initialize`).
	fn on_epoch_end_weight() -> Weight;
}

impl<AccountId, BlockNumber> EpochHooks<AccountId, BlockNumber> for () {
	fn on_epoch_end(_: TopicId, _: &Topic<AccountId, BlockNumber>, _: BlockNumber) {}

	fn on_epoch_end_weight() -> Weight {
		Weight::zero()
	}
}

/// Two hooks in order: `A` first, then `B` (the runtime lets the reputer side queue its due
/// closes before the worker side opens the new nonce and prunes old ones).
impl<AccountId, BlockNumber: Copy, A, B> EpochHooks<AccountId, BlockNumber> for (A, B)
where
	A: EpochHooks<AccountId, BlockNumber>,
	B: EpochHooks<AccountId, BlockNumber>,
{
	fn on_epoch_end(topic_id: TopicId, topic: &Topic<AccountId, BlockNumber>, now: BlockNumber) {
		A::on_epoch_end(topic_id, topic, now);
		B::on_epoch_end(topic_id, topic, now);
	}

	fn on_epoch_end_weight() -> Weight {
		A::on_epoch_end_weight().saturating_add(B::on_epoch_end_weight())
	}
}

/// Removes what other pallets keep about an actor that left a topic (unregistered or pruned),
/// so that per-actor state lives exactly as long as the registration.
pub trait OnActorLeft<AccountId> {
	/// `who` is no longer a worker (inferer and forecaster) of `topic_id`.
	fn worker_left(topic_id: TopicId, who: &AccountId);
	/// `who` is no longer a reputer of `topic_id`.
	fn reputer_left(topic_id: TopicId, who: &AccountId);
	/// Upper bound of the weight of either call.
	fn weight() -> Weight;
}

impl<AccountId> OnActorLeft<AccountId> for () {
	fn worker_left(_: TopicId, _: &AccountId) {}
	fn reputer_left(_: TopicId, _: &AccountId) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// What the pallets beside this one keep on a topic: checked before an abandoned topic is
/// removed, and removed with it. The runtime's `remove_topic` benchmark measures the runtime's
/// implementation at its worst case ([`TopicRemoval::fill_worst_case`]).
pub trait TopicRemoval {
	/// Fails with the pallet's named error while it keeps live state on the topic
	/// (registrations, stake, open windows, queued settlements).
	fn ensure_removable(topic_id: TopicId) -> DispatchResult;
	/// Removes the pallet's remaining state on the topic (history, bounded by storage bounds).
	fn remove(topic_id: TopicId);
	/// Fills the pallet's state on the topic as large as it can be while removable.
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(topic_id: TopicId);
}

/// Nothing beside the topics pallet.
impl TopicRemoval for () {
	fn ensure_removable(_: TopicId) -> DispatchResult {
		Ok(())
	}
	fn remove(_: TopicId) {}
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(_: TopicId) {}
}

/// Two pallets: both must allow the removal; `A` removes first.
impl<A: TopicRemoval, B: TopicRemoval> TopicRemoval for (A, B) {
	fn ensure_removable(topic_id: TopicId) -> DispatchResult {
		A::ensure_removable(topic_id)?;
		B::ensure_removable(topic_id)
	}
	fn remove(topic_id: TopicId) {
		A::remove(topic_id);
		B::remove(topic_id);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(topic_id: TopicId) {
		A::fill_worst_case(topic_id);
		B::fill_worst_case(topic_id);
	}
}
