//! Benchmarks (v2) of the topics pallet, each at its worst case: the longest strings, and an
//! activation that probes every deferral block and then displaces the lightest topic. The
//! helpers `config`, `funded` and `new_topic` are shared with the other pallets' benchmarks.

use super::*;
use crate::pallet::*;
use alloc::{boxed::Box, vec};
use allora_math::Fixed;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::One, Saturating};

const ALLO: u128 = 1_000_000_000_000_000_000;

/// A valid topic configuration (E 12, G 12, W 8) with strings of the full storage length.
pub fn config<T: Config>() -> TopicConfig<BlockNumberFor<T>> {
	let long: BoundedString = BoundedVec::truncate_from(vec![b'x'; MAX_STRING_LENGTH as usize]);
	let fx = |raw: i128| Fixed::from_raw(raw);
	TopicConfig {
		metadata: long.clone(),
		loss_method: long,
		epoch_length: 12u32.into(),
		ground_truth_lag: 12u32.into(),
		worker_submission_window: 8u32.into(),
		p_norm: fx(3 * Fixed::SCALE),
		alpha_regret: fx(Fixed::SCALE / 10),
		allow_negative: false,
		epsilon: fx(Fixed::SCALE / 100),
		merit_sortition_alpha: fx(Fixed::SCALE / 10),
		active_inferer_quantile: fx(Fixed::SCALE / 5),
		active_forecaster_quantile: fx(Fixed::SCALE / 5),
		active_reputer_quantile: fx(Fixed::SCALE / 5),
		inference_range: crate::ValueRange::WIDEST_INFERENCE,
		loss_range: crate::ValueRange::WIDEST_LOSS,
	}
}

/// An account with a million ALLO.
pub fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let _ = T::Currency::mint_into(&who, 1_000_000 * ALLO);
	who
}

/// The whitelisted caller with a million ALLO: the payer of a fee is the transaction's
/// signer, whose account the transaction extensions already read and write.
fn whitelisted_funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let _ = T::Currency::mint_into(&who, 1_000_000 * ALLO);
	who
}

/// A topic created by `creator`, with the fee revenue of its creation.
pub fn new_topic<T: Config>(creator: &T::AccountId) -> TopicId {
	let id = NextTopicId::<T>::get();
	let created =
		Pallet::<T>::create_topic(RawOrigin::Signed(creator.clone()).into(), config::<T>());
	assert!(created.is_ok());
	id
}

/// Moves the block number `epochs` of the topic's epochs on: what makes a registration or a
/// topic prunable.
pub fn pass_epochs<T: Config>(topic_id: TopicId, epochs: u32) {
	let epoch = Topics::<T>::get(topic_id).map(|t| t.config.epoch_length).unwrap_or_default();
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(
		now.saturating_add(epoch.saturating_mul(epochs.into())),
	);
}

/// Weights from fee revenue alone (μ = 0) and every schedule slot of the per-block bound
/// usable, so that the benchmarks can fill blocks without a staking pallet.
fn revenue_weighted_params<T: Config>() {
	Params::<T>::mutate(|p| {
		p.topic_reward_stake_importance = Fixed::ZERO;
		p.max_active_topics_per_block = T::MaxTopicsPerBlock::get();
	});
}

