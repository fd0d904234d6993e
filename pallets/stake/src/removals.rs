//! Delayed stake removals (spec 1.3, 3.2 step 1) in a queue keyed by completion block. Each
//! block executes the due removals oldest first, up to 2·`half_max_process_stake_removals_end_block`,
//! and leaves the rest for the next block, so the queue always drains (fix b); a removal is
//! dequeued by the key it was stored under (fix c).

use crate::{pallet::*, rewards, PendingRemoval, RemovalKey, WeightInfo};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, Zero};

/// Empty queue blocks the cursor may skip per block (it catches up with the chain quickly).
const MAX_EMPTY_PROBES: u32 = 32;

impl<T: Config> Pallet<T> {
	/// Queues (or replaces) the removal of `amount` for `key`, completing
	/// `RemoveStakeDelayWindow` blocks from now (or at the next block with room).
	pub(crate) fn request_removal(key: RemovalKey<T::AccountId>, amount: u128) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let delay = pallet_topics::Pallet::<T>::params().remove_stake_delay_window;
		let due = now.saturating_add(delay.into()).max(now.saturating_add(One::one()));
		Self::dequeue(&key);
		let mut at = due;
		let mut placed = false;
		for _ in 0..=<T as pallet_topics::Config>::MaxScheduleDeferral::get() {
			if RemovalQueue::<T>::mutate(at, |q| q.try_push(key.clone()).is_ok()) {
				placed = true;
				break;
			}
			at = at.saturating_add(One::one());
		}
		ensure!(placed, Error::<T>::RemovalQueueFull);
		let removal = PendingRemoval { amount, at };
		match &key {
			RemovalKey::Reputer { topic_id, reputer } => {
				ReputerRemovals::<T>::insert(topic_id, reputer, removal)
			},
			RemovalKey::Delegate { topic_id, delegator, reputer } => {
				DelegateRemovals::<T>::insert((topic_id, delegator, reputer), removal)
			},
		}
		if RemovalCursor::<T>::get().is_zero() {
			RemovalCursor::<T>::put(now);
		}
		Self::deposit_event(Event::RemovalRequested { key, amount, at });
		Ok(())
	}

	/// Cancels the pending removal of `key`.
	pub(crate) fn cancel_removal(key: RemovalKey<T::AccountId>) -> DispatchResult {
		ensure!(Self::dequeue(&key).is_some(), Error::<T>::NoPendingRemoval);
		Self::deposit_event(Event::RemovalCancelled { key });
		Ok(())
	}

	/// Takes the pending removal of `key` and removes it from the queue block it was stored
	/// under (fix c).
	fn dequeue(key: &RemovalKey<T::AccountId>) -> Option<PendingRemoval<BlockNumberFor<T>>> {
		let removal = match key {
			RemovalKey::Reputer { topic_id, reputer } => {
				ReputerRemovals::<T>::take(topic_id, reputer)
			},
			RemovalKey::Delegate { topic_id, delegator, reputer } => {
				DelegateRemovals::<T>::take((topic_id, delegator, reputer))
			},
		}?;
		RemovalQueue::<T>::mutate_exists(removal.at, |queue| {
			if let Some(q) = queue {
				q.retain(|k| k != key);
				if q.is_empty() {
					*queue = None;
				}
			}
		});
		Some(removal)
	}

	/// Executes due removals, oldest block first, at most 2·half_max per block; returns the
	/// weight used.
	pub fn process_removals(now: BlockNumberFor<T>) -> Weight {
		let limit = pallet_topics::Pallet::<T>::params()
			.half_max_process_stake_removals_end_block
			.saturating_mul(2);
		let mut cursor = RemovalCursor::<T>::get();
		let mut executed = 0u32;
		let mut probes = 0u32;
		while cursor <= now && executed < limit && probes <= MAX_EMPTY_PROBES {
			let mut queue = RemovalQueue::<T>::get(cursor).into_inner();
			if queue.is_empty() {
				probes = probes.saturating_add(1);
				cursor = cursor.saturating_add(One::one());
				continue;
			}
			let take = usize::try_from(limit.saturating_sub(executed)).unwrap_or(usize::MAX);
			let rest = queue.split_off(take.min(queue.len()));
			for key in queue {
				Self::execute(key);
				executed = executed.saturating_add(1);
			}
			if !rest.is_empty() {
				RemovalQueue::<T>::insert(cursor, BoundedVec::truncate_from(rest));
				break;
			}
			RemovalQueue::<T>::remove(cursor);
			cursor = cursor.saturating_add(One::one());
		}
		RemovalCursor::<T>::put(cursor.min(now.saturating_add(One::one())));
		<T as Config>::WeightInfo::process_removals(executed, probes)
	}

	/// Executes one due removal: releases the held amount and lowers every stake sum. A removal
	/// larger than what is left (impossible without slashing) is dropped, stake untouched.
	fn execute(key: RemovalKey<T::AccountId>) {
		let outcome = frame_support::storage::with_transaction(|| {
			let result = match &key {
				RemovalKey::Reputer { topic_id, reputer } => Self::remove_own(*topic_id, reputer),
				RemovalKey::Delegate { topic_id, delegator, reputer } => {
					Self::remove_delegated(*topic_id, delegator, reputer)
				},
			};
			match result {
				Ok(amount) => sp_runtime::TransactionOutcome::Commit(Ok(amount)),
				Err(e) => sp_runtime::TransactionOutcome::Rollback(Err(e)),
			}
		});
		match outcome {
			Ok(amount) => Self::deposit_event(Event::StakeRemoved { key, amount }),
			Err(_) => {
				// The request is gone either way: take it out of the per-actor index.
				let amount = Self::dequeue(&key).map(|r| r.amount).unwrap_or(0);
				Self::deposit_event(Event::RemovalDropped { key, amount });
			},
		}
	}

	fn remove_own(
		topic_id: pallet_topics::TopicId,
		reputer: &T::AccountId,
	) -> Result<u128, DispatchError> {
		let removal =
			ReputerRemovals::<T>::take(topic_id, reputer).ok_or(Error::<T>::NoPendingRemoval)?;
		ensure!(
			removal.amount <= Self::own_stake(topic_id, reputer),
			Error::<T>::InsufficientStake
		);
		Self::decrease(topic_id, reputer, removal.amount);
		<T as Config>::Currency::release(
			&HoldReason::ReputerStake.into(),
			reputer,
			removal.amount,
			Precision::Exact,
		)?;
		Ok(removal.amount)
	}

	fn remove_delegated(
		topic_id: pallet_topics::TopicId,
		delegator: &T::AccountId,
		reputer: &T::AccountId,
	) -> Result<u128, DispatchError> {
		let removal = DelegateRemovals::<T>::take((topic_id, delegator, reputer))
			.ok_or(Error::<T>::NoPendingRemoval)?;
		let key = (topic_id, delegator, reputer);
		let placed = DelegatedStakes::<T>::get(key);
		ensure!(removal.amount <= placed.amount, Error::<T>::InsufficientStake);
		Self::pay_pending_reward(topic_id, delegator, reputer)?;
		Self::decrease(topic_id, reputer, removal.amount);
		Self::decrease_delegated(topic_id, delegator, reputer, removal.amount);
		let amount = placed.amount.saturating_sub(removal.amount);
		if amount == 0 {
			DelegatedStakes::<T>::remove(key);
		} else {
			let acc = DelegateRewardPerShare::<T>::get(topic_id, reputer);
			DelegatedStakes::<T>::insert(
				key,
				crate::Delegation { amount, reward_debt: rewards::debt(amount, acc) },
			);
		}
		<T as Config>::Currency::release(
			&HoldReason::DelegatedStake.into(),
			delegator,
			removal.amount,
			Precision::Exact,
		)?;
		Ok(removal.amount)
	}
}
