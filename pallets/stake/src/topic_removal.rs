//! The stake side of removing an abandoned topic (`pallet_topics::TopicRemoval`): the topic
//! must have no registered reputer and no stake left (stake belongs to its owners, who remove
//! it as usual); then only its counters remain to go.

use crate::pallet::*;
use frame_support::{dispatch::DispatchResult, ensure};
use pallet_topics::{TopicId, TopicRemoval};

impl<T: Config> TopicRemoval for Pallet<T> {
	fn ensure_removable(topic_id: TopicId) -> DispatchResult {
		ensure!(ReputerCount::<T>::get(topic_id) == 0, Error::<T>::TopicHasReputers);
		ensure!(TopicStake::<T>::get(topic_id) == 0, Error::<T>::TopicHasStake);
		Ok(())
	}

	fn remove(topic_id: TopicId) {
		ReputerCount::<T>::remove(topic_id);
		TopicStake::<T>::remove(topic_id);
	}

	/// Nothing of this pallet can remain on a removable topic.
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(_: TopicId) {}
}
