//! The `StakeApi` runtime API: what a reputer or delegator client reads about stake without
//! knowing the storage layout.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_stake::{DelegationInfo, ReputerStakeInfo};
pub use pallet_topics::TopicId;

sp_api::decl_runtime_apis! {
	/// Reputer and delegator stake of the Allora network.
	pub trait StakeApi<AccountId> where AccountId: Codec {
		/// A reputer's registration, own and delegated stake and pending removal on a topic.
		fn reputer_stake(topic_id: TopicId, reputer: AccountId) -> ReputerStakeInfo;
		/// A delegator's placement on a reputer, its claimable reward and pending removal.
		fn delegation(topic_id: TopicId, delegator: AccountId, reputer: AccountId) -> DelegationInfo;
		/// All stake (own + delegated) in a topic.
		fn topic_stake(topic_id: TopicId) -> u128;
		/// All stake of all topics.
		fn total_stake() -> u128;
	}
}
