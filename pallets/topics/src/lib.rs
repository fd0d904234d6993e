//! # Topics pallet
//!
//! A *topic* is a prediction target ("ETH price in 1 h") with its own epoch length, submission
//! window, ground-truth lag and synthesis settings (spec 1.1). This pallet keeps:
//!
//! - the topics and the network parameters of spec 9.1 ([`NetworkParams`], set at genesis and
//!   by the governance origin, every update validated);
//! - each topic's **fee revenue**: creation, registration and data fees and the consumers'
//!   pay-what-you-want funding all go to the ecosystem account and count as revenue, which
//!   decays ("drips") at every epoch end (spec 1.6, 7.4);
//! - each topic's **weight** S^μ·(C/E)^ν, EMA-smoothed (spec 7.1), and the **schedule** of
//!   epoch ends: an active topic is listed at the block of its next epoch end; each block holds
//!   at most `max_active_topics_per_block` topics (spec 3.4).
//!
//! At an epoch end (`on_finalize`, spec 3.2 step 2-3) the topic's weight is updated and its
//! revenue dripped; a topic below `MinTopicWeight` is inactivated (churn), the others are
//! rescheduled one epoch later and handed to [`Config::EpochHooks`], which opens the worker
//! nonce. An inactive topic is reactivated by the next fee or funding that lifts its weight to
//! the threshold. Decisions where the spec is silent are in this crate's README.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
pub mod migrations;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod mock;
mod schedule;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
pub mod traits;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use traits::{EpochHooks, OnActorLeft, TopicRemoval, TopicStake};
pub use types::*;
pub use weights::WeightInfo;

