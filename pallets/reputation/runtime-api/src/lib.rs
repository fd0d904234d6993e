//! The `ReputationApi` runtime API: what a reputer client needs to know what to report, and
//! what dApps read about a topic's regrets, scores and listening coefficients.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_reputation::{RegretsView, ReputerNonceStatus, RoundResults};
pub use pallet_topics::TopicId;

sp_api::decl_runtime_apis! {
	/// Reputer side of the Allora network.
	pub trait ReputationApi<AccountId, BlockNumber> where AccountId: Codec, BlockNumber: Codec {
		/// The topic's stored regrets, family by family, and its initial regret.
		fn regrets(topic_id: TopicId) -> Option<RegretsView<AccountId>>;
		/// The topic's latest settled round: network losses, worker scores, reputer stakes,
		/// scores, listening coefficients and adjusted stakes.
		fn latest_round(topic_id: TopicId) -> Option<RoundResults<AccountId, BlockNumber>>;
		/// The reputer nonces waiting for loss bundles, their windows and active sets.
		fn reputer_nonces(topic_id: TopicId) -> Vec<ReputerNonceStatus<AccountId, BlockNumber>>;
		/// The reputers' listening coefficients on the topic (1 for a reputer without one).
		fn listening_coefficients(topic_id: TopicId) -> Vec<(AccountId, pallet_reputation::Fixed)>;
	}
}
