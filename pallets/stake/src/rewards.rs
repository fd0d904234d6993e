//! Delegator rewards by reward per share (spec 1.3): every amount is rounded down, so the
//! pending-rewards account always holds at least what all delegators can claim.

use crate::{pallet::*, Delegation, SHARE_SCALE};
use allora_math::mul_div_floor;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
	},
};
use pallet_topics::TopicId;

/// amount·acc / SHARE_SCALE, rounded down (saturating).
pub fn debt(amount: u128, acc: u128) -> u128 {
	mul_div_floor(amount, acc, SHARE_SCALE).unwrap_or(u128::MAX)
}

/// What a placement may claim now: amount·acc − reward_debt, rounded down.
pub fn pending(d: &Delegation, acc: u128) -> u128 {
	debt(d.amount, acc).saturating_sub(d.reward_debt)
}

/// The accumulator after `reward` is shared among `delegated` base units: acc +
/// floor(reward·SHARE_SCALE / delegated). `None` when nobody is delegated or the accumulator
/// would overflow (the caller keeps the reward undistributed).
pub fn accumulate(acc: u128, reward: u128, delegated: u128) -> Option<u128> {
	if delegated == 0 {
		return None;
	}
	acc.checked_add(mul_div_floor(reward, SHARE_SCALE, delegated)?)
}

impl<T: Config> Pallet<T> {
	/// Credits `amount` (already in the pending-rewards account) to the delegators of
	/// `reputer` on `topic_id`. Fails with `NoDelegatedStake`, changing nothing, when nobody
	/// delegates to it (or the share would overflow the accumulator).
	pub fn add_delegator_rewards(
		topic_id: TopicId,
		reputer: &T::AccountId,
		amount: u128,
	) -> DispatchResult {
		let delegated = StakeFromDelegatorsUponReputer::<T>::get(topic_id, reputer);
		let acc = DelegateRewardPerShare::<T>::get(topic_id, reputer);
		let acc = accumulate(acc, amount, delegated).ok_or(Error::<T>::NoDelegatedStake)?;
		DelegateRewardPerShare::<T>::insert(topic_id, reputer, acc);
		Self::deposit_event(Event::DelegatorRewardsAdded {
			topic_id,
			reputer: reputer.clone(),
			amount,
		});
		Ok(())
	}

	/// The delegator's claimable reward on `reputer` of `topic_id`.
	pub fn pending_delegator_reward(
		topic_id: TopicId,
		delegator: &T::AccountId,
		reputer: &T::AccountId,
	) -> u128 {
		let d = DelegatedStakes::<T>::get((topic_id, delegator, reputer));
		pending(&d, DelegateRewardPerShare::<T>::get(topic_id, reputer))
	}

	/// Pays the delegator's pending reward from the pending-rewards account. The caller
	/// resets the debt to the (new) amount·acc.
	pub(crate) fn pay_pending_reward(
		topic_id: TopicId,
		delegator: &T::AccountId,
		reputer: &T::AccountId,
	) -> DispatchResult {
		let amount = Self::pending_delegator_reward(topic_id, delegator, reputer);
		if amount == 0 {
			return Ok(());
		}
		ensure!(
			<T as Config>::Currency::reducible_balance(
				&Self::pending_rewards_account(),
				Preservation::Preserve,
				frame_support::traits::tokens::Fortitude::Polite,
			) >= amount,
			Error::<T>::InsufficientBalance
		);
		<T as Config>::Currency::transfer(
			&Self::pending_rewards_account(),
			delegator,
			amount,
			Preservation::Preserve,
		)?;
		Self::deposit_event(Event::DelegatorRewardPaid {
			topic_id,
			delegator: delegator.clone(),
			reputer: reputer.clone(),
			amount,
		});
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn claims_never_exceed_what_was_shared() {
		// Three delegators with odd amounts share odd rewards: Σ pending ≤ Σ rewards.
		let amounts = [7u128, 1_000_003, 999_999_999_999];
		let total: u128 = amounts.iter().sum();
		let mut acc = 0;
		let mut shared = 0;
		for reward in [13u128, 1, 777_777_777, 5] {
			acc = accumulate(acc, reward, total).unwrap();
			shared += reward;
		}
		let claimed: u128 =
			amounts.iter().map(|a| pending(&Delegation { amount: *a, reward_debt: 0 }, acc)).sum();
		assert!(claimed <= shared, "{claimed} > {shared}");
		// The rounding loss is bounded: per reward, total/SHARE_SCALE + 1 from the accumulator,
		// and one base unit per delegator from the final floor.
		assert!(shared - claimed <= 4 * (total / SHARE_SCALE + 1) + 3, "{shared} {claimed}");
		assert_eq!(accumulate(5, 10, 0), None);
	}
}
