//! # Reputation pallet
//!
//! Reputers are the chain's judges. Per topic (spec 1.5, 2, 3.5, 5, 6.2-6.3):
//!
//! - once worker nonce N closed, reputer nonce N waits for **loss bundles**: during
//!   [N + G, N + 2G] a registered reputer (pallet-stake) with at least `RequiredMinimumStake`
//!   submits the (log-)loss of every network value of N against the ground truth, paying
//!   `DataSendingFee`. The bundle is checked against N's snapshot (unknown workers, repeated
//!   entries, missing combined or naive loss: named errors) and can be replaced within the
//!   window. The reputer active set (`max_top_reputers_to_reward`) admits by merit sortition;
//! - at the topic's first epoch end at or after N + 2G (fix o) the nonce is **queued** and
//!   settled in a following block, at most `MaxClosesPerBlock` per block: network losses,
//!   the nine regret families and the topic initial regret, reputer consensus scores and
//!   listening coefficients, worker scores, score EMAs and topic quantiles, all through
//!   `allora-synthesis`;
//! - the stored regrets and the latest network loss feed the next network inferences
//!   (`pallet_inference::TopicRegrets`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod bundle;
mod close;
mod leave;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod mock;
pub mod regrets;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
mod topic_removal;
pub mod traits;
pub mod types;
pub mod weights;

