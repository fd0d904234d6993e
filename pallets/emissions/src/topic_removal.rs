//! The reward side of removing an abandoned topic (`pallet_topics::TopicRemoval`): its score
//! history, smoothed fractions, forecaster score ratio and last rewards go.

use crate::pallet::*;
use frame_support::dispatch::DispatchResult;
use pallet_inference::Role;
use pallet_topics::{TopicId, TopicRemoval};

impl<T: Config> TopicRemoval for Pallet<T> {
	/// Rewards are paid in the block that settles a round: nothing can be pending here.
	fn ensure_removable(_: TopicId) -> DispatchResult {
		Ok(())
	}

	fn remove(topic_id: TopicId) {
		for role in [Role::Inferer, Role::Forecaster, Role::Reputer] {
			ScoreHistory::<T>::remove((topic_id, role));
			SmoothedFractions::<T>::remove((topic_id, role));
		}
		ForecasterScoreRatio::<T>::remove(topic_id);
		LastRewards::<T>::remove(topic_id);
	}

	/// Removals do not read what they remove: nothing to fill.
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(_: TopicId) {}
}
