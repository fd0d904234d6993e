//! Benchmarks (v2) of the stake pallet at their worst cases: removal requests that replace an
//! earlier one and probe every deferral block, delegations that pay out a pending reward, and
//! `n` due removals of both kinds executed in one block after `p` empty blocks.

use super::*;
use crate::pallet::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::One, Saturating};

const ALLO: u128 = 1_000_000_000_000_000_000;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let _ = <T as Config>::Currency::mint_into(&who, 1_000_000 * ALLO);
	who
}

fn topic<T: Config>() -> TopicId {
	let creator = pallet_topics::benchmarking::funded::<T>("creator", 0);
	pallet_topics::benchmarking::new_topic::<T>(&creator)
}

/// A registered reputer with `ALLO` of own stake.
fn reputer<T: Config>(topic_id: TopicId, index: u32) -> T::AccountId {
	let who = funded::<T>("reputer", index);
	assert!(Pallet::<T>::register_reputer(RawOrigin::Signed(who.clone()).into(), topic_id).is_ok());
	assert!(Pallet::<T>::add_stake(RawOrigin::Signed(who.clone()).into(), topic_id, ALLO).is_ok());
	who
}

/// Fills every queue block a request made now can reach, except one slot in the last.
fn fill_queue<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	let delay = pallet_topics::Pallet::<T>::params().remove_stake_delay_window;
	let mut block = now.saturating_add(delay.into()).max(now.saturating_add(One::one()));
	let blocks = <T as pallet_topics::Config>::MaxScheduleDeferral::get();
	for i in 0..=blocks {
		let mut keys = vec![];
		let room = if i == blocks { 1 } else { 0 };
		for j in 0..T::MaxRemovalsPerBlock::get().saturating_sub(room) {
			let reputer: T::AccountId =
				account("filler", i.saturating_mul(1000).saturating_add(j), 0);
			keys.push(RemovalKey::Reputer { topic_id: u64::MAX, reputer });
		}
		RemovalQueue::<T>::insert(block, BoundedVec::truncate_from(keys));
		block = block.saturating_add(One::one());
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_reputer() {
		let id = topic::<T>();
		let who = funded::<T>("reputer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(Reputers::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn unregister_reputer() {
		let id = topic::<T>();
		let who = reputer::<T>(id, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(!Reputers::<T>::contains_key(id, &who));
	}

	/// An inactive reputer with stake, pruned by another account.
	#[benchmark]
	fn prune_reputer() {
		let id = topic::<T>();
		let who = reputer::<T>(id, 0);
		let epochs = <T as pallet_topics::Config>::RegistrationInactivityEpochs::get();
		pallet_topics::benchmarking::pass_epochs::<T>(id, epochs);
		let pruner = funded::<T>("pruner", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(pruner), id, who.clone());
		assert!(!Reputers::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn add_stake() {
		let id = topic::<T>();
		let who = reputer::<T>(id, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, ALLO);
		assert_eq!(StakeReputerAuthority::<T>::get(id, &who), 2 * ALLO);
	}

	/// Replaces an earlier request and probes every deferral block.
	#[benchmark]
	fn remove_stake() {
		let id = topic::<T>();
		let who = reputer::<T>(id, 0);
		assert!(Pallet::<T>::remove_stake(RawOrigin::Signed(who.clone()).into(), id, 1).is_ok());
		fill_queue::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, ALLO);
		assert_eq!(ReputerRemovals::<T>::get(id, &who).map(|r| r.amount), Some(ALLO));
	}

	#[benchmark]
	fn cancel_removal() {
		let id = topic::<T>();
		let who = reputer::<T>(id, 0);
		assert!(Pallet::<T>::remove_stake(RawOrigin::Signed(who.clone()).into(), id, ALLO).is_ok());
		#[extrinsic_call]
		cancel_remove_stake(RawOrigin::Signed(who.clone()), id);
		assert!(!ReputerRemovals::<T>::contains_key(id, &who));
	}

	/// Adds to an existing placement with a pending reward to pay out first.
	#[benchmark]
	fn delegate_stake() {
		let id = topic::<T>();
		let rep = reputer::<T>(id, 0);
		let delegator = funded::<T>("delegator", 0);
		let origin = RawOrigin::Signed(delegator.clone());
		assert!(Pallet::<T>::delegate_stake(origin.clone().into(), id, rep.clone(), ALLO).is_ok());
		let _ = <T as Config>::Currency::mint_into(&Pallet::<T>::pending_rewards_account(), ALLO);
		assert!(Pallet::<T>::add_delegator_rewards(id, &rep, ALLO).is_ok());
		#[extrinsic_call]
		_(origin, id, rep.clone(), ALLO);
		assert_eq!(DelegatedStakes::<T>::get((id, &delegator, &rep)).amount, 2 * ALLO);
	}

	#[benchmark]
	fn claim_delegator_reward() {
		let id = topic::<T>();
		let rep = reputer::<T>(id, 0);
		let delegator = funded::<T>("delegator", 0);
		let origin = RawOrigin::Signed(delegator.clone());
		assert!(Pallet::<T>::delegate_stake(origin.clone().into(), id, rep.clone(), ALLO).is_ok());
		let _ = <T as Config>::Currency::mint_into(&Pallet::<T>::pending_rewards_account(), ALLO);
		assert!(Pallet::<T>::add_delegator_rewards(id, &rep, ALLO).is_ok());
		#[extrinsic_call]
		_(origin, id, rep.clone());
		assert_eq!(Pallet::<T>::pending_delegator_reward(id, &delegator, &rep), 0);
	}

	/// `n` due delegate removals (each paying a pending reward) after `p` empty blocks.
	#[benchmark]
	fn process_removals(n: Linear<0, { T::MaxRemovalsPerBlock::get() }>, p: Linear<0, 32>) {
		pallet_topics::Params::<T>::mutate(|params| {
			params.half_max_process_stake_removals_end_block = T::MaxRemovalsPerBlock::get();
		});
		let id = topic::<T>();
		let rep = reputer::<T>(id, 0);
		let _ = <T as Config>::Currency::mint_into(&Pallet::<T>::pending_rewards_account(), ALLO);
		for i in 0..n {
			let d = funded::<T>("delegator", i);
			let origin = RawOrigin::Signed(d.clone());
			assert!(
				Pallet::<T>::delegate_stake(origin.clone().into(), id, rep.clone(), ALLO).is_ok()
			);
		}
		if n > 0 {
			assert!(Pallet::<T>::add_delegator_rewards(id, &rep, ALLO).is_ok());
		}
		let now = frame_system::Pallet::<T>::block_number();
		for i in 0..n {
			let d = funded::<T>("delegator", i);
			let origin = RawOrigin::Signed(d);
			assert!(
				Pallet::<T>::remove_delegate_stake(origin.into(), id, rep.clone(), ALLO).is_ok()
			);
		}
		let delay = pallet_topics::Pallet::<T>::params().remove_stake_delay_window;
		let due: BlockNumberFor<T> =
			now.saturating_add(delay.into()).max(now.saturating_add(One::one()));
		RemovalCursor::<T>::put(due.saturating_sub(p.into()));
		#[block]
		{
			Pallet::<T>::process_removals(due);
		}
		assert_eq!(StakeFromDelegatorsUponReputer::<T>::get(id, &rep), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
