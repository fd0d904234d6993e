//! # Stake pallet
//!
//! Reputers are the chain's judges and stake ALLO on the topics they judge (spec 1.2-1.3, 2):
//!
//! - an account **registers** as a reputer of a topic (paying `RegistrationFee`) and may
//!   unregister (its stake stays and keeps counting until removed);
//! - a registered reputer **adds stake** to a topic: the amount is *held* on its own account
//!   (`HoldReason::ReputerStake`), never moved to a pot;
//! - any other account **delegates** stake to a registered reputer of a topic
//!   (`HoldReason::DelegatedStake`); the reputer's authority S_r is its own stake plus all
//!   stake delegated to it;
//! - **removals** are delayed by `RemoveStakeDelayWindow` blocks: a request (one per
//!   (topic, reputer) or (topic, delegator, reputer); a new one replaces the old) can be
//!   cancelled; due removals are executed at the start of a block from a queue keyed by their
//!   completion block, at most `half_max_process_stake_removals_end_block` of each kind per
//!   block, oldest first, so the queue always makes progress (fixes b and c);
//! - delegators earn the reputer's delegator rewards through a **reward-per-share**
//!   accumulator (spec 1.3): pending = amount·acc − debt, paid out on every change of the
//!   amount and by `claim_delegator_reward`, rounded in favour of the pool.
//!
//! The pallet implements [`pallet_topics::TopicStake`], so a topic's weight follows its stake.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod mock;
mod removals;
mod rewards;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
mod topic_removal;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pallet_topics::{OnActorLeft as _, Registration, TopicId};
use scale_info::TypeInfo;

/// Scale of the reward-per-share accumulator: rewards per base unit of stake × 10^18.
pub const SHARE_SCALE: u128 = 1_000_000_000_000_000_000;

/// A delegator's placement on one reputer of one topic (spec 1.3).
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Delegation {
	/// Delegated amount (base units).
	pub amount: u128,
	/// amount·acc at the last change: what the delegator is not owed.
	pub reward_debt: u128,
}

/// A pending removal: `amount` leaves the stake at block `at`.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PendingRemoval<BlockNumber> {
	/// Amount to remove (base units).
	pub amount: u128,
	/// Completion block.
	pub at: BlockNumber,
}

/// A reputer's stake on a topic, for clients.
#[derive(Clone, Default, Encode, Decode, PartialEq, Eq, Debug, TypeInfo)]
pub struct ReputerStakeInfo {
	/// Whether the account is a registered reputer of the topic.
	pub registered: bool,
	/// Own stake (base units).
	pub own: u128,
	/// Stake delegated to it (base units).
	pub delegated: u128,
	/// The pending removal of own stake, if any: (amount, completion block).
	pub pending_removal: Option<(u128, u64)>,
}

/// A delegator's placement on a reputer of a topic, for clients.
#[derive(Clone, Default, Encode, Decode, PartialEq, Eq, Debug, TypeInfo)]
pub struct DelegationInfo {
	/// Delegated amount (base units).
	pub amount: u128,
	/// Claimable delegator reward (base units).
	pub pending_reward: u128,
	/// The pending removal, if any: (amount, completion block).
	pub pending_removal: Option<(u128, u64)>,
}

/// What a queued removal refers to.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum RemovalKey<AccountId> {
	/// A reputer's own stake on a topic.
	Reputer { topic_id: TopicId, reputer: AccountId },
	/// A delegator's stake on a reputer of a topic.
	Delegate { topic_id: TopicId, delegator: AccountId, reputer: AccountId },
}

