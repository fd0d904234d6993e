//! Unit and property tests of the stake pallet against the mock runtime.

use crate::{
	mock::*,
	pallet::{
		DelegatedStakes, Error, Event, HoldReason, RemovalQueue, ReputerCount, Reputers,
		StakeFromDelegatorsUponReputer, StakeReputerAuthority, TopicStake, TotalStake,
	},
	RemovalKey,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold, Mutate},
};

const T1: u64 = 1;

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Stake(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn held(who: u64, reason: HoldReason) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Stake(reason), &who)
}

fn register(who: u64) {
	assert_ok!(Stake::register_reputer(RuntimeOrigin::signed(who), T1));
}

#[test]
fn registration_pays_the_fee_and_is_bounded() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::register_reputer(RuntimeOrigin::signed(2), 9),
			Error::<Test>::TopicNotFound
		);
		let revenue = pallet_topics::FeeRevenue::<Test>::get(T1);
		register(2);
		assert!(Reputers::<Test>::contains_key(T1, 2));
		assert_eq!(
			pallet_topics::FeeRevenue::<Test>::get(T1),
			revenue + Topics::params().registration_fee
		);
		assert_noop!(
			Stake::register_reputer(RuntimeOrigin::signed(2), T1),
			Error::<Test>::AlreadyRegistered
		);
		for who in 3..=9 {
			register(who);
		}
		assert_eq!(ReputerCount::<Test>::get(T1), 8);
		assert_noop!(
			Stake::register_reputer(RuntimeOrigin::signed(10), T1),
			Error::<Test>::TooManyReputers
		);
		assert_ok!(Stake::unregister_reputer(RuntimeOrigin::signed(9), T1));
		assert_noop!(
			Stake::unregister_reputer(RuntimeOrigin::signed(9), T1),
			Error::<Test>::NotRegisteredReputer
		);
		assert_eq!(ReputerCount::<Test>::get(T1), 7);
	});
}

fn deposit_held(who: u64) -> u128 {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Topics(pallet_topics::HoldReason::RegistrationDeposit),
		&who,
	)
}

#[test]
fn registration_holds_a_deposit_that_unregistering_returns() {
	new_test_ext().execute_with(|| {
		let free = Balances::balance(&2);
		register(2);
		let fee = Topics::params().registration_fee;
		assert_eq!(deposit_held(2), REGISTRATION_DEPOSIT);
		assert_eq!(Balances::balance(&2), free - fee - REGISTRATION_DEPOSIT);
		assert_ok!(Stake::unregister_reputer(RuntimeOrigin::signed(2), T1));
		assert_eq!(deposit_held(2), 0);
		assert_eq!(Balances::balance(&2), free - fee);
	});
}

/// Issue 12, finding 6: idle reputers held their slots for good. An idle registration is
/// pruned by anyone for its deposit once `RegistrationInactivityEpochs` (10 in the mock) of
/// the topic's epochs (12 blocks) passed without a bundle; its stake stays and can be removed.
#[test]
fn an_idle_reputer_is_pruned_for_its_deposit_and_keeps_its_stake() {
	new_test_ext().execute_with(|| {
		register(2);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(2), T1, 5 * ALLO));
		run_to_block(1 + 120 - 1);
		assert_noop!(
			Stake::prune_reputer(RuntimeOrigin::signed(3), T1, 2),
			Error::<Test>::ReputerStillActive
		);
		// Activity (a loss bundle, through the reputation pallet) renews the registration.
		Stake::note_reputer_activity(T1, &2);
		run_to_block(1 + 120);
		assert_noop!(
			Stake::prune_reputer(RuntimeOrigin::signed(3), T1, 2),
			Error::<Test>::ReputerStillActive
		);
		run_to_block(120 + 120);
		let before = Balances::balance(&3);
		assert_ok!(Stake::prune_reputer(RuntimeOrigin::signed(3), T1, 2));
		assert_eq!(Balances::balance(&3), before + REGISTRATION_DEPOSIT);
		assert_eq!(deposit_held(2), 0);
		assert!(!Reputers::<Test>::contains_key(T1, 2));
		assert_eq!(ReputerCount::<Test>::get(T1), 0);
		assert_eq!(held(2, HoldReason::ReputerStake), 5 * ALLO);
		assert_eq!(StakeReputerAuthority::<Test>::get(T1, 2), 5 * ALLO);
		assert!(events().contains(&Event::ReputerPruned {
			topic_id: T1,
			reputer: 2,
			pruner: 3,
			deposit: REGISTRATION_DEPOSIT
		}));
		assert_noop!(
			Stake::prune_reputer(RuntimeOrigin::signed(3), T1, 2),
			Error::<Test>::NotRegisteredReputer
		);
		// The stake leaves as usual.
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), T1, 5 * ALLO));
		Stake::do_try_state().unwrap();
	});
}