/// Fills every block of `due ..= due + MaxScheduleDeferral` with zero-weight topics, so the
/// next topic due at `due` probes them all and then displaces one.
fn fill_schedule<T: Config>(creator: &T::AccountId, due: BlockNumberFor<T>) {
	let mut block = due;
	for _ in 0..=T::MaxScheduleDeferral::get() {
		for _ in 0..T::MaxTopicsPerBlock::get() {
			let id = new_topic::<T>(creator);
			PreviousTopicWeight::<T>::insert(id, Fixed::ZERO);
			let placed = Schedule::<T>::mutate(block, |s| s.try_push(id).is_ok());
			assert!(placed);
			NextEpochEnd::<T>::insert(id, block);
		}
		block = block.saturating_add(One::one());
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_topic() {
		let creator = funded::<T>("creator", 0);
		let next = NextTopicId::<T>::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(creator), config::<T>());
		assert!(Topics::<T>::contains_key(next));
	}

	#[benchmark]
	fn fund_topic() {
		revenue_weighted_params::<T>();
		let creator = funded::<T>("creator", 0);
		let id = new_topic::<T>(&creator);
		let now = frame_system::Pallet::<T>::block_number();
		fill_schedule::<T>(&creator, now.saturating_add(12u32.into()));
		#[extrinsic_call]
		_(RawOrigin::Signed(creator), id, ALLO);
		assert!(Pallet::<T>::is_active(id));
	}

	#[benchmark]
	fn pay_fee() {
		revenue_weighted_params::<T>();
		let creator = funded::<T>("creator", 0);
		let id = new_topic::<T>(&creator);
		let now = frame_system::Pallet::<T>::block_number();
		fill_schedule::<T>(&creator, now.saturating_add(12u32.into()));
		let payer = whitelisted_funded::<T>();
		#[block]
		{
			assert!(Pallet::<T>::pay_fee(&payer, id, ALLO).is_ok());
		}
		assert!(Pallet::<T>::is_active(id));
	}

	/// A fee for a topic that is already active: paid and added to the revenue, no
	/// activation probe (the weight returned after dispatch on that path).
	#[benchmark]
	fn pay_fee_active() {
		revenue_weighted_params::<T>();
		let creator = funded::<T>("creator", 0);
		let id = new_topic::<T>(&creator);
		assert!(Pallet::<T>::pay_fee(&creator, id, ALLO).is_ok());
		assert!(Pallet::<T>::is_active(id));
		let before = FeeRevenue::<T>::get(id);
		let payer = whitelisted_funded::<T>();
		#[block]
		{
			assert!(Pallet::<T>::pay_fee(&payer, id, ALLO).is_ok());
		}
		assert_eq!(FeeRevenue::<T>::get(id), before + ALLO);
	}

	#[benchmark]
	fn update_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let update = ParamsUpdate {
			version: Some(BoundedVec::truncate_from(vec![b'v'; 32])),
			min_topic_weight: Some(Fixed::ONE),
			data_sending_fee: Some(1),
			..Default::default()
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Box::new(update));
		assert_eq!(Params::<T>::get().data_sending_fee, 1);
		Ok(())
	}

	#[benchmark]
	fn update_topic() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let creator = funded::<T>("creator", 0);
		let id = new_topic::<T>(&creator);
		let full = config::<T>();
		let update = TopicUpdate {
			metadata: Some(full.metadata),
			loss_method: Some(full.loss_method),
			epoch_length: Some(24u32.into()),
			ground_truth_lag: Some(24u32.into()),
			..Default::default()
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, update);
		assert_eq!(Topics::<T>::get(id).map(|t| t.config.epoch_length), Some(24u32.into()));
		Ok(())
	}

	/// An abandoned topic whose other pallets' state is as large as it can be while the
	/// topic is removable (the runtime's `TopicRemoval::fill_worst_case`).
	#[benchmark]
	fn remove_topic() {
		let creator = funded::<T>("creator", 0);
		let id = new_topic::<T>(&creator);
		T::TopicRemoval::fill_worst_case(id);
		pass_epochs::<T>(id, T::TopicInactivityEpochs::get());
		let remover = funded::<T>("remover", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(remover), id);
		assert!(!Topics::<T>::contains_key(id));
	}

	/// `n` topics end their epoch in one block; each is rescheduled into full blocks and
	/// displaces a zero-weight topic.
	#[benchmark]
	fn on_finalize_epoch_ends(n: Linear<1, { T::MaxTopicsPerBlock::get() }>) {
		revenue_weighted_params::<T>();
		let creator = funded::<T>("creator", 0);
		let now: BlockNumberFor<T> = 100u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		let mut due = vec![];
		for _ in 0..n {
			let id = new_topic::<T>(&creator);
			assert!(Pallet::<T>::pay_fee(&creator, id, ALLO).is_ok());
			due.push(id);
		}
		// Move them to `now` and fill the blocks of their next epoch end.
		for id in &due {
			if let Some(block) = NextEpochEnd::<T>::get(id) {
				Schedule::<T>::mutate(block, |s| s.retain(|t| t != id));
			}
			NextEpochEnd::<T>::insert(id, now);
		}
		Schedule::<T>::insert(now, BoundedVec::truncate_from(due.clone()));
		fill_schedule::<T>(&creator, now.saturating_add(12u32.into()));
		#[block]
		{
			Pallet::<T>::on_finalize(now);
		}
		for id in &due {
			assert_eq!(Topics::<T>::get(id).map(|t| t.epoch_last_ended), Some(now));
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
