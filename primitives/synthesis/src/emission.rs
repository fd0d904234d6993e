//! Token emission (spec 8.2-8.4): the monthly target emission per staked token, its yield cap,
//! the monthly EMA, the per-block emission and the vesting lock. Token amounts are in ALLO as
//! 18-decimal fixed point, which is exactly the base unit (10^-18 ALLO), so no amount is
//! rounded by the representation.

use crate::{regrets::ema, Error, Result};
use allora_math::{Fixed, MathError};

/// The emission parameters of spec 8.1 and the emissions-module inputs they use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmissionParams {
	/// f_e: the fraction of the ecosystem treasury targeted per month (0.025).
	pub f_emission: Fixed,
	/// α_e: the monthly EMA rate of the emission per staked token (0.1).
	pub smoothing_degree: Fixed,
	/// ξ_max: the cap on the monthly yield of stakers (0.0095).
	pub max_monthly_yield: Fixed,
	/// v: the validators' share of each block emission (0.25).
	pub validators_share: Fixed,
}

/// The supply a monthly recalculation reads (ALLO).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Supply {
	/// The hard cap (10^9 ALLO).
	pub max_supply: Fixed,
	/// T_total: the ecosystem account's balance plus what the ecosystem may still mint.
	pub treasury: Fixed,
	/// N_staked: all stake (validators and reputers).
	pub staked: Fixed,
	/// Tokens still locked by vesting (spec 8.4).
	pub locked: Fixed,
}

/// One monthly recalculation (spec 8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthlyEmission {
	/// ê_target: the target emission per staked token.
	pub target: Fixed,
	/// ê_max = ξ_max / f_stakers: the yield cap.
	pub max: Fixed,
	/// ê = min(ê_target, ê_max).
	pub capped: Fixed,
	/// e_i: the smoothed emission per staked token (stored for next month).
	pub smoothed: Fixed,
	/// 𝓔 = e_i · N_staked (ALLO, truncated to the base unit).
	pub monthly: Fixed,
}

/// N_circ = max supply − locked − treasury (spec 8.3); an error if negative.
pub fn circulating(supply: &Supply) -> Result<Fixed> {
	let c = supply.max_supply.checked_sub(supply.locked)?.checked_sub(supply.treasury)?;
	if c.is_negative() {
		return Err(Error::Math(MathError::Domain));
	}
	Ok(c)
}

/// ê_target = f_e · (T_total / N_staked) · (N_circ / max supply); an error without stake.
pub fn target_per_token(
	f_emission: Fixed,
	treasury: Fixed,
	staked: Fixed,
	circulating: Fixed,
	max_supply: Fixed,
) -> Result<Fixed> {
	if !staked.is_positive() || !max_supply.is_positive() {
		return Err(Error::Math(MathError::DivisionByZero));
	}
	let per_stake = f_emission.checked_mul_div(treasury, staked)?;
	Ok(per_stake.checked_mul_div(circulating, max_supply)?)
}

/// ê_max = ξ_max / f_stakers with f_stakers = v + (1 − v)·r, r the share of topic rewards that
/// went to staked reputers (spec 8.3, fix n for r).
pub fn max_per_token(params: &EmissionParams, reputer_share: Fixed) -> Result<Fixed> {
	let v = params.validators_share;
	let f_stakers = v.checked_add(Fixed::ONE.checked_sub(v)?.checked_mul(reputer_share)?)?;
	Ok(params.max_monthly_yield.checked_div(f_stakers)?)
}

/// The monthly recalculation (spec 8.3): target, cap, EMA over `previous` (the stored e of last
/// month; `None` in the first month, when e = ê) and the month's emission e_i · N_staked.
pub fn monthly_emission(
	params: &EmissionParams,
	supply: &Supply,
	reputer_share: Fixed,
	previous: Option<Fixed>,
) -> Result<MonthlyEmission> {
	let circ = circulating(supply)?;
	let target = target_per_token(
		params.f_emission,
		supply.treasury,
		supply.staked,
		circ,
		supply.max_supply,
	)?;
	let max = max_per_token(params, reputer_share)?;
	let capped = target.min(max);
	let smoothed = ema(params.smoothing_degree, capped, previous.unwrap_or(capped))?;
	let monthly = smoothed.checked_mul(supply.staked)?;
	Ok(MonthlyEmission { target, max, capped, smoothed, monthly })
}

/// The per-block emission of a monthly emission in base units (integer division, spec 8.3).
pub fn block_emission(monthly: u128, blocks_per_month: u32) -> u128 {
	monthly.checked_div(u128::from(blocks_per_month)).unwrap_or(0)
}

/// Tokens of a vested allocation `full` still locked after `months` whole months (spec 8.4):
/// all before month 12, then full·(36 − months)/36, none from month 36.
pub fn locked_vesting(full: u128, months: u32) -> u128 {
	match months {
		0..=11 => full,
		12..=35 => {
			let left = u128::from(36u32.saturating_sub(months));
			full.checked_div(36).unwrap_or(0).saturating_mul(left).saturating_add(
				full.checked_rem(36).unwrap_or(0).saturating_mul(left).checked_div(36).unwrap_or(0),
			)
		},
		_ => 0,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	#[test]
	fn the_cap_with_the_genesis_reputer_share_is_two_percent() {
		let p = EmissionParams {
			f_emission: fx("0.025"),
			smoothing_degree: fx("0.1"),
			max_monthly_yield: fx("0.0095"),
			validators_share: fx("0.25"),
		};
		// Spec 8.3: 0.0095 / (0.25 + 0.75·0.3) = 0.02.
		assert_eq!(max_per_token(&p, fx("0.3")).unwrap(), fx("0.02"));
	}

	#[test]
	fn vesting_locks_everything_for_a_year_then_releases_linearly_to_36_months() {
		let full = 1_000_000_000_000_000_000_003u128;
		assert_eq!(locked_vesting(full, 11), full);
		// The cliff releases a third.
		assert_eq!(locked_vesting(full, 12), full * 24 / 36);
		assert_eq!(locked_vesting(full, 35), full / 36);
		assert_eq!(locked_vesting(full, 36), 0);
		for m in 12..36 {
			assert!(locked_vesting(full, m + 1) < locked_vesting(full, m));
		}
	}

	#[test]
	fn no_stake_and_negative_circulation_are_errors() {
		let s =
			Supply { max_supply: fx("100"), treasury: fx("60"), staked: fx("0"), locked: fx("50") };
		assert!(circulating(&s).is_err());
		assert!(target_per_token(fx("0.025"), fx("1"), Fixed::ZERO, fx("1"), fx("1")).is_err());
	}

	#[test]
	fn block_emission_is_the_integer_share() {
		assert_eq!(block_emission(1_000_007, 1000), 1000);
		assert_eq!(block_emission(5, 0), 0);
	}
}
