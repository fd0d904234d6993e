//! The reputer side of removing an abandoned topic (`pallet_topics::TopicRemoval`): no
//! settlement of the topic may be queued; its regrets, latest network losses and round results
//! go (the bundles of its open reputer nonces are dropped by the worker side, through
//! `OnReputerNonceDropped`).

use crate::{pallet::*, PairFamily, SingleFamily};
use frame_support::{dispatch::DispatchResult, ensure};
use pallet_topics::{TopicId, TopicRemoval};

impl<T: Config> TopicRemoval for Pallet<T> {
	fn ensure_removable(topic_id: TopicId) -> DispatchResult {
		let queued = CloseQueue::<T>::get().iter().any(|(t, ..)| *t == topic_id);
		ensure!(!queued, Error::<T>::TopicHasQueuedSettlement);
		Ok(())
	}

	fn remove(topic_id: TopicId) {
		for family in SingleFamily::ALL {
			SingleRegrets::<T>::remove((topic_id, family));
		}
		for family in PairFamily::ALL {
			PairRegrets::<T>::remove((topic_id, family));
		}
		NetworkLosses::<T>::remove(topic_id);
		LatestRound::<T>::remove(topic_id);
	}

	/// A full reputer active set with a bundle on every reputer nonce the worker side filled.
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(topic_id: TopicId) {
		use frame_support::{traits::Get, BoundedVec};
		let members: alloc::vec::Vec<T::AccountId> = (0
			..<T as pallet_topics::Config>::MaxActiveReputers::get())
			.map(|i| frame_benchmarking::account("reputer", i, 0))
			.collect();
		for nonce in pallet_inference::ReputerNonces::<T>::get(topic_id) {
			for m in &members {
				let bundle = crate::LossBundle {
					combined_value: None,
					naive_value: None,
					inferer_values: BoundedVec::default(),
					forecaster_values: BoundedVec::default(),
					one_out_inferer_values: BoundedVec::default(),
					one_out_forecaster_values: BoundedVec::default(),
					one_in_forecaster_values: BoundedVec::default(),
					one_out_inferer_forecaster_values: BoundedVec::default(),
				};
				LossBundles::<T>::insert((topic_id, nonce), m, bundle);
			}
			ActiveReputers::<T>::insert(
				topic_id,
				nonce,
				BoundedVec::truncate_from(members.clone()),
			);
		}
	}
}