pub use allora_math::Fixed;
pub use pallet::*;
pub use traits::{OnRoundSettled, Payout, SettledRound};
pub use types::*;
pub use weights::WeightInfo;

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
	use pallet_inference::{sortition, Role};
	use pallet_topics::TopicId;
	use sp_runtime::Saturating;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_inference::Config
		+ pallet_stake::Config
	{
		/// Storage bound: one-out-inferer-forecaster entries of a bundle.
		#[pallet::constant]
		type MaxBundlePairs: Get<u32>;
		/// Storage bound: stored regrets per topic in each single-actor family.
		#[pallet::constant]
		type MaxRegretActors: Get<u32>;
		/// Storage bound: stored regrets per topic in each pair family.
		#[pallet::constant]
		type MaxRegretPairs: Get<u32>;
		/// Storage bound: reputer nonces waiting in the close queue.
		#[pallet::constant]
		type MaxQueuedCloses: Get<u32>;
		/// Reputer nonces settled per block at most (the rest waits).
		#[pallet::constant]
		type MaxClosesPerBlock: Get<u32>;
		/// The reward step of each settled round (spec 6.1 steps 5-9).
		type OnRoundSettled: OnRoundSettled<Self::AccountId, BlockNumberFor<Self>>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
	}

	/// A loss bundle with the runtime's bounds.
	pub type LossBundleOf<T> = LossBundle<
		<T as frame_system::Config>::AccountId,
		<T as pallet_topics::Config>::MaxActiveInferers,
		<T as pallet_topics::Config>::MaxActiveForecasters,
		<T as Config>::MaxBundlePairs,
	>;

	/// A closed round's stored outcome with the runtime's bounds.
	pub type RoundOutcomeOf<T> = RoundOutcome<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as pallet_topics::Config>::MaxActiveInferers,
		<T as pallet_topics::Config>::MaxActiveForecasters,
		<T as pallet_topics::Config>::MaxActiveReputers,
	>;

	/// The reputers whose bundles count for (topic, nonce), ascending (spec 3.5).
	#[pallet::storage]
	pub type ActiveReputers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<T::AccountId, <T as pallet_topics::Config>::MaxActiveReputers>,
		ValueQuery,
	>;

	/// The bundle of each active reputer of (topic, nonce).
	#[pallet::storage]
	pub type LossBundles<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(TopicId, BlockNumberFor<T>),
		Blake2_128Concat,
		T::AccountId,
		LossBundleOf<T>,
	>;

	/// Reputer nonces due for settlement: (topic, nonce, block queued, the topic's reward
	/// share w_t/Σw in that block), oldest first.
	#[pallet::storage]
	pub type CloseQueue<T: Config> = StorageValue<
		_,
		BoundedVec<(TopicId, BlockNumberFor<T>, BlockNumberFor<T>, Fixed), T::MaxQueuedCloses>,
		ValueQuery,
	>;

	/// Regrets of the single-actor families per (topic, family), ascending by actor.
	#[pallet::storage]
	pub type SingleRegrets<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		(TopicId, SingleFamily),
		BoundedVec<(T::AccountId, RegretValue<BlockNumberFor<T>>), T::MaxRegretActors>,
		ValueQuery,
	>;

	/// Regrets of the pair families per (topic, family), ascending by (first, second) actor.
	#[pallet::storage]
	pub type PairRegrets<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		(TopicId, PairFamily),
		BoundedVec<
			((T::AccountId, T::AccountId), RegretValue<BlockNumberFor<T>>),
			T::MaxRegretPairs,
		>,
		ValueQuery,
	>;

	/// The network losses of the topic's latest settled nonce (spec 5.3); its combined value
	/// is the ℓ* of the next syntheses (spec 4.2).
	#[pallet::storage]
	pub type NetworkLosses<T: Config> =
		StorageMap<_, Blake2_128Concat, TopicId, (BlockNumberFor<T>, LossBundleOf<T>)>;

	/// Scores, reputer results and initial regret of the topic's latest settled nonce.
	#[pallet::storage]
	pub type LatestRound<T: Config> = StorageMap<_, Blake2_128Concat, TopicId, RoundOutcomeOf<T>>;

	/// Listening coefficients a_m per (topic, reputer) (spec 5.6); missing = 1.
	#[pallet::storage]
	pub type ListeningCoefficients<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, TopicId, Blake2_128Concat, T::AccountId, Fixed>;

	/// Rounds with a nonzero reward per ((topic, role), actor): experience of spec 5.5,
	/// counted by the reward step.
	#[pallet::storage]
	pub type InclusionCounts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(TopicId, Role),
		Blake2_128Concat,
		T::AccountId,
		u32,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A bundle entered the nonce's reputer active set (`replaced`: over the reputer's
		/// earlier one).
		LossBundleSubmitted {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			reputer: T::AccountId,
			replaced: bool,
		},
		/// The reputer set was full and the reputer's score EMA did not beat the lowest
		/// member's: the bundle is not counted (its EMA was updated as a passive actor).
		LossBundleNotAdmitted { topic_id: TopicId, nonce: BlockNumberFor<T>, reputer: T::AccountId },
		/// A member with the lowest score EMA left the full reputer set for a better newcomer.
		ReputerEvicted { topic_id: TopicId, nonce: BlockNumberFor<T>, reputer: T::AccountId },
		/// The nonce's window has passed: it waits in the close queue.
		ReputerNonceQueued { topic_id: TopicId, nonce: BlockNumberFor<T> },
		/// The nonce was settled: `network_loss` is ℓ_i, from `reputers` accepted bundles;
		/// regrets, scores and listening coefficients are stored (`ReputationApi`).
		ReputerNonceClosed {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			reputers: u32,
			network_loss: Fixed,
		},
		/// The nonce was closed without results.
		ReputerNonceDropped { topic_id: TopicId, nonce: BlockNumberFor<T>, reason: DropReason },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No topic has this id.
		TopicNotFound,
		/// The worker nonce is still open: its reputer nonce opens when its window closes.
		WorkerNonceNotClosed,
		/// The topic has no reputer nonce waiting for bundles with this value (never opened,
		/// already closed or pruned).
		UnknownReputerNonce,
		/// The current block is outside the nonce's reputer window [N + G, N + 2G].
		OutsideReputerWindow,
		/// The sender is not a registered reputer of the topic.
		NotRegisteredReputer,
		/// The reputer's stake in the topic is below `RequiredMinimumStake`.
		InsufficientStake,
		/// The bundle has no loss of the combined network inference.
		MissingCombinedValue,
		/// The bundle has no loss of the naive network inference.
		MissingNaiveValue,
		/// The entry at `index` of `list` names an account that is not a worker of the
		/// nonce's snapshot in that role.
		UnknownWorker { list: BundleList, index: u16 },
		/// The entry at `index` of `list` repeats an earlier entry's worker.
		DuplicateEntry { list: BundleList, index: u16 },
		/// The loss at `index` of `list` (0 for the combined and naive losses) is outside the
		/// topic's `loss_range`.
		LossOutOfRange { list: BundleList, index: u16 },
		/// The encoded bundle is longer than `max_serialized_msg_length`.
		PayloadTooLarge,
		/// A settlement of the topic is queued: remove the topic after it ran.
		TopicHasQueuedSettlement,
		/// The bundle judges `list`, which the nonce's network inference did not produce in its
		/// mode (e.g. one-out values of a round synthesised in the median mode).
		ValueNotProduced { list: BundleList },
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Reserves the weight of the closes `on_finalize` settles in this block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::closes_weight(now)
		}

		/// Settles queued reputer nonces (at most `MaxClosesPerBlock`, queued before `now`).
		fn on_finalize(now: BlockNumberFor<T>) {
			Self::process_closes(now);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// A registered reputer's loss bundle for reputer nonce `nonce` of `topic_id`, in its
		/// window [N + G, N + 2G], with at least `RequiredMinimumStake`. Pays
		/// `DataSendingFee`; replaces the reputer's earlier bundle for the nonce; a full active
		/// set admits by merit sortition (spec 3.5). Emits `LossBundleSubmitted`,
		/// `LossBundleNotAdmitted` or `ReputerEvicted`. Its benchmark pays the fee on an active
		/// topic: an activation probe is added only when it ran.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::submit_loss_bundle()
			.saturating_add(pallet_topics::Pallet::<T>::fee_weight_beyond_active_max()))]
		pub fn submit_loss_bundle(
			origin: OriginFor<T>,
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			bundle: alloc::boxed::Box<LossBundleOf<T>>,
		) -> DispatchResultWithPostInfo {
			let reputer = ensure_signed(origin)?;
			let topic =
				pallet_topics::Topics::<T>::get(topic_id).ok_or(Error::<T>::TopicNotFound)?;
			Self::ensure_reputer_nonce(topic_id, nonce)?;
			let now = frame_system::Pallet::<T>::block_number();
			let g = topic.config.ground_truth_lag;
			let opens = nonce.saturating_add(g);
			ensure!(
				opens <= now && now <= opens.saturating_add(g),
				Error::<T>::OutsideReputerWindow
			);
			ensure!(
				pallet_stake::Reputers::<T>::contains_key(topic_id, &reputer),
				Error::<T>::NotRegisteredReputer
			);
			let params = pallet_topics::Pallet::<T>::params();
			ensure!(
				pallet_stake::StakeReputerAuthority::<T>::get(topic_id, &reputer)
					>= params.required_minimum_stake,
				Error::<T>::InsufficientStake
			);
			ensure!(
				bundle.encoded_size()
					<= usize::try_from(params.max_serialized_msg_length).unwrap_or(usize::MAX),
				Error::<T>::PayloadTooLarge
			);
			bundle::validate::<T>(
				&bundle,
				&bundle::snapshot::<T>(topic_id, nonce),
				&topic.config.loss_range,
			)?;
			let set = ActiveReputers::<T>::get(topic_id, nonce);
			pallet_inference::Pallet::<T>::ensure_can_be_evaluated(
				topic_id,
				nonce,
				&reputer,
				Role::Reputer,
				set.iter(),
				set.len(),
				params.max_top_reputers_to_reward,
			)?;
			let fee_weight =
				pallet_topics::Pallet::<T>::pay_fee(&reputer, topic_id, params.data_sending_fee)?;
			pallet_stake::Pallet::<T>::note_reputer_activity(topic_id, &reputer);
			Self::admit(topic_id, &topic, nonce, &reputer, *bundle, set, &params);
			// The activation probe is only paid for when it ran.
			let fee_weight = pallet_topics::Pallet::<T>::fee_weight_beyond_active(fee_weight);
			Ok(Some(<T as Config>::WeightInfo::submit_loss_bundle().saturating_add(fee_weight))
				.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// `nonce` waits for bundles; otherwise `WorkerNonceNotClosed` or
		/// `UnknownReputerNonce`.
		fn ensure_reputer_nonce(topic_id: TopicId, nonce: BlockNumberFor<T>) -> DispatchResult {
			if pallet_inference::ReputerNonces::<T>::get(topic_id).contains(&nonce) {
				return Ok(());
			}
			if pallet_inference::OpenWorkerNonces::<T>::get(topic_id).contains(&nonce) {
				return Err(Error::<T>::WorkerNonceNotClosed.into());
			}
			Err(Error::<T>::UnknownReputerNonce.into())
		}

		/// Offers the bundle to the nonce's reputer set (merit sortition, spec 3.5) and
		/// records the outcome.
		fn admit(
			topic_id: TopicId,
			topic: &pallet_topics::Topic<T::AccountId, BlockNumberFor<T>>,
			nonce: BlockNumberFor<T>,
			reputer: &T::AccountId,
			bundle: LossBundleOf<T>,
			set: BoundedVec<T::AccountId, <T as pallet_topics::Config>::MaxActiveReputers>,
			params: &pallet_topics::NetworkParams,
		) {
			let mut members: alloc::vec::Vec<(T::AccountId, ())> =
				set.into_iter().map(|a| (a, ())).collect();
			let capacity = close::cap(
				params
					.max_top_reputers_to_reward
					.min(<T as pallet_topics::Config>::MaxActiveReputers::get()),
			);
			let admission = sortition::offer(&mut members, reputer, (), capacity, |a| {
				pallet_inference::Pallet::<T>::score_ema(topic_id, Role::Reputer, a)
			});
			let alpha = topic.config.merit_sortition_alpha;
			let passive = |who: &T::AccountId| {
				pallet_inference::Pallet::<T>::passive_update(
					topic_id,
					Role::Reputer,
					who,
					nonce,
					alpha,
				)
			};
			let submitted = |replaced| Event::LossBundleSubmitted {
				topic_id,
				nonce,
				reputer: reputer.clone(),
				replaced,
			};
			match admission {
				sortition::Admission::NotAdmitted => {
					passive(reputer);
					Self::deposit_event(Event::LossBundleNotAdmitted {
						topic_id,
						nonce,
						reputer: reputer.clone(),
					});
					return;
				},
				sortition::Admission::Evicted(evicted) => {
					// A member that has unregistered since keeps no state on the topic.
					if pallet_stake::Pallet::<T>::is_reputer(topic_id, &evicted) {
						passive(&evicted);
					}
					LossBundles::<T>::remove((topic_id, nonce), &evicted);
					Self::deposit_event(Event::ReputerEvicted {
						topic_id,
						nonce,
						reputer: evicted,
					});
					Self::deposit_event(submitted(false));
				},
				sortition::Admission::Added => Self::deposit_event(submitted(false)),
				sortition::Admission::Replaced => Self::deposit_event(submitted(true)),
			}
			LossBundles::<T>::insert((topic_id, nonce), reputer, bundle);
			let members = members.into_iter().map(|(a, _)| a).collect();
			ActiveReputers::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(members));
		}

		/// The topic's stored listening coefficients, ascending by reputer.
		pub fn listening_coefficients(topic_id: TopicId) -> alloc::vec::Vec<(T::AccountId, Fixed)> {
			let mut all: alloc::vec::Vec<_> =
				ListeningCoefficients::<T>::iter_prefix(topic_id).collect();
			all.sort_by(|a, b| a.0.cmp(&b.0));
			all
		}

		/// Adds one to an actor's count of rewarded rounds (spec 5.5; the reward step calls
		/// it for every actor paid a nonzero reward).
		/// An actor that has left the topic meanwhile is not recorded.
		pub fn note_inclusion(topic_id: TopicId, role: Role, who: &T::AccountId) {
			if Self::is_registered(topic_id, role, who) {
				InclusionCounts::<T>::mutate((topic_id, role), who, |n| *n = n.saturating_add(1));
			}
		}

		/// Whether `who` is registered on `topic_id` in the registration `role` needs (worker
		/// for inferers and forecasters, reputer for reputers): per-actor state is kept only
		/// for registered actors.
		pub fn is_registered(topic_id: TopicId, role: Role, who: &T::AccountId) -> bool {
			match role {
				Role::Inferer | Role::Forecaster => {
					pallet_inference::Pallet::<T>::is_worker(topic_id, who)
				},
				Role::Reputer => pallet_stake::Pallet::<T>::is_reputer(topic_id, who),
			}
		}

		/// Checks the pallet's invariants: every active set is sorted and each member has a
		/// bundle, every bundle belongs to an active set member, regret lists are sorted, the
		/// close queue is in queueing order.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (topic_id, nonce, set) in ActiveReputers::<T>::iter() {
				ensure!(set.windows(2).all(|w| matches!(w, [a, b] if a < b)), "unsorted set");
				for m in set.iter() {
					ensure!(
						LossBundles::<T>::contains_key((topic_id, nonce), m),
						"member without bundle"
					);
				}
			}
			for ((topic_id, nonce), m, _) in LossBundles::<T>::iter() {
				ensure!(
					ActiveReputers::<T>::get(topic_id, nonce).contains(&m),
					"bundle of a non-member"
				);
			}
			for (_, list) in SingleRegrets::<T>::iter() {
				ensure!(list.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "unsorted");
			}
			for (_, list) in PairRegrets::<T>::iter() {
				ensure!(list.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "unsorted");
			}
			let queue = CloseQueue::<T>::get();
			ensure!(queue.windows(2).all(|w| matches!(w, [a, b] if a.2 <= b.2)), "queue order");
			Ok(())
		}
	}
}
