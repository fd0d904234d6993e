//! Topic weight (spec 7.1) and the topic rewards of a block (7.2).

use crate::{regrets::ema, Result};
use alloc::vec::Vec;
use allora_math::{Fixed, MathError};

/// ŵ = S^μ · (C/E)^ν, smoothed: w = α·ŵ + (1 − α)·w_prev (first time: ŵ). A topic without
/// fee revenue has weight 0 with no smoothing (spec 7.1). `stake` and `fee_revenue` are in
/// tokens; the caller fixes the unit (see the crate README).
pub fn topic_weight(
	stake: Fixed,
	fee_revenue: Fixed,
	epoch_length: u64,
	mu: Fixed,
	nu: Fixed,
	alpha: Fixed,
	previous: Option<Fixed>,
) -> Result<Fixed> {
	if fee_revenue.is_zero() {
		return Ok(Fixed::ZERO);
	}
	let epoch = Fixed::checked_from_i128(i128::from(epoch_length))?;
	let revenue_rate = fee_revenue.checked_div(epoch)?;
	let target = stake.pow(mu)?.checked_mul(revenue_rate.pow(nu)?)?;
	match previous {
		Some(p) => ema(alpha, target, p),
		None => Ok(target),
	}
}

/// The rewards of the topics paid in a block (spec 7.2): E_t = (w_t / W_tot)·e_blk·E_t^len for
/// each `(weight, epoch_length)`; if they exceed the treasury balance B, a single topic gets B
/// and several share B in proportion to w_t·E_t^len. A zero weight gets 0.
pub fn topic_rewards(
	topics: &[(Fixed, u64)],
	total_weight: Fixed,
	block_emission: Fixed,
	treasury: Fixed,
) -> Result<Vec<Fixed>> {
	if total_weight.is_zero() {
		return Err(MathError::DivisionByZero.into());
	}
	if treasury.is_zero() {
		return Ok(topics.iter().map(|_| Fixed::ZERO).collect());
	}
	let mut rewards = Vec::with_capacity(topics.len());
	let mut weighted_lengths = Vec::with_capacity(topics.len());
	for (w, len) in topics {
		let len = Fixed::checked_from_i128(i128::from(*len))?;
		let share = w.checked_div(total_weight)?;
		rewards.push(share.checked_mul(block_emission)?.checked_mul(len)?);
		weighted_lengths.push(w.checked_mul(len)?);
	}
	let total = Fixed::checked_sum(rewards.iter().copied())?;
	if total <= treasury {
		return Ok(rewards);
	}
	if topics.len() == 1 {
		return Ok(Vec::from([treasury]));
	}
	let sum_wl = Fixed::checked_sum(weighted_lengths.iter().copied())?;
	weighted_lengths.iter().map(|wl| Ok(treasury.checked_mul_div(*wl, sum_wl)?)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::f;

	/// Spec 10.6 `TestCalcTopicRewards`.
	#[test]
	fn topic_rewards_match_the_reference_cases() {
		let r = topic_rewards(
			&[(f("0.5"), 100), (f("0.3"), 100), (f("0.2"), 100)],
			f("1"),
			f("10"),
			f("1000"),
		);
		assert_eq!(r, Ok(vec![f("500"), f("300"), f("200")]));
		let r = topic_rewards(&[(f("0.75"), 100), (f("0.25"), 200)], f("1"), f("1"), f("1000"));
		assert_eq!(r, Ok(vec![f("75"), f("50")]));
		let r = topic_rewards(
			&[(f("0.000000000000000001"), 100), (f("0.000000000000000002"), 100)],
			f("0.000000000000000003"),
			f("10"),
			f("1000"),
		)
		.unwrap_or_default();
		assert!(
			r[0].checked_sub(f("333.333333333333333333"))
				.map(|d| d.abs() <= Fixed::from_raw(1000))
				.unwrap_or(false),
			"{:?}",
			r
		);
		assert!(
			r[1].checked_sub(f("666.666666666666666666"))
				.map(|d| d.abs() <= Fixed::from_raw(1000))
				.unwrap_or(false),
			"{:?}",
			r
		);
	}

	#[test]
	fn rewards_are_capped_by_the_treasury() {
		assert_eq!(topic_rewards(&[(f("1"), 100)], f("1"), f("10"), f("50")), Ok(vec![f("50")]));
		assert_eq!(
			topic_rewards(&[(f("1"), 100), (f("1"), 300)], f("2"), f("10"), f("100")),
			Ok(vec![f("25"), f("75")])
		);
		assert_eq!(
			topic_rewards(&[(f("1"), 100)], f("1"), f("10"), Fixed::ZERO),
			Ok(vec![Fixed::ZERO])
		);
		assert!(topic_rewards(&[(f("1"), 100)], Fixed::ZERO, f("10"), f("1")).is_err());
	}

	#[test]
	fn topic_weight_is_the_smoothed_geometric_target() {
		// √(400) · √(900/9) = 20 · 10 = 200; EMA with 100 at α = 0.5 → 150.
		let w = topic_weight(f("400"), f("900"), 9, f("0.5"), f("0.5"), f("0.5"), Some(f("100")))
			.unwrap_or_default();
		assert!(
			w.checked_sub(f("150")).map(|d| d.abs() <= Fixed::from_raw(1000)).unwrap_or(false),
			"{w}"
		);
		assert_eq!(
			topic_weight(f("400"), Fixed::ZERO, 9, f("0.5"), f("0.5"), f("0.5"), Some(f("100"))),
			Ok(Fixed::ZERO)
		);
	}
}
