//! The validators' era rewards, paid from the validator pot and never minted (issue 13).
//!
//! `pallet-staking` asks [`PotEraPayout`] for an era's payout when the era ends and pays each
//! validator and nominator with `payout_stakers`, depositing the reward and handing the
//! resulting debt to [`PayFromPot`]. Here:
//!
//! - an era's payout is what the pot holds beyond the eras still claimable (`commit_era`): the
//!   pot's share of every block emission since the last commitment, plus whatever expired;
//! - every payout is withdrawn from the pot and offset against the deposit, so rewards move
//!   ALLO that the capped emission already minted and total issuance does not change;
//! - payouts are attributed to the oldest commitment with an unpaid part (first in, first
//!   out). When a commitment leaves the window of claimable eras, its unpaid part (rounding
//!   dust, rewards nobody claimed) stays in the pot for the next era, with an event.
//!
//! FIFO attribution is conservative: the unpaid part it releases is never more than what the
//! expiring era really left, so the outstanding total always covers every claim still possible
//! (`do_try_state` checks the pot holds it).

use crate::{Config, Event, Pallet, ValidatorEraCommitments};
use frame_support::traits::{
	fungible::{Balanced, Debt, Inspect},
	tokens::{Fortitude, Precision, Preservation},
	Get, Imbalance, OnUnbalanced,
};

/// `pallet-staking`'s `EraPayout`: the era's validator payout is the uncommitted pot; nothing is
/// left to be minted as "the rest".
pub struct PotEraPayout<T>(core::marker::PhantomData<T>);

impl<T: Config> sp_staking::EraPayout<u128> for PotEraPayout<T> {
	fn era_payout(_staked: u128, _issuance: u128, _era_duration_millis: u64) -> (u128, u128) {
		(Pallet::<T>::commit_era(), 0)
	}
}

/// `pallet-staking`'s `Reward` handler: pays the deposited rewards out of the validator pot.
pub struct PayFromPot<T>(core::marker::PhantomData<T>);

impl<T: Config> OnUnbalanced<Debt<T::AccountId, <T as Config>::Currency>> for PayFromPot<T> {
	fn on_nonzero_unbalanced(debt: Debt<T::AccountId, <T as Config>::Currency>) {
		Pallet::<T>::pay_from_pot(debt);
	}
}

impl<T: Config> Pallet<T> {
	/// What the pot can pay without closing its account.
	pub fn validator_pot_available() -> u128 {
		<T as Config>::Currency::reducible_balance(
			&Self::validator_pot(),
			Preservation::Preserve,
			Fortitude::Polite,
		)
	}

	/// The committed and not yet paid part of every era still claimable.
	pub fn validator_rewards_outstanding() -> u128 {
		outstanding(&ValidatorEraCommitments::<T>::get())
	}

	/// Ends an era's accumulation: drops the commitment that left the claimable window (its
	/// unpaid part returns to the pot) and commits the uncommitted pot to the new era.
	pub(crate) fn commit_era() -> u128 {
		let era = T::ActiveEra::get().unwrap_or_default();
		let window = T::ClaimableEras::get().max(1) as usize;
		let mut commitments = ValidatorEraCommitments::<T>::get();
		while commitments.len() >= window {
			let expired = commitments.remove(0);
			let unpaid = expired.committed.saturating_sub(expired.paid);
			if unpaid > 0 {
				Self::deposit_event(Event::ValidatorRewardsExpired { era: expired.era, unpaid });
			}
		}
		let outstanding = outstanding(&commitments);
		let amount = Self::validator_pot_available().saturating_sub(outstanding);
		// `window` ≤ the bound: there is room after the loop above.
		let _ = commitments.try_push(crate::EraCommitment { era, committed: amount, paid: 0 });
		ValidatorEraCommitments::<T>::put(commitments);
		Self::deposit_event(Event::ValidatorEraPayout { era, amount, outstanding });
		amount
	}

	/// Withdraws a staking payout from the pot and offsets it against the deposit, then
	/// attributes it to the oldest commitment with an unpaid part.
	pub(crate) fn pay_from_pot(debt: Debt<T::AccountId, <T as Config>::Currency>) {
		let amount = debt.peek();
		match <T as Config>::Currency::withdraw(
			&Self::validator_pot(),
			amount,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		) {
			Ok(credit) => {
				// Equal amounts: nothing remains on either side.
				let _ = debt.offset(credit);
				ValidatorEraCommitments::<T>::mutate(|commitments| {
					let mut left = amount;
					for c in commitments.iter_mut() {
						let take = c.committed.saturating_sub(c.paid).min(left);
						c.paid = c.paid.saturating_add(take);
						left = left.saturating_sub(take);
						if left == 0 {
							break;
						}
					}
				});
			},
			Err(_) => {
				// Unreachable while the commitments hold (the pot always covers what staking
				// can still pay); the deposit stands and the issuance grows by it: recorded.
				Self::deposit_event(Event::ValidatorPotShortfall { amount });
				drop(debt);
			},
		}
	}
}

/// The unpaid part of `commitments`.
fn outstanding(commitments: &[crate::EraCommitment]) -> u128 {
	commitments.iter().fold(0u128, |acc, c| acc.saturating_add(c.committed.saturating_sub(c.paid)))
}
