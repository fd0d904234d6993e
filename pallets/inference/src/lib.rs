//! # Inference pallet
//!
//! Workers are the chain's AI providers. Per topic (spec 1.2-1.5, 3):
//!
//! - an account **registers** as a worker (paying `RegistrationFee`) and may unregister;
//! - at each epoch end N of the topic (signalled by the topics pallet) a **worker nonce** N
//!   opens; during the window N ≤ h < N + W each registered worker submits one **payload**
//!   per nonce, signed by its own account: an inference, a forecast (the loss it predicts
//!   for named registered inferers), or both, paying `DataSendingFee`. A resubmission within
//!   the window replaces the earlier payload;
//! - each role has an **active set** per nonce (`max_top_inferers_to_reward`,
//!   `max_top_forecasters_to_reward`); when it is full a newcomer is admitted only if its
//!   score EMA beats the lowest member's, which is evicted (merit sortition, spec 3.5, with
//!   the minimum recomputed from the current members: fix e);
//! - at N + W the window **closes**: the nonce's inferences and forecasts become a snapshot,
//!   the network inference is computed by `allora-synthesis` and its combined value and
//!   confidence interval are stored per topic (decision 7), and reputer nonce N opens;
//! - old snapshots are **pruned** at later epoch ends (spec 3.6), a bounded amount per epoch.
//!
//! The full network-inference bundle of any retained nonce is computed on demand by
//! [`Pallet::network_inference`], which the runtime API `InferenceApi` serves.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod close;
pub mod migrations;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod mock;
pub mod sortition;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
mod topic_removal;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use allora_synthesis::regrets::Regrets;
use pallet_topics::{OnActorLeft as _, Registration, TopicId};

/// The reputer side's state that synthesis reads: the stored regrets and the latest network
/// loss of a topic (spec 4.2).
pub trait TopicRegrets<AccountId: Ord> {
	/// The topic's regrets; actors without one read as `initial_regret`.
	fn regrets(topic_id: TopicId, initial_regret: allora_math::Fixed) -> Regrets<AccountId>;
	/// ℓ*: the combined value of the topic's latest network-loss bundle.
	fn latest_network_loss(topic_id: TopicId) -> Option<allora_math::Fixed>;
	/// Benchmarks: store regrets and a network loss for `actors` so that synthesis takes its
	/// most expensive (regret-weighted) path.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_worst_case(_topic_id: TopicId, _actors: &[AccountId]) {}
}

/// Tells the reputer side that a reputer nonce left the unfulfilled list without being closed
/// (dropped as the oldest beyond `max_unfulfilled_reputer_requests`, or pruned), so that it
/// removes the nonce's bundles and active set (issue 12, finding 5).
pub trait OnReputerNonceDropped<BlockNumber> {
	/// Nonce `nonce` of `topic_id` was dropped.
	fn on_reputer_nonce_dropped(topic_id: TopicId, nonce: BlockNumber);
	/// Upper bound of the weight of one call.
	fn weight() -> frame_support::weights::Weight;
}

/// Nothing to clean up.
impl<BlockNumber> OnReputerNonceDropped<BlockNumber> for () {
	fn on_reputer_nonce_dropped(_: TopicId, _: BlockNumber) {}
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// No reputer side yet: no regrets, no network loss (synthesis uses the median, spec 4.7).
impl<AccountId: Ord> TopicRegrets<AccountId> for () {
	fn regrets(_: TopicId, initial_regret: allora_math::Fixed) -> Regrets<AccountId> {
		Regrets::new(initial_regret)
	}
	fn latest_network_loss(_: TopicId) -> Option<allora_math::Fixed> {
		None
	}
}

// The FRAME macros expand storage and genesis code with `expect`; the lint stays denied in
// every other module of this crate, where the logic lives.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use allora_math::Fixed;
	use codec::Encode;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use pallet_topics::WeightInfo as _;
	use sp_runtime::Saturating;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>> + pallet_topics::Config
	{
		/// The regrets and network losses of the reputer side.
		type Regrets: TopicRegrets<Self::AccountId>;
		/// Cleans up after reputer nonces dropped unclosed.
		type OnReputerNonceDropped: OnReputerNonceDropped<BlockNumberFor<Self>>;
		/// Storage bound: registered workers per topic.
		#[pallet::constant]
		type MaxWorkersPerTopic: Get<u32>;
		/// Storage bound: closed snapshots retained per topic (oldest pruned first).
		#[pallet::constant]
		type MaxStoredNonces: Get<u32>;
		/// Storage bound: worker windows closing in one block (later ones move to the next
		/// block with room, or to the topic's next epoch end).
		#[pallet::constant]
		type MaxWindowsPerBlock: Get<u32>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
	}