#[test]
fn stake_is_held_counted_and_activates_the_topic() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(2), T1, ALLO),
			Error::<Test>::NotRegisteredReputer
		);
		register(2);
		assert_noop!(Stake::add_stake(RuntimeOrigin::signed(2), T1, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(2), T1, 1_000 * ALLO),
			Error::<Test>::InsufficientBalance
		);
		let free = Balances::balance(&2);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(2), T1, 10 * ALLO));
		assert_eq!(held(2, HoldReason::ReputerStake), 10 * ALLO);
		assert_eq!(Balances::balance(&2), free - 10 * ALLO);
		assert_eq!(StakeReputerAuthority::<Test>::get(T1, 2), 10 * ALLO);
		assert_eq!(TopicStake::<Test>::get(T1), 10 * ALLO);
		assert_eq!(TotalStake::<Test>::get(), 10 * ALLO);
		// With stake and fee revenue the topic's weight passes the threshold (μ = 0.5).
		assert!(Topics::is_active(T1));
		Stake::do_try_state().unwrap();
	});
}

#[test]
fn removal_is_delayed_cancellable_replaceable_and_limited_to_own_stake() {
	new_test_ext().execute_with(|| {
		register(2);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(2), T1, 10 * ALLO));
		assert_ok!(Stake::delegate_stake(RuntimeOrigin::signed(3), T1, 2, 5 * ALLO));
		// S_r = 15 but only 10 are the reputer's own.
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(2), T1, 11 * ALLO),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(2), T1, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Stake::cancel_remove_stake(RuntimeOrigin::signed(2), T1),
			Error::<Test>::NoPendingRemoval
		);
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), T1, 4 * ALLO));
		let key = RemovalKey::Reputer { topic_id: T1, reputer: 2 };
		assert_eq!(RemovalQueue::<Test>::get(1 + DELAY).to_vec(), vec![key.clone()]);
		run_to_block(3);
		// A new request replaces the old one (and its queue slot).
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), T1, 3 * ALLO));
		assert!(RemovalQueue::<Test>::get(1 + DELAY).is_empty());
		assert_eq!(RemovalQueue::<Test>::get(3 + DELAY).to_vec(), vec![key.clone()]);
		run_to_block(3 + DELAY - 1);
		assert_eq!(StakeReputerAuthority::<Test>::get(T1, 2), 15 * ALLO, "still counting");
		run_to_block(3 + DELAY);
		assert_eq!(StakeReputerAuthority::<Test>::get(T1, 2), 12 * ALLO);
		assert_eq!(held(2, HoldReason::ReputerStake), 7 * ALLO);
		assert!(events().contains(&Event::StakeRemoved { key: key.clone(), amount: 3 * ALLO }));
		// Cancel.
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), T1, ALLO));
		assert_ok!(Stake::cancel_remove_stake(RuntimeOrigin::signed(2), T1));
		run_to_block(3 + 3 * DELAY);
		assert_eq!(held(2, HoldReason::ReputerStake), 7 * ALLO);
		Stake::do_try_state().unwrap();
	});
}

#[test]
fn delegation_rejects_self_and_unregistered_and_survives_deregistration() {
	new_test_ext().execute_with(|| {
		register(2);
		assert_noop!(
			Stake::delegate_stake(RuntimeOrigin::signed(2), T1, 2, ALLO),
			Error::<Test>::SelfDelegation
		);
		assert_noop!(
			Stake::delegate_stake(RuntimeOrigin::signed(3), T1, 4, ALLO),
			Error::<Test>::NotRegisteredReputer
		);
		assert_ok!(Stake::delegate_stake(RuntimeOrigin::signed(3), T1, 2, 5 * ALLO));
		assert_eq!(held(3, HoldReason::DelegatedStake), 5 * ALLO);
		assert_eq!(StakeFromDelegatorsUponReputer::<Test>::get(T1, 2), 5 * ALLO);
		assert_eq!(Stake::own_stake(T1, &2), 0);
		// The reputer leaves; the delegator keeps its stake and can still withdraw it.
		assert_ok!(Stake::unregister_reputer(RuntimeOrigin::signed(2), T1));
		assert_noop!(
			Stake::remove_delegate_stake(RuntimeOrigin::signed(3), T1, 2, 6 * ALLO),
			Error::<Test>::InsufficientStake
		);
		assert_ok!(Stake::remove_delegate_stake(RuntimeOrigin::signed(3), T1, 2, 5 * ALLO));
		run_to_block(1 + DELAY);
		assert_eq!(held(3, HoldReason::DelegatedStake), 0);
		assert_eq!(DelegatedStakes::<Test>::get((T1, 3, 2)).amount, 0);
		assert_eq!(TotalStake::<Test>::get(), 0);
		Stake::do_try_state().unwrap();
	});
}

