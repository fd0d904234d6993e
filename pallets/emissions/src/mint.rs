//! The emission (spec 8.2-8.3): the monthly recalculation of the per-block emission, and every
//! block's top-up of the ecosystem account by minting (fees first, never past the ecosystem's
//! share or the max supply) and its split between the validator pot and the reward treasury.

use crate::{pallet::*, types::*, WeightInfo};
use allora_math::{mul_div_floor, Fixed};
use allora_synthesis::emission::{self, EmissionParams, Supply};
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::SaturatedConversion;

/// 10^18: the fixed-point scale.
const SCALE: u128 = 1_000_000_000_000_000_000;

/// What a recalculation reads, in base units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupplySnapshot {
	/// N_staked.
	pub staked: u128,
	/// Vesting-locked tokens.
	pub locked: u128,
	/// Minted by the ecosystem so far.
	pub minted: u128,
	/// The ecosystem account's balance.
	pub ecosystem_balance: u128,
}

/// The ecosystem treasury T_total = balance + what may still be minted.
pub fn treasury(params: &MintParams, s: &SupplySnapshot) -> u128 {
	s.ecosystem_balance.saturating_add(params.ecosystem_cap().saturating_sub(s.minted))
}

/// Spec 8.3 on a snapshot: the new emission state (or why it cannot be computed).
pub fn recalculated<B: Copy>(
	params: &MintParams,
	validators_share: Fixed,
	blocks_per_month: u32,
	reputer_share: Fixed,
	snapshot: &SupplySnapshot,
	previous: Option<Fixed>,
	now: B,
) -> Result<EmissionState<B>, RecalculationFailure> {
	if snapshot.staked == 0 {
		return Err(RecalculationFailure::NoStake);
	}
	let units = |x: u128| Fixed::from_base_units(x).map_err(|_| RecalculationFailure::Overflow);
	let supply = Supply {
		max_supply: units(params.max_supply)?,
		treasury: units(treasury(params, snapshot))?,
		staked: units(snapshot.staked)?,
		locked: units(snapshot.locked)?,
	};
	if emission::circulating(&supply).is_err() {
		return Err(RecalculationFailure::NegativeCirculatingSupply);
	}
	let p = EmissionParams {
		f_emission: params.f_emission,
		smoothing_degree: params.one_month_smoothing_degree,
		max_monthly_yield: params.maximum_monthly_percentage_yield,
		validators_share,
	};
	let m = emission::monthly_emission(&p, &supply, reputer_share, previous)
		.map_err(|_| RecalculationFailure::Overflow)?;
	let monthly = m.monthly.to_base_units().map_err(|_| RecalculationFailure::Overflow)?;
	Ok(EmissionState {
		block_emission: emission::block_emission(monthly, blocks_per_month),
		monthly_emission: monthly,
		target_per_token: m.target,
		max_per_token: m.max,
		per_token: Some(m.smoothed),
		last_recalculated: now,
		pending: false,
	})
}

/// trunc(amount · share) for a share in [0, 1].
pub fn share_of(amount: u128, share: Fixed) -> u128 {
	let raw = u128::try_from(share.into_raw()).unwrap_or(0).min(SCALE);
	mul_div_floor(amount, raw, SCALE).unwrap_or(0)
}

impl<T: Config> Pallet<T> {
	/// Spec 8.2 for block `now`: recalculation when due, then the block's emission. Returns
	/// the weight used.
	pub(crate) fn begin_block(now: BlockNumberFor<T>) -> Weight {
		let net = pallet_topics::Pallet::<T>::params();
		let bpm = net.blocks_per_month.max(1);
		let n: u64 = now.saturated_into();
		let monthly = n.checked_rem(u64::from(bpm)) == Some(1);
		let mut weight = <T as Config>::WeightInfo::emit_block();
		if monthly || Emission::<T>::get().pending {
			weight = weight.saturating_add(<T as Config>::WeightInfo::recalculate());
			Self::recalculate(now, monthly, &net);
		}
		Self::emit(net.validators_vs_allora_percent_reward);
		weight
	}