	/// Inferences of a nonce, one per inferer, ascending by account: the active set while
	/// the window is open, the snapshot after it closed.
	pub type InferencesOf<T> = BoundedVec<
		(<T as frame_system::Config>::AccountId, Fixed),
		<T as pallet_topics::Config>::MaxActiveInferers,
	>;
	/// A forecast's elements.
	pub type ElementsOf<T> = ForecastOf<
		<T as frame_system::Config>::AccountId,
		<T as pallet_topics::Config>::MaxForecastElements,
	>;
	/// Forecasts of a nonce, one per forecaster, ascending by account.
	pub type ForecastsOf<T> = BoundedVec<
		(<T as frame_system::Config>::AccountId, ElementsOf<T>),
		<T as pallet_topics::Config>::MaxActiveForecasters,
	>;
	/// A list of nonces of a topic.
	pub type NoncesOf<T> =
		BoundedVec<BlockNumberFor<T>, <T as pallet_topics::Config>::MaxUnfulfilledNonces>;

	/// Registered workers of a topic: their deposit and last activity.
	#[pallet::storage]
	pub type Workers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		Registration<BlockNumberFor<T>>,
	>;

	/// Number of registered workers of a topic.
	#[pallet::storage]
	pub type WorkerCount<T> = StorageMap<_, Blake2_128Concat, TopicId, u32, ValueQuery>;

	/// Worker nonces whose window has not been closed yet, newest first.
	#[pallet::storage]
	pub type OpenWorkerNonces<T: Config> =
		StorageMap<_, Blake2_128Concat, TopicId, NoncesOf<T>, ValueQuery>;

	/// Reputer nonces waiting for loss bundles (unfulfilled), newest first.
	#[pallet::storage]
	pub type ReputerNonces<T: Config> =
		StorageMap<_, Blake2_128Concat, TopicId, NoncesOf<T>, ValueQuery>;

	/// The worker windows to close at a block: (topic, nonce).
	#[pallet::storage]
	pub type WindowCloses<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(TopicId, BlockNumberFor<T>), T::MaxWindowsPerBlock>,
		ValueQuery,
	>;

	/// Inferences of (topic, nonce).
	#[pallet::storage]
	pub type Inferences<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Twox64Concat,
		BlockNumberFor<T>,
		InferencesOf<T>,
		ValueQuery,
	>;

	/// Forecasts of (topic, nonce).
	#[pallet::storage]
	pub type Forecasts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Twox64Concat,
		BlockNumberFor<T>,
		ForecastsOf<T>,
		ValueQuery,
	>;

	/// Closed worker nonces with a retained snapshot.
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Twox64Concat,
		BlockNumberFor<T>,
		RoundSummary<BlockNumberFor<T>>,
	>;

	/// The closed nonces of a topic with a retained snapshot, oldest first (pruning FIFO).
	#[pallet::storage]
	pub type RetainedNonces<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		TopicId,
		BoundedVec<BlockNumberFor<T>, T::MaxStoredNonces>,
		ValueQuery,
	>;