#[test]
fn a_crowd_of_due_removals_drains_a_bounded_number_per_block() {
	new_test_ext().execute_with(|| {
		// 2 removals per block (half_max = 1); the queue holds 4 per block and a request may
		// move 2 blocks later, so 12 requests fill it and a 13th is refused cleanly.
		let update = pallet_topics::ParamsUpdate {
			half_max_process_stake_removals_end_block: Some(1),
			..Default::default()
		};
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		for who in 2..=7 {
			register(who);
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(who), T1, ALLO));
		}
		for delegator in 10..=16 {
			assert_ok!(Stake::delegate_stake(RuntimeOrigin::signed(delegator), T1, 2, ALLO));
		}
		run_to_block(2);
		for who in 2..=7 {
			assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(who), T1, ALLO));
		}
		for delegator in 10..=15 {
			assert_ok!(Stake::remove_delegate_stake(RuntimeOrigin::signed(delegator), T1, 2, ALLO));
		}
		assert_noop!(
			Stake::remove_delegate_stake(RuntimeOrigin::signed(16), T1, 2, ALLO),
			Error::<Test>::RemovalQueueFull
		);
		let removed =
			|| events().iter().filter(|e| matches!(e, Event::StakeRemoved { .. })).count();
		run_to_block(2 + DELAY);
		assert_eq!(removed(), 2);
		run_to_block(2 + DELAY + 1);
		assert_eq!(removed(), 4);
		// Every removal completes, two per block, none stuck (fix b).
		run_to_block(2 + DELAY + 5);
		assert_eq!(removed(), 12);
		assert_eq!(TotalStake::<Test>::get(), ALLO);
		assert_eq!(RemovalQueue::<Test>::iter().count(), 0);
		Stake::do_try_state().unwrap();
	});
}

#[test]
fn delegators_claim_their_share_of_rewards_and_never_more() {
	new_test_ext().execute_with(|| {
		register(2);
		assert_ok!(Stake::delegate_stake(RuntimeOrigin::signed(3), T1, 2, 3 * ALLO + 7));
		assert_ok!(Stake::delegate_stake(RuntimeOrigin::signed(4), T1, 2, ALLO + 1));
		let pool = Stake::pending_rewards_account();
		let reward = 1_000_000_007 * 1_000_000_000u128 + 13;
		assert_ok!(Balances::mint_into(&pool, reward));
		assert_ok!(Stake::add_delegator_rewards(T1, &2, reward));
		let (p3, p4) = (
			Stake::pending_delegator_reward(T1, &3, &2),
			Stake::pending_delegator_reward(T1, &4, &2),
		);
		assert!(p3 + p4 <= reward);
		assert!(p3 > 2 * p4 && p3 < 4 * p4, "≈ 3:1 ({p3}, {p4})");
		let before = Balances::balance(&3);
		assert_ok!(Stake::claim_delegator_reward(RuntimeOrigin::signed(3), T1, 2));
		assert_eq!(Balances::balance(&3), before + p3);
		assert_eq!(Stake::pending_delegator_reward(T1, &3, &2), 0);
		// Adding stake pays out the pending reward first.
		let before = Balances::balance(&4);
		assert_ok!(Stake::delegate_stake(RuntimeOrigin::signed(4), T1, 2, ALLO));
		assert_eq!(Balances::balance(&4), before - ALLO + p4);
		assert_eq!(Stake::pending_delegator_reward(T1, &4, &2), 0);
		// What is left in the pool covers every claim (dust stays accounted there).
		assert!(Balances::balance(&pool) >= ExistentialDeposit::get());
		assert_noop!(Stake::add_delegator_rewards(T1, &5, 1), Error::<Test>::NoDelegatedStake);
		// Issue 12, finding 6: a claim without a delegation is refused and writes nothing (the
		// old code stored a zero delegation for any (topic, reputer) named).
		assert_noop!(
			Stake::claim_delegator_reward(RuntimeOrigin::signed(5), T1, 2),
			Error::<Test>::NoDelegation
		);
		assert_noop!(
			Stake::claim_delegator_reward(RuntimeOrigin::signed(3), T1, 9),
			Error::<Test>::NoDelegation
		);
		Stake::do_try_state().unwrap();
	});
}

