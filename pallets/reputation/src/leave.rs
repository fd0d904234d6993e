//! Per-actor state removed when a worker or reputer leaves a topic (issue 12, finding 6): the
//! registration pallets call this through `pallet_topics::OnActorLeft`.

use crate::{Config, InclusionCounts, ListeningCoefficients, Pallet};
use frame_support::{traits::Get, weights::Weight};
use pallet_inference::{Role, ScoreEmas};
use pallet_topics::{OnActorLeft, TopicId};

impl<T: Config> OnActorLeft<T::AccountId> for Pallet<T> {
	/// The worker's experience as inferer and forecaster (its score EMAs are the inference
	/// pallet's, removed there).
	fn worker_left(topic_id: TopicId, who: &T::AccountId) {
		InclusionCounts::<T>::remove((topic_id, Role::Inferer), who);
		InclusionCounts::<T>::remove((topic_id, Role::Forecaster), who);
	}

	/// The reputer's score EMA, experience and listening coefficient.
	fn reputer_left(topic_id: TopicId, who: &T::AccountId) {
		ScoreEmas::<T>::remove((topic_id, Role::Reputer), who);
		InclusionCounts::<T>::remove((topic_id, Role::Reputer), who);
		ListeningCoefficients::<T>::remove(topic_id, who);
	}

	/// Three removals at most.
	fn weight() -> Weight {
		T::DbWeight::get().writes(3)
	}
}
