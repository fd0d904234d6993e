//! The `InferenceApi` runtime API: what a dApp or a reputer client reads about a topic's
//! network inference (spec 4.1, 4.5-4.8) without knowing the storage layout.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_inference::{
	InferenceQueryError, LatestInference, NetworkInferenceBundle, OpenNonces, TopicInfo,
};
pub use pallet_topics::{NetworkParams, TopicId};

sp_api::decl_runtime_apis! {
	/// Network inferences, topics and nonces of the Allora mechanism.
	pub trait InferenceApi<AccountId, BlockNumber> where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The full network-inference bundle of a closed worker nonce of `topic_id` (the
		/// latest when `nonce` is `None`), computed with the topic's current regrets.
		fn network_inference(
			topic_id: TopicId,
			nonce: Option<BlockNumber>,
		) -> Result<NetworkInferenceBundle<AccountId, BlockNumber>, InferenceQueryError>;

		/// A topic with its revenue, weight, schedule, worker count and latest inference.
		fn topic_info(topic_id: TopicId) -> Option<TopicInfo<AccountId, BlockNumber>>;

		/// The topic's open worker nonces and unfulfilled reputer nonces, newest first.
		fn open_nonces(topic_id: TopicId) -> OpenNonces<BlockNumber>;

		/// The ids of the topics whose epoch ends are scheduled (the active topics).
		fn active_topics() -> Vec<TopicId>;

		/// The network parameters (spec 9.1).
		fn params() -> NetworkParams;
	}
}