mod property {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Op {
		Register(u64),
		Unregister(u64),
		Add(u64, u128),
		Remove(u64, u128),
		Cancel(u64),
		Delegate(u64, u64, u128),
		Undelegate(u64, u64, u128),
		CancelUndelegate(u64, u64),
		Advance(u64),
	}

	fn op() -> impl Strategy<Value = Op> {
		let who = 2u64..7;
		let amount = 1u128..5 * ALLO;
		prop_oneof![
			who.clone().prop_map(Op::Register),
			who.clone().prop_map(Op::Unregister),
			(who.clone(), amount.clone()).prop_map(|(w, a)| Op::Add(w, a)),
			(who.clone(), amount.clone()).prop_map(|(w, a)| Op::Remove(w, a)),
			who.clone().prop_map(Op::Cancel),
			(who.clone(), who.clone(), amount.clone()).prop_map(|(d, r, a)| Op::Delegate(d, r, a)),
			(who.clone(), who.clone(), amount).prop_map(|(d, r, a)| Op::Undelegate(d, r, a)),
			(who.clone(), who).prop_map(|(d, r)| Op::CancelUndelegate(d, r)),
			(1u64..15).prop_map(Op::Advance),
		]
	}

	fn apply(op: &Op) {
		let o = |w: u64| RuntimeOrigin::signed(w);
		// Failing calls must change nothing: they run in their own storage layer, as in
		// a block.
		let _ = frame_support::storage::with_storage_layer(|| match op {
			Op::Register(w) => Stake::register_reputer(o(*w), T1),
			Op::Unregister(w) => Stake::unregister_reputer(o(*w), T1),
			Op::Add(w, a) => Stake::add_stake(o(*w), T1, *a),
			Op::Remove(w, a) => Stake::remove_stake(o(*w), T1, *a),
			Op::Cancel(w) => Stake::cancel_remove_stake(o(*w), T1),
			Op::Delegate(d, r, a) => Stake::delegate_stake(o(*d), T1, *r, *a),
			Op::Undelegate(d, r, a) => Stake::remove_delegate_stake(o(*d), T1, *r, *a),
			Op::CancelUndelegate(d, r) => Stake::cancel_remove_delegate_stake(o(*d), T1, *r),
			Op::Advance(n) => {
				run_to_block(System::block_number() + n);
				Ok(())
			},
		});
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(200))]

		/// Held stake equals own + delegated stake per account, per topic and in total after
		/// every call; no token is created or lost (total issuance constant); after enough
		/// blocks no removal is stuck.
		#[test]
		fn stake_accounting_holds_under_random_calls(ops in proptest::collection::vec(op(), 1..40)) {
			new_test_ext().execute_with(|| {
				let issuance = Balances::total_issuance();
				for op in &ops {
					apply(op);
					prop_assert_eq!(Stake::do_try_state(), Ok(()));
					prop_assert_eq!(Balances::total_issuance(), issuance);
					let held: u128 = (1..=20)
						.map(|w| held(w, HoldReason::ReputerStake) + held(w, HoldReason::DelegatedStake))
						.sum();
					prop_assert_eq!(held, TotalStake::<Test>::get());
				}
				// Every pending removal executes within a few blocks after it is due.
				run_to_block(System::block_number() + DELAY + 10);
				prop_assert_eq!(crate::pallet::ReputerRemovals::<Test>::iter().count(), 0);
				prop_assert_eq!(crate::pallet::DelegateRemovals::<Test>::iter().count(), 0);
				prop_assert_eq!(RemovalQueue::<Test>::iter().count(), 0);
				Ok(())
			})?;
		}
	}
}

/// A v1 registration (`()`, before deposits) becomes one without a deposit, active from the
/// upgrade on; the migration runs once (storage version 1 → 2).
#[test]
fn the_v2_migration_gives_old_registrations_no_deposit_and_runs_once() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		frame_support::storage::unhashed::put_raw(&Reputers::<Test>::hashed_key_for(T1, 2), &[]);
		StorageVersion::new(1).put::<Stake>();
		System::set_block_number(40);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		let expected = pallet_topics::Registration { deposit: 0, last_active: 40 };
		assert_eq!(Reputers::<Test>::get(T1, 2), Some(expected));
		assert_eq!(Stake::on_chain_storage_version(), StorageVersion::new(2));
		System::set_block_number(50);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Reputers::<Test>::get(T1, 2), Some(expected));
		assert_ok!(Stake::unregister_reputer(RuntimeOrigin::signed(2), T1));
	});
}