// The FRAME macros expand storage and genesis code with `expect`; the lint stays denied in
// every other module of this crate, where the logic lives.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use allora_math::Fixed;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation, Restriction},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::AccountIdConversion, Saturating};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's or reputer's registration deposit on a topic.
		RegistrationDeposit,
		/// A topic creator's deposit, returned with the topic's removal.
		TopicDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The ALLO currency (base units, decision 3), with holds for deposits.
		type Currency: Mutate<Self::AccountId, Balance = u128>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = u128>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Held (not paid) by every worker and reputer registration, returned on
		/// unregistering and paid to whoever prunes the registration once it is inactive.
		#[pallet::constant]
		type RegistrationDeposit: Get<u128>;
		/// Epochs of its topic without an accepted submission after which a registration can
		/// be pruned by anyone.
		#[pallet::constant]
		type RegistrationInactivityEpochs: Get<u32>;
		/// Removes other pallets' per-actor state when a worker or reputer leaves a topic.
		type OnActorLeft: OnActorLeft<Self::AccountId>;
		/// Held from a topic's creator until the topic is removed, then paid to whoever
		/// removes it.
		#[pallet::constant]
		type TopicDeposit: Get<u128>;
		/// Epochs a topic must have been inactive (no epoch end, and since its creation) before
		/// anyone can remove it.
		#[pallet::constant]
		type TopicInactivityEpochs: Get<u32>;
		/// The other pallets' state on a topic: checked and removed with it.
		type TopicRemoval: TopicRemoval;
		/// Who may change the network parameters and topics (Root until referenda).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Derives the ecosystem account, which receives every fee and funding.
		#[pallet::constant]
		type EcosystemPalletId: Get<PalletId>;
		/// The stake of each topic (S_t of the topic weight).
		type TopicStake: TopicStake;
		/// Opens worker nonces at epoch ends.
		type EpochHooks: EpochHooks<Self::AccountId, BlockNumberFor<Self>>;
		/// Storage bound: topics per block in the schedule.
		#[pallet::constant]
		type MaxTopicsPerBlock: Get<u32>;
		/// Blocks after its due block a topic's epoch end may move to when blocks are full.
		#[pallet::constant]
		type MaxScheduleDeferral: Get<u32>;
		/// Storage bound: inferers in one nonce's active set.
		#[pallet::constant]
		type MaxActiveInferers: Get<u32>;
		/// Storage bound: forecasters in one nonce's active set.
		#[pallet::constant]
		type MaxActiveForecasters: Get<u32>;
		/// Storage bound: reputers in one nonce's active set.
		#[pallet::constant]
		type MaxActiveReputers: Get<u32>;
		/// Storage bound: elements of one forecast.
		#[pallet::constant]
		type MaxForecastElements: Get<u32>;
		/// Storage bound: unfulfilled worker or reputer nonces per topic.
		#[pallet::constant]
		type MaxUnfulfilledNonces: Get<u32>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
	}

	#[pallet::type_value]
	pub fn FirstTopicId() -> TopicId {
		1
	}

	/// The id the next topic gets (genesis reserves 0).
	#[pallet::storage]
	pub type NextTopicId<T> = StorageValue<_, TopicId, ValueQuery, FirstTopicId>;

	/// Every topic by id.
	#[pallet::storage]
	pub type Topics<T: Config> =
		StorageMap<_, Blake2_128Concat, TopicId, Topic<T::AccountId, BlockNumberFor<T>>>;

	/// A topic's deposit (held from its creator) and its creation block.
	#[pallet::storage]
	pub type TopicDeposits<T: Config> =
		StorageMap<_, Blake2_128Concat, TopicId, Registration<BlockNumberFor<T>>>;

	/// The network parameters (spec 9.1).
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, NetworkParams, ValueQuery>;

	/// C_t: a topic's fee revenue in base units; a decaying score, not a balance (spec 1.6).
	#[pallet::storage]
	pub type FeeRevenue<T> = StorageMap<_, Blake2_128Concat, TopicId, u128, ValueQuery>;

	/// w_t: a topic's last (EMA) weight, kept while it is inactive (spec 7.1).
	#[pallet::storage]
	pub type PreviousTopicWeight<T> = StorageMap<_, Blake2_128Concat, TopicId, Fixed>;

	/// Σ of the previous weights of the active topics (spec 7.1).
	#[pallet::storage]
	pub type TotalSumPreviousTopicWeights<T> = StorageValue<_, Fixed, ValueQuery>;

	/// The block of an active topic's next epoch end; absent for inactive topics.
	#[pallet::storage]
	pub type NextEpochEnd<T: Config> = StorageMap<_, Blake2_128Concat, TopicId, BlockNumberFor<T>>;

	/// The topics whose epoch ends at a block (spec 3.4), in scheduling order.
	#[pallet::storage]
	pub type Schedule<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TopicId, T::MaxTopicsPerBlock>,
		ValueQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The network parameters at genesis.
		pub params: NetworkParams,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(param) = self.params.validate(&Pallet::<T>::storage_bounds()) {
				// Genesis is built by the chain-spec builder, where a panic is the only
				// way to report a broken configuration.
				#[allow(clippy::panic)]
				{
					panic!("invalid genesis network parameter: {param:?}");
				}
			}
			Params::<T>::put(self.params.clone());
			// The ecosystem account receives fees below the existential deposit: it must
			// exist from genesis on.
			let eco = Pallet::<T>::ecosystem_account();
			let ed = T::Currency::minimum_balance();
			if T::Currency::balance(&eco) < ed {
				let _ = T::Currency::mint_into(&eco, ed);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A topic was created; its creator paid `fee`.
		TopicCreated { topic_id: TopicId, creator: T::AccountId, fee: u128 },
		/// Governance changed a topic's configuration.
		TopicUpdated { topic_id: TopicId },
		/// An abandoned topic and all its state were removed; `remover` received its deposit.
		TopicRemoved { topic_id: TopicId, remover: T::AccountId, deposit: u128 },
		/// Governance changed the network parameters.
		ParamsUpdated,
		/// A fee or funding was paid to the ecosystem account and added to the topic's revenue.
		RevenueReceived { topic_id: TopicId, payer: T::AccountId, amount: u128, revenue: u128 },
		/// The topic became active; its next epoch ends at `epoch_end`.
		TopicActivated { topic_id: TopicId, weight: Fixed, epoch_end: BlockNumberFor<T> },
		/// The topic became inactive (weight below `MinTopicWeight`, or displaced from a full
		/// block by a heavier topic).
		TopicInactivated { topic_id: TopicId, weight: Fixed },
		/// An epoch of the topic ended: new weight, revenue after the drip, next epoch end.
		EpochEnded {
			topic_id: TopicId,
			weight: Fixed,
			revenue: u128,
			next_epoch_end: BlockNumberFor<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No topic has this id.
		TopicNotFound,
		/// A topic field is out of range (the field is named).
		InvalidTopicField { field: TopicField },
		/// A network parameter is out of range (the parameter is named).
		InvalidParameter { param: Param },
		/// The sender's transferable balance cannot pay the fee.
		CannotPayFee,
		/// The sender's transferable balance cannot pay the funding amount.
		InsufficientBalance,
		/// Funding must be a positive amount.
		ZeroAmount,
		/// Topic ids are exhausted.
		TopicIdOverflow,
		/// The sender's free balance cannot cover the registration or topic deposit.
		CannotHoldDeposit,
		/// The topic is active, or was active or created within `TopicInactivityEpochs`
		/// epochs: it cannot be removed yet.
		TopicStillActive,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Reserves the weight of this block's epoch ends, processed in `on_finalize`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Schedule::<T>::decode_len(now).unwrap_or(0);
			let due = u32::try_from(due).unwrap_or(u32::MAX);
			T::WeightInfo::on_finalize_epoch_ends(due)
				.saturating_add(T::EpochHooks::on_epoch_end_weight().saturating_mul(u64::from(due)))
		}

		/// Spec 3.2 steps 2-3: weights, drip, churn, rescheduling and nonces of the topics
		/// whose epoch ends now.
		fn on_finalize(now: BlockNumberFor<T>) {
			Self::process_epoch_ends(now);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates a topic with `config` (validated per spec 9.2, W < E); the signed sender pays
		/// `CreateTopicFee` to the ecosystem account, which becomes the topic's first revenue,
		/// and holds `TopicDeposit` until the topic is removed. The topic is not activated yet
		/// (spec 2). Emits `TopicCreated` and `RevenueReceived`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_topic())]
		pub fn create_topic(
			origin: OriginFor<T>,
			config: TopicConfig<BlockNumberFor<T>>,
		) -> DispatchResult {
			let creator = ensure_signed(origin)?;
			let params = Params::<T>::get();
			config.validate(&params).map_err(|field| Error::<T>::InvalidTopicField { field })?;
			let fee = params.create_topic_fee;
			Self::ensure_can_pay(&creator, fee, Error::<T>::CannotPayFee)?;
			let topic_id = NextTopicId::<T>::get();
			let next = topic_id.checked_add(1).ok_or(Error::<T>::TopicIdOverflow)?;
			Self::transfer_to_ecosystem(&creator, fee)?;
			let deposit = T::TopicDeposit::get();
			if deposit > 0 {
				T::Currency::hold(&HoldReason::TopicDeposit.into(), &creator, deposit)
					.map_err(|_| Error::<T>::CannotHoldDeposit)?;
			}
			let now = frame_system::Pallet::<T>::block_number();
			TopicDeposits::<T>::insert(topic_id, Registration { deposit, last_active: now });
			NextTopicId::<T>::put(next);
			Topics::<T>::insert(
				topic_id,
				Topic {
					creator: creator.clone(),
					config,
					epoch_last_ended: Zero::zero(),
					initial_regret: Fixed::ZERO,
				},
			);
			Self::deposit_event(Event::TopicCreated { topic_id, creator: creator.clone(), fee });
			Self::add_revenue(topic_id, &creator, fee);
			Ok(())
		}

		/// Pay what you want: the signed sender pays `amount` (> 0) to the ecosystem account as
		/// revenue of `topic_id`, which may activate the topic. Emits `RevenueReceived`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::fund_topic())]
		pub fn fund_topic(origin: OriginFor<T>, topic_id: TopicId, amount: u128) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(Topics::<T>::contains_key(topic_id), Error::<T>::TopicNotFound);
			Self::ensure_can_pay(&payer, amount, Error::<T>::InsufficientBalance)?;
			Self::receive_revenue(&payer, topic_id, amount)
		}

		/// Governance: sets the `Some` fields of `update`; the merged parameters must pass
		/// every range of spec 9.1 and fit the storage bounds. Emits `ParamsUpdated`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::update_params())]
		pub fn update_params(origin: OriginFor<T>, update: Box<ParamsUpdate>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let mut params = Params::<T>::get();
			params.apply(*update);
			params
				.validate(&Self::storage_bounds())
				.map_err(|param| Error::<T>::InvalidParameter { param })?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}

		/// Governance: sets the `Some` fields of a topic's configuration; the merged
		/// configuration must pass spec 9.2. A new epoch length applies from the next epoch
		/// end. Emits `TopicUpdated`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_topic())]
		pub fn update_topic(
			origin: OriginFor<T>,
			topic_id: TopicId,
			update: TopicUpdate<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let mut topic = Topics::<T>::get(topic_id).ok_or(Error::<T>::TopicNotFound)?;
			topic.config.apply(update);
			topic
				.config
				.validate(&Params::<T>::get())
				.map_err(|field| Error::<T>::InvalidTopicField { field })?;
			Topics::<T>::insert(topic_id, topic);
			Self::deposit_event(Event::TopicUpdated { topic_id });
			Ok(())
		}

		/// Removes an abandoned topic: inactive, with no epoch end and not created within
		/// `TopicInactivityEpochs` of its epochs, without registrations, stake, open windows
		/// or queued settlements (each pallet names what is left). All its state goes; the
		/// sender (anyone, the creator too) receives the topic deposit. Emits `TopicRemoved`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::remove_topic())]
		pub fn remove_topic(origin: OriginFor<T>, topic_id: TopicId) -> DispatchResult {
			let remover = ensure_signed(origin)?;
			let topic = Topics::<T>::get(topic_id).ok_or(Error::<T>::TopicNotFound)?;
			ensure!(!NextEpochEnd::<T>::contains_key(topic_id), Error::<T>::TopicStillActive);
			let registration = TopicDeposits::<T>::get(topic_id)
				.unwrap_or(Registration { deposit: 0, last_active: Zero::zero() });
			let last_active = registration.last_active.max(topic.epoch_last_ended);
			let span =
				topic.config.epoch_length.saturating_mul(T::TopicInactivityEpochs::get().into());
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= last_active.saturating_add(span), Error::<T>::TopicStillActive);
			T::TopicRemoval::ensure_removable(topic_id)?;
			T::Currency::transfer_on_hold(
				&HoldReason::TopicDeposit.into(),
				&topic.creator,
				&remover,
				registration.deposit,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			T::TopicRemoval::remove(topic_id);
			Topics::<T>::remove(topic_id);
			TopicDeposits::<T>::remove(topic_id);
			FeeRevenue::<T>::remove(topic_id);
			PreviousTopicWeight::<T>::remove(topic_id);
			let deposit = registration.deposit;
			Self::deposit_event(Event::TopicRemoved { topic_id, remover, deposit });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The ecosystem account: receives every fee and funding (spec 1.8).
		pub fn ecosystem_account() -> T::AccountId {
			T::EcosystemPalletId::get().into_account_truncating()
		}

		/// The storage bounds the parameters must respect.
		pub fn storage_bounds() -> StorageBounds {
			StorageBounds {
				topics_per_block: T::MaxTopicsPerBlock::get(),
				inferers: T::MaxActiveInferers::get(),
				forecasters: T::MaxActiveForecasters::get(),
				reputers: T::MaxActiveReputers::get(),
				forecast_elements: T::MaxForecastElements::get(),
				unfulfilled_nonces: T::MaxUnfulfilledNonces::get(),
			}
		}

		/// The current network parameters.
		pub fn params() -> NetworkParams {
			Params::<T>::get()
		}

		/// The active topics (those with a scheduled epoch end), ascending.
		pub fn active_topics() -> alloc::vec::Vec<TopicId> {
			let mut ids: alloc::vec::Vec<TopicId> = NextEpochEnd::<T>::iter_keys().collect();
			ids.sort_unstable();
			ids
		}

		/// Whether the topic is active (scheduled for an epoch end).
		pub fn is_active(topic_id: TopicId) -> bool {
			NextEpochEnd::<T>::contains_key(topic_id)
		}

		/// Charges `amount` of a fee for `topic_id` to `payer` (spec 1.6): paid to the
		/// ecosystem account, added to the topic's revenue, then an activation attempt. Fails
		/// with `CannotPayFee` and changes nothing when the payer cannot pay it. The caller
		/// has checked that the topic exists and reserved `WeightInfo::pay_fee`; returns the
		/// weight actually used (`pay_fee_active` when the topic was already active: no probe).
		pub fn pay_fee(
			payer: &T::AccountId,
			topic_id: TopicId,
			amount: u128,
		) -> Result<Weight, DispatchError> {
			let was_active = Self::is_active(topic_id);
			Self::ensure_can_pay(payer, amount, Error::<T>::CannotPayFee)?;
			Self::receive_revenue(payer, topic_id, amount)?;
			Ok(if was_active { T::WeightInfo::pay_fee_active() } else { T::WeightInfo::pay_fee() })
		}

		/// The weight a fee path of `fee_weight` adds to a call whose benchmark paid its fee on
		/// an already active topic (`pay_fee_active` is in it): the activation probe, if any.
		pub fn fee_weight_beyond_active(fee_weight: Weight) -> Weight {
			fee_weight.saturating_sub(T::WeightInfo::pay_fee_active())
		}

		/// The most a fee path adds to such a call: `pay_fee` (the probe's worst case) less the
		/// active path already benchmarked.
		pub fn fee_weight_beyond_active_max() -> Weight {
			Self::fee_weight_beyond_active(T::WeightInfo::pay_fee())
		}

		/// Holds `who`'s registration deposit; returns the registration to store, active now.
		pub fn new_registration(
			who: &T::AccountId,
		) -> Result<Registration<BlockNumberFor<T>>, DispatchError> {
			let deposit = T::RegistrationDeposit::get();
			if deposit > 0 {
				T::Currency::hold(&HoldReason::RegistrationDeposit.into(), who, deposit)
					.map_err(|_| Error::<T>::CannotHoldDeposit)?;
			}
			Ok(Registration { deposit, last_active: frame_system::Pallet::<T>::block_number() })
		}

		/// Returns a registration's deposit to its owner (unregistering).
		pub fn release_registration(
			who: &T::AccountId,
			registration: &Registration<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::Currency::release(
				&HoldReason::RegistrationDeposit.into(),
				who,
				registration.deposit,
				Precision::Exact,
			)?;
			Ok(())
		}

		/// Pays a pruned registration's deposit to `pruner`, free to spend.
		pub fn seize_registration(
			who: &T::AccountId,
			registration: &Registration<BlockNumberFor<T>>,
			pruner: &T::AccountId,
		) -> DispatchResult {
			T::Currency::transfer_on_hold(
				&HoldReason::RegistrationDeposit.into(),
				who,
				pruner,
				registration.deposit,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			Ok(())
		}

		/// Whether a registration on `topic_id` has been inactive for
		/// `RegistrationInactivityEpochs` of the topic's epochs (always false for an unknown
		/// topic).
		pub fn registration_expired(
			topic_id: TopicId,
			registration: &Registration<BlockNumberFor<T>>,
		) -> bool {
			let Some(topic) = Topics::<T>::get(topic_id) else { return false };
			let span = topic
				.config
				.epoch_length
				.saturating_mul(T::RegistrationInactivityEpochs::get().into());
			frame_system::Pallet::<T>::block_number()
				>= registration.last_active.saturating_add(span)
		}

		/// Sets the topic initial regret (spec 5.5), computed by the reputer side.
		pub fn set_initial_regret(topic_id: TopicId, value: Fixed) {
			Topics::<T>::mutate(topic_id, |topic| {
				if let Some(topic) = topic {
					topic.initial_regret = value;
				}
			});
		}

		fn ensure_can_pay(payer: &T::AccountId, amount: u128, err: Error<T>) -> DispatchResult {
			let spendable =
				T::Currency::reducible_balance(payer, Preservation::Preserve, Fortitude::Polite);
			ensure!(spendable >= amount, err);
			Ok(())
		}

		fn transfer_to_ecosystem(payer: &T::AccountId, amount: u128) -> DispatchResult {
			if amount > 0 {
				T::Currency::transfer(
					payer,
					&Self::ecosystem_account(),
					amount,
					Preservation::Preserve,
				)?;
			}
			Ok(())
		}

		fn receive_revenue(
			payer: &T::AccountId,
			topic_id: TopicId,
			amount: u128,
		) -> DispatchResult {
			Self::transfer_to_ecosystem(payer, amount)?;
			Self::add_revenue(topic_id, payer, amount);
			Self::try_activate(topic_id, frame_system::Pallet::<T>::block_number());
			Ok(())
		}

		fn add_revenue(topic_id: TopicId, payer: &T::AccountId, amount: u128) {
			let revenue = FeeRevenue::<T>::mutate(topic_id, |r| {
				*r = r.saturating_add(amount);
				*r
			});
			Self::deposit_event(Event::RevenueReceived {
				topic_id,
				payer: payer.clone(),
				amount,
				revenue,
			});
		}

		/// Checks the pallet's invariants: the schedule and `NextEpochEnd` agree, no block
		/// holds more than the bound, every scheduled topic exists.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (block, topics) in Schedule::<T>::iter() {
				for topic_id in topics {
					ensure!(Topics::<T>::contains_key(topic_id), "scheduled topic does not exist");
					ensure!(
						NextEpochEnd::<T>::get(topic_id) == Some(block),
						"schedule and NextEpochEnd disagree"
					);
				}
			}
			for (topic_id, block) in NextEpochEnd::<T>::iter() {
				ensure!(
					Schedule::<T>::get(block).contains(&topic_id),
					"active topic missing from the schedule"
				);
			}
			Ok(())
		}
	}
}
