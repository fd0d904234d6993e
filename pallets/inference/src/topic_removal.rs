//! The worker side of removing an abandoned topic (`pallet_topics::TopicRemoval`): the topic
//! must have no registered worker and no open window; its reputer nonces (never closed since
//! the topic went inactive) are dropped with their bundles, and its retained rounds, latest
//! network inference and quantiles go.

use crate::{pallet::*, OnReputerNonceDropped as _, Role};
#[cfg(feature = "runtime-benchmarks")]
use crate::{ProducedLists, RoundSummary};
use frame_support::{dispatch::DispatchResult, ensure};
#[cfg(feature = "runtime-benchmarks")]
use frame_support::{traits::Get, BoundedVec};
#[cfg(feature = "runtime-benchmarks")]
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_topics::{TopicId, TopicRemoval};

impl<T: Config> TopicRemoval for Pallet<T> {
	fn ensure_removable(topic_id: TopicId) -> DispatchResult {
		ensure!(WorkerCount::<T>::get(topic_id) == 0, Error::<T>::TopicHasWorkers);
		ensure!(OpenWorkerNonces::<T>::get(topic_id).is_empty(), Error::<T>::TopicHasOpenWindows);
		Ok(())
	}

	fn remove(topic_id: TopicId) {
		for nonce in ReputerNonces::<T>::take(topic_id) {
			T::OnReputerNonceDropped::on_reputer_nonce_dropped(topic_id, nonce);
		}
		for nonce in RetainedNonces::<T>::take(topic_id) {
			Self::remove_snapshot(topic_id, nonce);
		}
		OpenWorkerNonces::<T>::remove(topic_id);
		WorkerCount::<T>::remove(topic_id);
		LatestNetworkInference::<T>::remove(topic_id);
		for role in [Role::Inferer, Role::Forecaster, Role::Reputer] {
			PreviousQuantileScore::<T>::remove((topic_id, role));
		}
	}

	/// Every reputer nonce and retained round slot used, a latest inference and quantiles.
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_worst_case(topic_id: TopicId) {
		let nonces =
			|n: u32| -> alloc::vec::Vec<BlockNumberFor<T>> { (1..=n).map(|i| i.into()).collect() };
		let reputer_nonces = nonces(<T as pallet_topics::Config>::MaxUnfulfilledNonces::get());
		ReputerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(reputer_nonces));
		let retained = nonces(T::MaxStoredNonces::get());
		for nonce in &retained {
			let summary = RoundSummary {
				closed_at: *nonce,
				inferers: 1,
				forecasters: 1,
				mode: None,
				produced: ProducedLists::ALL,
			};
			Rounds::<T>::insert(topic_id, nonce, summary);
			Inferences::<T>::insert(topic_id, nonce, BoundedVec::default());
			Forecasts::<T>::insert(topic_id, nonce, BoundedVec::default());
		}
		RetainedNonces::<T>::insert(topic_id, BoundedVec::truncate_from(retained));
		for role in [Role::Inferer, Role::Forecaster, Role::Reputer] {
			PreviousQuantileScore::<T>::insert((topic_id, role), allora_math::Fixed::ONE);
		}
	}
}