	/// The supply a recalculation at `now` reads, with the mint parameters and the month
	/// length the caller already holds.
	pub fn supply_snapshot(
		now: BlockNumberFor<T>,
		params: &MintParams,
		blocks_per_month: u32,
	) -> SupplySnapshot {
		let n: u64 = now.saturated_into();
		let months = n.checked_div(u64::from(blocks_per_month.max(1))).unwrap_or(0);
		SupplySnapshot {
			staked: pallet_stake::TotalStake::<T>::get()
				.saturating_add(<T::ValidatorStake as frame_support::traits::Get<u128>>::get()),
			locked: params.locked(u32::try_from(months).unwrap_or(u32::MAX)),
			minted: EcosystemMinted::<T>::get(),
			ecosystem_balance: <T as Config>::Currency::balance(&Self::ecosystem_account()),
		}
	}

	/// The monthly recalculation (spec 8.3). At a month's start r becomes the ratio of last
	/// month's sums (fix n). A failure keeps the previous emission and retries next block.
	pub(crate) fn recalculate(
		now: BlockNumberFor<T>,
		monthly: bool,
		net: &pallet_topics::NetworkParams,
	) {
		if monthly {
			let (total, reputers) = MonthlyRewards::<T>::take();
			if total > 0 {
				let r = Fixed::from_base_units(reputers)
					.and_then(|w| w.checked_div(Fixed::from_base_units(total)?));
				if let Ok(r) = r {
					ReputerShare::<T>::put(r);
				}
			}
		}
		let params = Params::<T>::get();
		let state = Emission::<T>::get();
		let r = ReputerShare::<T>::get();
		match recalculated(
			&params,
			net.validators_vs_allora_percent_reward,
			net.blocks_per_month.max(1),
			r,
			&Self::supply_snapshot(now, &params, net.blocks_per_month),
			state.per_token,
			now,
		) {
			Ok(new) => {
				Self::deposit_event(Event::EmissionRecalculated {
					block_emission: new.block_emission,
					monthly_emission: new.monthly_emission,
					per_token: new.per_token.unwrap_or(Fixed::ZERO),
					target_per_token: new.target_per_token,
					max_per_token: new.max_per_token,
					reputer_share: r,
				});
				Emission::<T>::put(new);
			},
			Err(reason) => {
				// Reported once, when the retries start.
				if !state.pending || monthly {
					Self::deposit_event(Event::EmissionRecalculationDeferred { reason });
				}
				Emission::<T>::put(EmissionState { pending: true, ..state });
			},
		}
	}

	/// Pays this block's emission out of the ecosystem account (spec 8.2 steps 3-4): fees
	/// already there first, the rest minted within the caps; v to the validator pot, the rest
	/// to the reward treasury (e_blk).
	pub(crate) fn emit(validators_share: Fixed) {
		let block_emission = Emission::<T>::get().block_emission;
		let eco = Self::ecosystem_account();
		let reducible = || {
			<T as Config>::Currency::reducible_balance(
				&eco,
				Preservation::Preserve,
				Fortitude::Polite,
			)
		};
		let available = reducible();
		if block_emission > available {
			let params = Params::<T>::get();
			let minted = EcosystemMinted::<T>::get();
			let amount = block_emission
				.saturating_sub(available)
				.min(params.ecosystem_cap().saturating_sub(minted))
				.min(params.max_supply.saturating_sub(<T as Config>::Currency::total_issuance()));
			if amount > 0 && <T as Config>::Currency::mint_into(&eco, amount).is_ok() {
				EcosystemMinted::<T>::put(minted.saturating_add(amount));
			}
		}
		let pay = block_emission.min(reducible());
		let validators = share_of(pay, validators_share);
		let to_rewards = pay.saturating_sub(validators);
		let send = |to: &T::AccountId, amount: u128| {
			amount > 0
				&& <T as Config>::Currency::transfer(&eco, to, amount, Preservation::Preserve)
					.is_ok()
		};
		send(&Self::validator_pot(), validators);
		let paid = send(&Self::rewards_account(), to_rewards);
		RewardBlockEmission::<T>::put(if paid { to_rewards } else { 0 });
	}
}