// The FRAME macros expand storage and genesis code with `expect`; the lint stays denied in
// every other module of this crate, where the logic lives.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Preservation},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use pallet_topics::WeightInfo as _;
	use sp_runtime::traits::AccountIdConversion;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A reputer's own stake.
		ReputerStake,
		/// Stake delegated to a reputer.
		DelegatedStake,
	}

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_topics::Config<RuntimeHoldReason: From<HoldReason>>
	{
		/// The ALLO currency with holds (the runtime's hold reasons are pallet-topics').
		type Currency: MutateHold<
				Self::AccountId,
				Reason = <Self as pallet_topics::Config>::RuntimeHoldReason,
				Balance = u128,
			> + Mutate<Self::AccountId>;
		/// Derives the account that keeps delegators' unclaimed rewards.
		#[pallet::constant]
		type PendingRewardsPalletId: Get<PalletId>;
		/// Storage bound: registered reputers per topic.
		#[pallet::constant]
		type MaxReputersPerTopic: Get<u32>;
		/// Storage bound: removals completing in one block (later requests take the next
		/// block with room).
		#[pallet::constant]
		type MaxRemovalsPerBlock: Get<u32>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
	}

	/// Registered reputers of a topic: their deposit and last activity.
	#[pallet::storage]
	pub type Reputers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		Registration<BlockNumberFor<T>>,
	>;

	/// Number of registered reputers of a topic.
	#[pallet::storage]
	pub type ReputerCount<T> = StorageMap<_, Blake2_128Concat, TopicId, u32, ValueQuery>;

	/// Σ of all stake (own + delegated) of all topics.
	#[pallet::storage]
	pub type TotalStake<T> = StorageValue<_, u128, ValueQuery>;

	/// Σ of all stake (own + delegated) in a topic: S_t of the topic weight.
	#[pallet::storage]
	pub type TopicStake<T> = StorageMap<_, Blake2_128Concat, TopicId, u128, ValueQuery>;

	/// S_r: a reputer's own stake plus the stake delegated to it, per topic.
	#[pallet::storage]
	pub type StakeReputerAuthority<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		u128,
		ValueQuery,
	>;

	/// The delegated part of S_r.
	#[pallet::storage]
	pub type StakeFromDelegatorsUponReputer<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		u128,
		ValueQuery,
	>;

	/// All stake a delegator has placed in a topic.
	#[pallet::storage]
	pub type StakeSumFromDelegator<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		u128,
		ValueQuery,
	>;

	/// A delegator's placement on a reputer: (topic, delegator, reputer).
	#[pallet::storage]
	pub type DelegatedStakes<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, TopicId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		Delegation,
		ValueQuery,
	>;

	/// Accumulated delegator reward per delegated base unit × [`SHARE_SCALE`], per (topic,
	/// reputer).
	#[pallet::storage]
	pub type DelegateRewardPerShare<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		u128,
		ValueQuery,
	>;

	/// A reputer's pending removal of own stake.
	#[pallet::storage]
	pub type ReputerRemovals<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TopicId,
		Blake2_128Concat,
		T::AccountId,
		PendingRemoval<BlockNumberFor<T>>,
	>;

	/// A delegator's pending removal, keyed (topic, delegator, reputer).
	#[pallet::storage]
	pub type DelegateRemovals<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, TopicId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		PendingRemoval<BlockNumberFor<T>>,
	>;

	/// The removals completing at a block, in request order.
	#[pallet::storage]
	pub type RemovalQueue<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<RemovalKey<T::AccountId>, T::MaxRemovalsPerBlock>,
		ValueQuery,
	>;

	/// The oldest block whose removals may not all have been executed yet.
	#[pallet::storage]
	pub type RemovalCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		/// The pending-rewards account pays out amounts below the existential deposit: it
		/// must exist from genesis on.
		fn build(&self) {
			let account = Pallet::<T>::pending_rewards_account();
			let ed = <T as Config>::Currency::minimum_balance();
			if <T as Config>::Currency::balance(&account) < ed {
				let _ = <T as Config>::Currency::mint_into(&account, ed);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `reputer` registered on the topic.
		ReputerRegistered { topic_id: TopicId, reputer: T::AccountId },
		/// `reputer` unregistered from the topic; its deposit was returned (its stake is
		/// untouched).
		ReputerUnregistered { topic_id: TopicId, reputer: T::AccountId },
		/// `pruner` removed `reputer`'s inactive registration and received its `deposit` (the
		/// reputer's stake is untouched).
		ReputerPruned {
			topic_id: TopicId,
			reputer: T::AccountId,
			pruner: T::AccountId,
			deposit: u128,
		},
		/// `reputer` added `amount` of own stake (held on its account).
		StakeAdded { topic_id: TopicId, reputer: T::AccountId, amount: u128 },
		/// `delegator` delegated `amount` to `reputer` (held on its account).
		StakeDelegated {
			topic_id: TopicId,
			delegator: T::AccountId,
			reputer: T::AccountId,
			amount: u128,
		},
		/// A removal was requested; it completes at block `at` (replacing an earlier request).
		RemovalRequested { key: RemovalKey<T::AccountId>, amount: u128, at: BlockNumberFor<T> },
		/// A pending removal was cancelled.
		RemovalCancelled { key: RemovalKey<T::AccountId> },
		/// A removal was executed: `amount` released to its owner.
		StakeRemoved { key: RemovalKey<T::AccountId>, amount: u128 },
		/// A removal could not be executed (the stake shrank below it meanwhile): it was
		/// dropped and the stake left in place.
		RemovalDropped { key: RemovalKey<T::AccountId>, amount: u128 },
		/// `amount` of delegator rewards was credited to `reputer`'s delegators.
		DelegatorRewardsAdded { topic_id: TopicId, reputer: T::AccountId, amount: u128 },
		/// `delegator` received `amount` of pending delegation rewards.
		DelegatorRewardPaid {
			topic_id: TopicId,
			delegator: T::AccountId,
			reputer: T::AccountId,
			amount: u128,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No topic has this id.
		TopicNotFound,
		/// The account is already a registered reputer of the topic.
		AlreadyRegistered,
		/// The account is not a registered reputer of the topic.
		NotRegisteredReputer,
		/// The topic has the maximum number of registered reputers.
		TooManyReputers,
		/// Stake amounts must be positive.
		ZeroAmount,
		/// The account's free balance cannot cover the stake.
		InsufficientBalance,
		/// The removal exceeds the account's own stake (reputer) or placement (delegator).
		InsufficientStake,
		/// A reputer cannot delegate to itself.
		SelfDelegation,
		/// There is no pending removal to cancel.
		NoPendingRemoval,
		/// No block within reach has room in the removal queue; retry later.
		RemovalQueueFull,
		/// Stake sums overflowed.
		Overflow,
		/// Nobody delegates to this reputer on this topic: there is no one to reward.
		NoDelegatedStake,
		/// The sender has no delegation on this reputer of this topic: nothing to claim.
		NoDelegation,
		/// The reputer submitted within `RegistrationInactivityEpochs` epochs: it cannot be
		/// pruned yet.
		ReputerStillActive,
		/// The topic still has registered reputers: prune or unregister them before removing
		/// it.
		TopicHasReputers,
		/// Stake is still placed on the topic: its owners must remove it first.
		TopicHasStake,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Executes due removals (spec 3.2 step 1), a bounded number per block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_removals(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the signed sender as a reputer of `topic_id`, paying `RegistrationFee`
		/// and holding `RegistrationDeposit`. Emits `ReputerRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_reputer()
			.saturating_add(<T as pallet_topics::Config>::WeightInfo::pay_fee()))]
		pub fn register_reputer(origin: OriginFor<T>, topic_id: TopicId) -> DispatchResult {
			let reputer = ensure_signed(origin)?;
			ensure!(pallet_topics::Topics::<T>::contains_key(topic_id), Error::<T>::TopicNotFound);
			ensure!(
				!Reputers::<T>::contains_key(topic_id, &reputer),
				Error::<T>::AlreadyRegistered
			);
			let count = ReputerCount::<T>::get(topic_id);
			ensure!(count < T::MaxReputersPerTopic::get(), Error::<T>::TooManyReputers);
			let fee = pallet_topics::Pallet::<T>::params().registration_fee;
			let _fee_weight = pallet_topics::Pallet::<T>::pay_fee(&reputer, topic_id, fee)?;
			let registration = pallet_topics::Pallet::<T>::new_registration(&reputer)?;
			Reputers::<T>::insert(topic_id, &reputer, registration);
			ReputerCount::<T>::insert(topic_id, count.saturating_add(1));
			Self::deposit_event(Event::ReputerRegistered { topic_id, reputer });
			Ok(())
		}

		/// Removes the sender's reputer registration and returns its deposit; its score,
		/// listening coefficient and experience on the topic are removed, its own and delegated
		/// stake stay (and can be removed as usual). Emits `ReputerUnregistered`.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::unregister_reputer()
			.saturating_add(<T as pallet_topics::Config>::OnActorLeft::weight()))]
		pub fn unregister_reputer(origin: OriginFor<T>, topic_id: TopicId) -> DispatchResult {
			let reputer = ensure_signed(origin)?;
			let registration =
				Reputers::<T>::get(topic_id, &reputer).ok_or(Error::<T>::NotRegisteredReputer)?;
			pallet_topics::Pallet::<T>::release_registration(&reputer, &registration)?;
			Self::remove_reputer(topic_id, &reputer);
			Self::deposit_event(Event::ReputerUnregistered { topic_id, reputer });
			Ok(())
		}

		/// A registered reputer holds `amount` more of its balance as stake on `topic_id`;
		/// may activate the topic (weighted like a fee's activation attempt). Emits
		/// `StakeAdded`.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::add_stake()
			.saturating_add(<T as pallet_topics::Config>::WeightInfo::pay_fee()))]
		pub fn add_stake(origin: OriginFor<T>, topic_id: TopicId, amount: u128) -> DispatchResult {
			let reputer = ensure_signed(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(
				Reputers::<T>::contains_key(topic_id, &reputer),
				Error::<T>::NotRegisteredReputer
			);
			Self::hold(&reputer, HoldReason::ReputerStake, amount)?;
			Self::increase(topic_id, &reputer, amount)?;
			pallet_topics::Pallet::<T>::try_activate(
				topic_id,
				frame_system::Pallet::<T>::block_number(),
			);
			Self::deposit_event(Event::StakeAdded { topic_id, reputer, amount });
			Ok(())
		}

		/// Requests the removal of `amount` of the sender's own stake on `topic_id` after
		/// `RemoveStakeDelayWindow` blocks, replacing an earlier request. The stake keeps
		/// counting until then. Emits `RemovalRequested`.
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_stake())]
		pub fn remove_stake(
			origin: OriginFor<T>,
			topic_id: TopicId,
			amount: u128,
		) -> DispatchResult {
			let reputer = ensure_signed(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(amount <= Self::own_stake(topic_id, &reputer), Error::<T>::InsufficientStake);
			Self::request_removal(RemovalKey::Reputer { topic_id, reputer }, amount)
		}

		/// Cancels the sender's pending removal of own stake on `topic_id`.
		/// Emits `RemovalCancelled`.
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::cancel_removal())]
		pub fn cancel_remove_stake(origin: OriginFor<T>, topic_id: TopicId) -> DispatchResult {
			let reputer = ensure_signed(origin)?;
			Self::cancel_removal(RemovalKey::Reputer { topic_id, reputer })
		}

		/// Holds `amount` of the sender's balance as stake delegated to `reputer` (a registered
		/// reputer of `topic_id`, not the sender); pays out pending delegation rewards first.
		/// Emits `StakeDelegated`.
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::delegate_stake()
			.saturating_add(<T as pallet_topics::Config>::WeightInfo::pay_fee()))]
		pub fn delegate_stake(
			origin: OriginFor<T>,
			topic_id: TopicId,
			reputer: T::AccountId,
			amount: u128,
		) -> DispatchResult {
			let delegator = ensure_signed(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(delegator != reputer, Error::<T>::SelfDelegation);
			ensure!(
				Reputers::<T>::contains_key(topic_id, &reputer),
				Error::<T>::NotRegisteredReputer
			);
			Self::hold(&delegator, HoldReason::DelegatedStake, amount)?;
			Self::pay_pending_reward(topic_id, &delegator, &reputer)?;
			Self::increase_delegation(topic_id, &delegator, &reputer, amount)?;
			pallet_topics::Pallet::<T>::try_activate(
				topic_id,
				frame_system::Pallet::<T>::block_number(),
			);
			Self::deposit_event(Event::StakeDelegated { topic_id, delegator, reputer, amount });
			Ok(())
		}

		/// Requests the removal of `amount` of the sender's stake delegated to `reputer` on
		/// `topic_id` after `RemoveStakeDelayWindow` blocks, replacing an earlier request. Works
		/// after the reputer unregistered. Emits `RemovalRequested`.
		#[pallet::call_index(6)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_stake())]
		pub fn remove_delegate_stake(
			origin: OriginFor<T>,
			topic_id: TopicId,
			reputer: T::AccountId,
			amount: u128,
		) -> DispatchResult {
			let delegator = ensure_signed(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			let placed = DelegatedStakes::<T>::get((topic_id, &delegator, &reputer)).amount;
			ensure!(amount <= placed, Error::<T>::InsufficientStake);
			Self::request_removal(RemovalKey::Delegate { topic_id, delegator, reputer }, amount)
		}

		/// Cancels the sender's pending removal of stake delegated to `reputer`.
		/// Emits `RemovalCancelled`.
		#[pallet::call_index(7)]
		#[pallet::weight(<T as Config>::WeightInfo::cancel_removal())]
		pub fn cancel_remove_delegate_stake(
			origin: OriginFor<T>,
			topic_id: TopicId,
			reputer: T::AccountId,
		) -> DispatchResult {
			let delegator = ensure_signed(origin)?;
			Self::cancel_removal(RemovalKey::Delegate { topic_id, delegator, reputer })
		}

		/// Pays the sender its pending delegation rewards on `reputer` of `topic_id`.
		/// Emits `DelegatorRewardPaid` when there is something to pay.
		#[pallet::call_index(8)]
		#[pallet::weight(<T as Config>::WeightInfo::claim_delegator_reward())]
		pub fn claim_delegator_reward(
			origin: OriginFor<T>,
			topic_id: TopicId,
			reputer: T::AccountId,
		) -> DispatchResult {
			let delegator = ensure_signed(origin)?;
			let key = (topic_id, &delegator, &reputer);
			// Issue 12, finding 6: no claim writes an entry it does not need.
			ensure!(DelegatedStakes::<T>::contains_key(key), Error::<T>::NoDelegation);
			Self::pay_pending_reward(topic_id, &delegator, &reputer)?;
			let acc = DelegateRewardPerShare::<T>::get(topic_id, &reputer);
			DelegatedStakes::<T>::mutate(key, |d| d.reward_debt = rewards::debt(d.amount, acc));
			Ok(())
		}

		/// Removes `reputer`'s registration on `topic_id` after `RegistrationInactivityEpochs`
		/// of the topic's epochs without an accepted loss bundle; the sender receives the
		/// registration deposit. The reputer's stake is untouched. Emits `ReputerPruned`.
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::prune_reputer()
			.saturating_add(<T as pallet_topics::Config>::OnActorLeft::weight()))]
		pub fn prune_reputer(
			origin: OriginFor<T>,
			topic_id: TopicId,
			reputer: T::AccountId,
		) -> DispatchResult {
			let pruner = ensure_signed(origin)?;
			let registration =
				Reputers::<T>::get(topic_id, &reputer).ok_or(Error::<T>::NotRegisteredReputer)?;
			ensure!(
				pallet_topics::Pallet::<T>::registration_expired(topic_id, &registration),
				Error::<T>::ReputerStillActive
			);
			pallet_topics::Pallet::<T>::seize_registration(&reputer, &registration, &pruner)?;
			Self::remove_reputer(topic_id, &reputer);
			let deposit = registration.deposit;
			Self::deposit_event(Event::ReputerPruned { topic_id, reputer, pruner, deposit });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` is a registered reputer of `topic_id`.
		pub fn is_reputer(topic_id: TopicId, who: &T::AccountId) -> bool {
			Reputers::<T>::contains_key(topic_id, who)
		}

		/// Records an accepted submission of a registered reputer (keeps it from being pruned).
		pub fn note_reputer_activity(topic_id: TopicId, who: &T::AccountId) {
			let now = frame_system::Pallet::<T>::block_number();
			Reputers::<T>::mutate_exists(topic_id, who, |r| {
				if let Some(r) = r {
					r.last_active = now;
				}
			});
		}

		/// Drops a reputer's registration and every per-reputer state of the topic.
		fn remove_reputer(topic_id: TopicId, reputer: &T::AccountId) {
			Reputers::<T>::remove(topic_id, reputer);
			ReputerCount::<T>::mutate(topic_id, |c| *c = c.saturating_sub(1));
			<T as pallet_topics::Config>::OnActorLeft::reputer_left(topic_id, reputer);
		}

		/// The account holding delegators' unclaimed rewards (`allorapendingrewards`).
		pub fn pending_rewards_account() -> T::AccountId {
			T::PendingRewardsPalletId::get().into_account_truncating()
		}

		/// A reputer's registration, own and delegated stake and pending removal on a topic.
		pub fn reputer_stake_info(topic_id: TopicId, reputer: &T::AccountId) -> ReputerStakeInfo {
			use sp_runtime::SaturatedConversion;
			ReputerStakeInfo {
				registered: Reputers::<T>::contains_key(topic_id, reputer),
				own: Self::own_stake(topic_id, reputer),
				delegated: StakeFromDelegatorsUponReputer::<T>::get(topic_id, reputer),
				pending_removal: ReputerRemovals::<T>::get(topic_id, reputer)
					.map(|r| (r.amount, r.at.saturated_into())),
			}
		}

		/// A delegator's placement, claimable reward and pending removal on a reputer.
		pub fn delegation_info(
			topic_id: TopicId,
			delegator: &T::AccountId,
			reputer: &T::AccountId,
		) -> DelegationInfo {
			use sp_runtime::SaturatedConversion;
			DelegationInfo {
				amount: DelegatedStakes::<T>::get((topic_id, delegator, reputer)).amount,
				pending_reward: Self::pending_delegator_reward(topic_id, delegator, reputer),
				pending_removal: DelegateRemovals::<T>::get((topic_id, delegator, reputer))
					.map(|r| (r.amount, r.at.saturated_into())),
			}
		}

		/// A reputer's own stake on a topic: S_r minus what is delegated to it.
		pub fn own_stake(topic_id: TopicId, reputer: &T::AccountId) -> u128 {
			StakeReputerAuthority::<T>::get(topic_id, reputer)
				.saturating_sub(StakeFromDelegatorsUponReputer::<T>::get(topic_id, reputer))
		}

		/// Compounds a reputer reward (spec 6.8): `amount`, already on the reputer's account,
		/// is held as its own stake on `topic_id` and added to S_r, the topic and the total.
		/// Fails, changing nothing, when the balance cannot be held or a sum would overflow.
		pub fn compound_reward(
			topic_id: TopicId,
			reputer: &T::AccountId,
			amount: u128,
		) -> DispatchResult {
			frame_support::storage::with_storage_layer(|| {
				Self::hold(reputer, HoldReason::ReputerStake, amount)?;
				Self::increase(topic_id, reputer, amount)
			})
		}

		fn hold(who: &T::AccountId, reason: HoldReason, amount: u128) -> DispatchResult {
			let free = <T as Config>::Currency::reducible_balance(
				who,
				Preservation::Preserve,
				Fortitude::Polite,
			);
			ensure!(free >= amount, Error::<T>::InsufficientBalance);
			<T as Config>::Currency::hold(&reason.into(), who, amount)
		}

		/// Adds `amount` to S_r, the topic and the total (all checked first).
		pub(crate) fn increase(
			topic_id: TopicId,
			reputer: &T::AccountId,
			amount: u128,
		) -> DispatchResult {
			let authority = StakeReputerAuthority::<T>::get(topic_id, reputer)
				.checked_add(amount)
				.ok_or(Error::<T>::Overflow)?;
			let topic =
				TopicStake::<T>::get(topic_id).checked_add(amount).ok_or(Error::<T>::Overflow)?;
			let total = TotalStake::<T>::get().checked_add(amount).ok_or(Error::<T>::Overflow)?;
			StakeReputerAuthority::<T>::insert(topic_id, reputer, authority);
			TopicStake::<T>::insert(topic_id, topic);
			TotalStake::<T>::put(total);
			Ok(())
		}

		/// Removes `amount` from S_r, the topic and the total (saturating; callers check). A
		/// sum that reaches zero is removed from storage rather than kept as a zero entry.
		pub(crate) fn decrease(topic_id: TopicId, reputer: &T::AccountId, amount: u128) {
			StakeReputerAuthority::<T>::mutate_exists(topic_id, reputer, |s| {
				*s = s.map(|v| v.saturating_sub(amount)).filter(|v| *v > 0)
			});
			TopicStake::<T>::mutate_exists(topic_id, |s| {
				*s = s.map(|v| v.saturating_sub(amount)).filter(|v| *v > 0)
			});
			TotalStake::<T>::mutate(|s| *s = s.saturating_sub(amount));
		}

		/// Removes `amount` of delegated stake from the reputer's and the delegator's sums;
		/// once nobody delegates to the reputer its reward accumulator goes too (every
		/// placement's pending reward was paid before it changed).
		pub(crate) fn decrease_delegated(
			topic_id: TopicId,
			delegator: &T::AccountId,
			reputer: &T::AccountId,
			amount: u128,
		) {
			StakeFromDelegatorsUponReputer::<T>::mutate_exists(topic_id, reputer, |s| {
				*s = s.map(|v| v.saturating_sub(amount)).filter(|v| *v > 0)
			});
			if !StakeFromDelegatorsUponReputer::<T>::contains_key(topic_id, reputer) {
				DelegateRewardPerShare::<T>::remove(topic_id, reputer);
			}
			StakeSumFromDelegator::<T>::mutate_exists(topic_id, delegator, |s| {
				*s = s.map(|v| v.saturating_sub(amount)).filter(|v| *v > 0)
			});
		}

		fn increase_delegation(
			topic_id: TopicId,
			delegator: &T::AccountId,
			reputer: &T::AccountId,
			amount: u128,
		) -> DispatchResult {
			Self::increase(topic_id, reputer, amount)?;
			StakeFromDelegatorsUponReputer::<T>::mutate(topic_id, reputer, |s| {
				*s = s.saturating_add(amount)
			});
			StakeSumFromDelegator::<T>::mutate(topic_id, delegator, |s| {
				*s = s.saturating_add(amount)
			});
			let acc = DelegateRewardPerShare::<T>::get(topic_id, reputer);
			DelegatedStakes::<T>::mutate((topic_id, delegator, reputer), |d| {
				d.amount = d.amount.saturating_add(amount);
				d.reward_debt = rewards::debt(d.amount, acc);
			});
			Ok(())
		}

		/// Checks the pallet's invariants: held stake equals own + delegated stake per account,
		/// sums per reputer, topic and in total agree, and every pending removal is queued.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::BTreeMap;
			let mut own_held: BTreeMap<T::AccountId, u128> = BTreeMap::new();
			let mut topic_sums: BTreeMap<TopicId, u128> = BTreeMap::new();
			let mut total = 0u128;
			for (topic_id, reputer, authority) in StakeReputerAuthority::<T>::iter() {
				let delegated = StakeFromDelegatorsUponReputer::<T>::get(topic_id, &reputer);
				ensure!(delegated <= authority, "delegated part exceeds the reputer's authority");
				let own = own_held.entry(reputer).or_default();
				*own = own.saturating_add(authority.saturating_sub(delegated));
				let t = topic_sums.entry(topic_id).or_default();
				*t = t.saturating_add(authority);
				total = total.saturating_add(authority);
			}
			let mut delegated_held: BTreeMap<T::AccountId, u128> = BTreeMap::new();
			let mut upon: BTreeMap<(TopicId, T::AccountId), u128> = BTreeMap::new();
			let mut by_delegator: BTreeMap<(TopicId, T::AccountId), u128> = BTreeMap::new();
			for ((topic_id, delegator, reputer), d) in DelegatedStakes::<T>::iter() {
				let h = delegated_held.entry(delegator.clone()).or_default();
				*h = h.saturating_add(d.amount);
				let u = upon.entry((topic_id, reputer)).or_default();
				*u = u.saturating_add(d.amount);
				let s = by_delegator.entry((topic_id, delegator)).or_default();
				*s = s.saturating_add(d.amount);
			}
			for ((topic_id, reputer), sum) in &upon {
				ensure!(
					StakeFromDelegatorsUponReputer::<T>::get(topic_id, reputer) == *sum,
					"delegated stake upon a reputer drifted"
				);
			}
			for ((topic_id, delegator), sum) in &by_delegator {
				ensure!(
					StakeSumFromDelegator::<T>::get(topic_id, delegator) == *sum,
					"a delegator's stake sum drifted"
				);
			}
			for (topic_id, sum) in &topic_sums {
				ensure!(TopicStake::<T>::get(topic_id) == *sum, "topic stake drifted");
			}
			ensure!(TotalStake::<T>::get() == total, "total stake drifted");
			for (who, own) in &own_held {
				let held =
					<T as Config>::Currency::balance_on_hold(&HoldReason::ReputerStake.into(), who);
				ensure!(held == *own, "held reputer stake differs from own stake");
			}
			for (who, amount) in &delegated_held {
				let held = <T as Config>::Currency::balance_on_hold(
					&HoldReason::DelegatedStake.into(),
					who,
				);
				ensure!(held == *amount, "held delegated stake differs from delegations");
			}
			for (topic_id, reputer, removal) in ReputerRemovals::<T>::iter() {
				let key = RemovalKey::Reputer { topic_id, reputer };
				ensure!(RemovalQueue::<T>::get(removal.at).contains(&key), "removal not queued");
			}
			for ((topic_id, delegator, reputer), removal) in DelegateRemovals::<T>::iter() {
				let key = RemovalKey::Delegate { topic_id, delegator, reputer };
				ensure!(RemovalQueue::<T>::get(removal.at).contains(&key), "removal not queued");
			}
			Ok(())
		}
	}

	impl<T: Config> pallet_topics::TopicStake for Pallet<T> {
		fn topic_stake(topic_id: TopicId) -> u128 {
			TopicStake::<T>::get(topic_id)
		}
	}
}