	/// The latest network inference of a topic (decision 7).
	#[pallet::storage]
	pub type LatestNetworkInference<T: Config> =
		StorageMap<_, Blake2_128Concat, TopicId, LatestInference<BlockNumberFor<T>>>;

	/// Score EMAs by (topic, role) and actor (spec 3.5, 6.3); missing = score 0, never updated.
	#[pallet::storage]
	pub type ScoreEmas<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(TopicId, Role),
		Blake2_128Concat,
		T::AccountId,
		ScoreEma<BlockNumberFor<T>>,
	>;

	/// The quantile of the last round's instant scores per (topic, role), given to passive
	/// actors (spec 3.5 step 4, 6.3); 0 before the first round.
	#[pallet::storage]
	pub type PreviousQuantileScore<T> =
		StorageMap<_, Blake2_128Concat, (TopicId, Role), Fixed, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `worker` registered on the topic.
		WorkerRegistered { topic_id: TopicId, worker: T::AccountId },
		/// `worker` unregistered from the topic; its deposit was returned.
		WorkerUnregistered { topic_id: TopicId, worker: T::AccountId },
		/// `pruner` removed `worker`'s inactive registration and received its `deposit`.
		WorkerPruned {
			topic_id: TopicId,
			worker: T::AccountId,
			pruner: T::AccountId,
			deposit: u128,
		},
		/// Worker nonce `nonce` opened; submissions are accepted until `window_closes` − 1.
		WorkerNonceOpened {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			window_closes: BlockNumberFor<T>,
		},
		/// An inference entered the nonce's active set (`replaced`: it replaced the worker's
		/// earlier one).
		InferenceSubmitted {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			worker: T::AccountId,
			value: Fixed,
			replaced: bool,
		},
		/// A forecast entered the nonce's active set.
		ForecastSubmitted {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			worker: T::AccountId,
			elements: u32,
			replaced: bool,
		},
		/// The active set was full and the worker's score EMA did not beat the lowest member's:
		/// the submission is not counted (its EMA was updated as a passive actor).
		SubmissionNotAdmitted {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			worker: T::AccountId,
			role: Role,
		},
		/// A member with the lowest score EMA left the full active set for a better newcomer.
		WorkerEvicted {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			worker: T::AccountId,
			role: Role,
		},
		/// The window of `nonce` closed: snapshot taken and the network inference stored.
		WorkerWindowClosed {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			inferers: u32,
			forecasters: u32,
			combined_value: Option<Fixed>,
		},
		/// A nonce closed without inferences: nothing to score, no reputer nonce.
		WorkerNonceDropped { topic_id: TopicId, nonce: BlockNumberFor<T> },
		/// Reputer nonce `nonce` opened: reputers may report losses for it.
		ReputerNonceOpened { topic_id: TopicId, nonce: BlockNumberFor<T> },
		/// The snapshot of `nonce` was pruned (spec 3.6).
		NoncePruned { topic_id: TopicId, nonce: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No topic has this id.
		TopicNotFound,
		/// The account is already a registered worker of the topic.
		AlreadyRegistered,
		/// The account is not a registered worker of the topic.
		NotRegisteredWorker,
		/// The topic has the maximum number of registered workers.
		TooManyWorkers,
		/// The nonce was never opened for this topic (or was pruned).
		UnknownNonce,
		/// The nonce's window has already closed.
		NonceClosed,
		/// The current block is outside the nonce's window [N, N + W).
		OutsideSubmissionWindow,
		/// The payload holds neither an inference nor a forecast.
		EmptyPayload,
		/// The forecast has no element.
		EmptyForecast,
		/// The forecast has more elements than `max_elements_per_forecast`.
		TooManyForecastElements,
		/// The forecast element at `index` names an account that is not a registered worker
		/// of the topic (fix d).
		ForecastInfererNotRegistered { index: u8 },
		/// The forecast element at `index` names the same inferer as an earlier element.
		DuplicateForecastElement { index: u8 },
		/// The encoded payload is longer than `max_serialized_msg_length`.
		PayloadTooLarge,
		/// The worker's score EMA was already updated for this nonce (it was evaluated and
		/// not admitted, or evicted): one evaluation per nonce.
		AlreadyEvaluatedThisNonce,
		/// The inference is outside the topic's `inference_range`.
		InferenceOutOfRange,
		/// The forecast element at `index` predicts a loss outside the topic's `loss_range`.
		ForecastLossOutOfRange { index: u8 },
		/// The worker submitted within `RegistrationInactivityEpochs` epochs: it cannot be
		/// pruned yet.
		WorkerStillActive,
		/// The topic still has registered workers: prune or unregister them before removing
		/// it.
		TopicHasWorkers,
		/// The topic still has an open worker window: remove it once the window closed.
		TopicHasOpenWindows,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Reserves the weight of the windows closing in this block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let windows = WindowCloses::<T>::get(now);
			let mut weight = T::DbWeight::get().reads(1);
			for (topic_id, nonce) in windows {
				let i = Inferences::<T>::decode_len(topic_id, nonce).unwrap_or(0);
				let f = Forecasts::<T>::decode_len(topic_id, nonce).unwrap_or(0);
				weight = weight
					.saturating_add(T::DbWeight::get().reads(2))
					.saturating_add(<T as Config>::WeightInfo::close_worker_window(
						u32::try_from(i).unwrap_or(u32::MAX),
						u32::try_from(f).unwrap_or(u32::MAX),
					))
					// The close may push the oldest reputer nonces out of the list.
					.saturating_add(
						T::OnReputerNonceDropped::weight()
							.saturating_mul(close::DROP_PER_CALL as u64),
					);
			}
			weight
		}

		/// Spec 3.2 step 5: close the worker windows due now.
		fn on_finalize(now: BlockNumberFor<T>) {
			for (topic_id, nonce) in WindowCloses::<T>::take(now) {
				Self::close_worker_nonce(topic_id, nonce, now);
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the signed sender as a worker of `topic_id`, paying `RegistrationFee`
		/// (revenue of the topic, may activate it) and holding `RegistrationDeposit`. Emits
		/// `WorkerRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_worker()
			.saturating_add(<T as pallet_topics::Config>::WeightInfo::pay_fee()))]
		pub fn register_worker(origin: OriginFor<T>, topic_id: TopicId) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			ensure!(pallet_topics::Topics::<T>::contains_key(topic_id), Error::<T>::TopicNotFound);
			ensure!(!Workers::<T>::contains_key(topic_id, &worker), Error::<T>::AlreadyRegistered);
			let count = WorkerCount::<T>::get(topic_id);
			ensure!(count < T::MaxWorkersPerTopic::get(), Error::<T>::TooManyWorkers);
			let fee = pallet_topics::Pallet::<T>::params().registration_fee;
			let _fee_weight = pallet_topics::Pallet::<T>::pay_fee(&worker, topic_id, fee)?;
			let registration = pallet_topics::Pallet::<T>::new_registration(&worker)?;
			Workers::<T>::insert(topic_id, &worker, registration);
			WorkerCount::<T>::insert(topic_id, count.saturating_add(1));
			Self::deposit_event(Event::WorkerRegistered { topic_id, worker });
			Ok(())
		}

		/// Removes the signed sender's worker registration on `topic_id` and returns its
		/// deposit (the fee is not refunded); its score EMAs and experience on the topic are
		/// removed, its submissions to open nonces stay counted. Emits `WorkerUnregistered`.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::unregister_worker()
			.saturating_add(<T as pallet_topics::Config>::OnActorLeft::weight()))]
		pub fn unregister_worker(origin: OriginFor<T>, topic_id: TopicId) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			ensure!(pallet_topics::Topics::<T>::contains_key(topic_id), Error::<T>::TopicNotFound);
			let registration =
				Workers::<T>::get(topic_id, &worker).ok_or(Error::<T>::NotRegisteredWorker)?;
			pallet_topics::Pallet::<T>::release_registration(&worker, &registration)?;
			Self::remove_worker(topic_id, &worker);
			Self::deposit_event(Event::WorkerUnregistered { topic_id, worker });
			Ok(())
		}

		/// Removes `worker`'s registration on `topic_id` after `RegistrationInactivityEpochs`
		/// of the topic's epochs without an accepted payload; the sender receives the
		/// registration deposit. Emits `WorkerPruned`.
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::prune_worker()
			.saturating_add(<T as pallet_topics::Config>::OnActorLeft::weight()))]
		pub fn prune_worker(
			origin: OriginFor<T>,
			topic_id: TopicId,
			worker: T::AccountId,
		) -> DispatchResult {
			let pruner = ensure_signed(origin)?;
			let registration =
				Workers::<T>::get(topic_id, &worker).ok_or(Error::<T>::NotRegisteredWorker)?;
			ensure!(
				pallet_topics::Pallet::<T>::registration_expired(topic_id, &registration),
				Error::<T>::WorkerStillActive
			);
			pallet_topics::Pallet::<T>::seize_registration(&worker, &registration, &pruner)?;
			Self::remove_worker(topic_id, &worker);
			let deposit = registration.deposit;
			Self::deposit_event(Event::WorkerPruned { topic_id, worker, pruner, deposit });
			Ok(())
		}

		/// A registered worker's payload for worker nonce `nonce` of `topic_id`, submitted in
		/// its window [N, N + W): an `inference`, a `forecast` (the predicted loss of each named
		/// registered inferer), or both. Pays `DataSendingFee`. Replaces the worker's earlier
		/// payload for the nonce; when an active set is full, merit sortition decides
		/// (spec 3.5). Emits `InferenceSubmitted` / `ForecastSubmitted`,
		/// `SubmissionNotAdmitted` or `WorkerEvicted`. Charged the worst case (merit sortition
		/// in both sets, an activation probe); returns the weight of the path taken (without
		/// sortition: linear in the forecast's elements, or an inference alone). The
		/// benchmarks pay the fee on an active topic: only a probe is added to them.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::submit_worker_payload()
			.saturating_add(pallet_topics::Pallet::<T>::fee_weight_beyond_active_max()))]
		pub fn submit_worker_payload(
			origin: OriginFor<T>,
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			inference: Option<Fixed>,
			forecast: Option<ElementsOf<T>>,
		) -> DispatchResultWithPostInfo {
			let worker = ensure_signed(origin)?;
			let topic =
				pallet_topics::Topics::<T>::get(topic_id).ok_or(Error::<T>::TopicNotFound)?;
			ensure!(inference.is_some() || forecast.is_some(), Error::<T>::EmptyPayload);
			Self::ensure_open(topic_id, nonce)?;
			let now = frame_system::Pallet::<T>::block_number();
			let window_end = nonce.saturating_add(topic.config.worker_submission_window);
			ensure!(nonce <= now && now < window_end, Error::<T>::OutsideSubmissionWindow);
			let mut registration =
				Workers::<T>::get(topic_id, &worker).ok_or(Error::<T>::NotRegisteredWorker)?;
			let params = pallet_topics::Pallet::<T>::params();
			if let Some(value) = inference {
				ensure!(
					topic.config.inference_range.contains(value),
					Error::<T>::InferenceOutOfRange
				);
			}
			let size = (&inference, &forecast).encoded_size();
			ensure!(
				size <= usize::try_from(params.max_serialized_msg_length).unwrap_or(usize::MAX),
				Error::<T>::PayloadTooLarge
			);
			// Each active set is read once: checked here, updated below.
			let inferers = inference.map(|_| Inferences::<T>::get(topic_id, nonce));
			let mut registration_reads = 0;
			if let Some(elements) = &forecast {
				registration_reads = Self::validate_forecast(
					topic_id,
					&topic.config.loss_range,
					elements,
					&params,
					inferers.as_ref(),
				)?;
			}
			let forecasters = forecast.as_ref().map(|_| Forecasts::<T>::get(topic_id, nonce));
			if let Some(set) = &inferers {
				let members = set.iter().map(|(a, _)| a);
				let size = params.max_top_inferers_to_reward;
				Self::ensure_can_be_evaluated(
					topic_id,
					nonce,
					&worker,
					Role::Inferer,
					members,
					set.len(),
					size,
				)?;
			}
			if let Some(set) = &forecasters {
				let members = set.iter().map(|(a, _)| a);
				let size = params.max_top_forecasters_to_reward;
				Self::ensure_can_be_evaluated(
					topic_id,
					nonce,
					&worker,
					Role::Forecaster,
					members,
					set.len(),
					size,
				)?;
			}
			let fee_weight =
				pallet_topics::Pallet::<T>::pay_fee(&worker, topic_id, params.data_sending_fee)?;
			let elements = forecast.as_ref().map(|f| u32::try_from(f.len()).unwrap_or(u32::MAX));
			registration.last_active = now;
			Workers::<T>::insert(topic_id, &worker, registration);
			let mut sortition = false;
			if let (Some(value), Some(set)) = (inference, inferers) {
				sortition |=
					Self::admit_inference(topic_id, &topic, nonce, &worker, value, set, &params);
			}
			if let (Some(elements), Some(set)) = (forecast, forecasters) {
				sortition |=
					Self::admit_forecast(topic_id, &topic, nonce, &worker, elements, set, &params);
			}
			let call_weight = match (sortition, elements) {
				(true, _) => <T as Config>::WeightInfo::submit_worker_payload(),
				// The benchmark read every named inferer's registration.
				(false, Some(e)) => <T as Config>::WeightInfo::submit_worker_payload_admitted(e)
					.saturating_sub(
						T::DbWeight::get().reads(e.saturating_sub(registration_reads).into()),
					),
				(false, None) => {
					<T as Config>::WeightInfo::submit_worker_payload_admitted_inference()
				},
			};
			let fee_weight = pallet_topics::Pallet::<T>::fee_weight_beyond_active(fee_weight);
			Ok(Some(call_weight.saturating_add(fee_weight)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` is a registered worker of `topic_id`.
		pub fn is_worker(topic_id: TopicId, who: &T::AccountId) -> bool {
			Workers::<T>::contains_key(topic_id, who)
		}

		/// Drops a worker's registration and every per-worker state of the topic.
		fn remove_worker(topic_id: TopicId, worker: &T::AccountId) {
			Workers::<T>::remove(topic_id, worker);
			WorkerCount::<T>::mutate(topic_id, |c| *c = c.saturating_sub(1));
			ScoreEmas::<T>::remove((topic_id, Role::Inferer), worker);
			ScoreEmas::<T>::remove((topic_id, Role::Forecaster), worker);
			<T as pallet_topics::Config>::OnActorLeft::worker_left(topic_id, worker);
		}

		/// The nonce is open for `topic_id`; otherwise `NonceClosed` (closed, snapshot
		/// retained) or `UnknownNonce`.
		fn ensure_open(topic_id: TopicId, nonce: BlockNumberFor<T>) -> DispatchResult {
			if OpenWorkerNonces::<T>::get(topic_id).contains(&nonce) {
				return Ok(());
			}
			if Rounds::<T>::contains_key(topic_id, nonce) {
				return Err(Error::<T>::NonceClosed.into());
			}
			Err(Error::<T>::UnknownNonce.into())
		}

		/// Fix d: every element names a registered worker of the topic (or one whose inference
		/// is already in the nonce's set, `counted`, when the payload carried an inference),
		/// once, and predicts a loss within the topic's `loss_range`; at most
		/// `max_elements_per_forecast` elements, at least one. Returns the registrations read.
		fn validate_forecast(
			topic_id: TopicId,
			loss_range: &pallet_topics::ValueRange,
			elements: &ElementsOf<T>,
			params: &pallet_topics::NetworkParams,
			counted: Option<&InferencesOf<T>>,
		) -> Result<u32, DispatchError> {
			ensure!(!elements.is_empty(), Error::<T>::EmptyForecast);
			let max = usize::try_from(params.max_elements_per_forecast).unwrap_or(usize::MAX);
			ensure!(elements.len() <= max, Error::<T>::TooManyForecastElements);
			let mut seen = alloc::collections::BTreeSet::new();
			let mut reads: u32 = 0;
			for (i, element) in elements.iter().enumerate() {
				let index = u8::try_from(i).unwrap_or(u8::MAX);
				let inferred =
					counted.is_some_and(|set| set.iter().any(|(a, _)| *a == element.inferer));
				if !inferred {
					reads = reads.saturating_add(1);
					ensure!(
						Workers::<T>::contains_key(topic_id, &element.inferer),
						Error::<T>::ForecastInfererNotRegistered { index }
					);
				}
				ensure!(
					seen.insert(element.inferer.clone()),
					Error::<T>::DuplicateForecastElement { index }
				);
				ensure!(
					loss_range.contains(element.value),
					Error::<T>::ForecastLossOutOfRange { index }
				);
			}
			Ok(reads)
		}

		/// The topic's open and reputer nonces, newest first.
		pub fn open_nonces(topic_id: TopicId) -> OpenNonces<BlockNumberFor<T>> {
			OpenNonces {
				worker_nonces: OpenWorkerNonces::<T>::get(topic_id).into_inner(),
				reputer_nonces: ReputerNonces::<T>::get(topic_id).into_inner(),
			}
		}

		/// Sets an actor's score EMA (used by the reputer side at reward time, spec 6.3).
		pub fn set_score_ema(
			topic_id: TopicId,
			role: Role,
			who: &T::AccountId,
			ema: ScoreEma<BlockNumberFor<T>>,
		) {
			ScoreEmas::<T>::insert((topic_id, role), who, ema);
		}

		/// Removes and returns up to `max` reputer nonces of the topic for which `is_due` holds,
		/// oldest first (the reputer side closes them).
		pub fn take_due_reputer_nonces(
			topic_id: TopicId,
			is_due: impl Fn(&BlockNumberFor<T>) -> bool,
			max: usize,
		) -> alloc::vec::Vec<BlockNumberFor<T>> {
			let mut nonces = ReputerNonces::<T>::get(topic_id).into_inner();
			let due: alloc::vec::Vec<_> =
				nonces.iter().rev().filter(|n| is_due(n)).take(max).copied().collect();
			if due.is_empty() {
				return due;
			}
			nonces.retain(|n| !due.contains(n));
			ReputerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(nonces));
			due
		}

		/// Sets the quantile of a round's instant scores for a role (spec 6.3).
		pub fn set_previous_quantile_score(topic_id: TopicId, role: Role, value: Fixed) {
			PreviousQuantileScore::<T>::insert((topic_id, role), value);
		}

		/// Checks the pallet's invariants: worker counts match the registrations, every open
		/// nonce has its window scheduled or is the topic's newest, active sets respect the
		/// parameters' bounds and are sorted.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (topic_id, count) in WorkerCount::<T>::iter() {
				let actual = Workers::<T>::iter_prefix(topic_id).count();
				ensure!(usize::try_from(count).ok() == Some(actual), "worker count drifted");
			}
			for (_, _, set) in Inferences::<T>::iter() {
				ensure!(set.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "unsorted");
			}
			for (_, _, set) in Forecasts::<T>::iter() {
				ensure!(set.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "unsorted");
			}
			Ok(())
		}
	}
}
