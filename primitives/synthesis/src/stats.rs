//! Descriptive statistics on fixed-point samples: mean, sample standard deviation,
//! linear-interpolation quantiles, median, weighted percentiles.

use crate::{Error, Result};
use alloc::vec::Vec;
use allora_math::{DotAccumulator, Fixed, MathError};

/// Arithmetic mean; [`MathError::Empty`] for no values.
pub fn mean(values: &[Fixed]) -> Result<Fixed> {
	if values.is_empty() {
		return Err(MathError::Empty.into());
	}
	let n = i128::try_from(values.len()).map_err(|_| MathError::Overflow)?;
	Ok(Fixed::checked_sum(values.iter().copied())?.checked_div_int(n)?)
}

/// Sample standard deviation (divisor n − 1); 0 for one value; error for none.
pub fn sample_std_dev(values: &[Fixed]) -> Result<Fixed> {
	let n = values.len();
	if n == 0 {
		return Err(MathError::Empty.into());
	}
	if n == 1 {
		return Ok(Fixed::ZERO);
	}
	let m = mean(values)?;
	let mut acc = DotAccumulator::new();
	for v in values {
		let d = v.checked_sub(m)?;
		acc.add_product(d, d);
	}
	let n1 = i128::try_from(n.saturating_sub(1)).map_err(|_| MathError::Overflow)?;
	Ok(acc.total()?.checked_div_int(n1)?.sqrt()?)
}

/// Values sorted ascending.
pub fn sorted(values: &[Fixed]) -> Vec<Fixed> {
	let mut v = values.to_vec();
	v.sort();
	v
}

/// The q-quantile with linear interpolation between order statistics: position q·(n − 1) of
/// the ascending sort (spec 5.5). One value → that value.
pub fn quantile(values: &[Fixed], q: Fixed) -> Result<Fixed> {
	let v = sorted(values);
	let n = v.len();
	if n == 0 {
		return Err(MathError::Empty.into());
	}
	let last = i128::try_from(n.saturating_sub(1)).map_err(|_| MathError::Overflow)?;
	let pos = q.clamp(Fixed::ZERO, Fixed::ONE).checked_mul_int(last)?;
	let lo = pos.trunc_to_i128();
	let frac = pos.checked_sub(Fixed::checked_from_i128(lo)?)?;
	let lo = usize::try_from(lo).map_err(|_| MathError::Overflow)?;
	let a = *v.get(lo).ok_or(Error::MissingValue)?;
	match v.get(lo.saturating_add(1)) {
		Some(b) if !frac.is_zero() => Ok(a.checked_add(frac.checked_mul(b.checked_sub(a)?)?)?),
		_ => Ok(a),
	}
}

/// The median: the middle value, or the mean of the two middle values (spec 4.7).
pub fn median(values: &[Fixed]) -> Result<Fixed> {
	let v = sorted(values);
	let n = v.len();
	if n == 0 {
		return Err(MathError::Empty.into());
	}
	let mid = n / 2;
	let upper = *v.get(mid).ok_or(Error::MissingValue)?;
	if n % 2 == 1 {
		return Ok(upper);
	}
	let lower = *v.get(mid.saturating_sub(1)).ok_or(Error::MissingValue)?;
	Ok(lower.checked_add(upper)?.checked_div_int(2)?)
}

/// Outlier clip of the network inference: every value is drawn into the band
/// `[m − k·MAD, m + k·MAD]` around the median m, where MAD is the median absolute deviation
/// from m. The median and every value within k MADs stay as they are (k ≥ 1 keeps both middle
/// values of an even count), so rounds without an outlier are unchanged; one extreme value can
/// sit at most k MADs of the others' spread away from their median. Fewer than three values
/// are returned unchanged (no majority to measure against).
pub fn mad_clip(values: &[Fixed], k: Fixed) -> Result<Vec<Fixed>> {
	if values.len() < 3 {
		return Ok(values.to_vec());
	}
	let m = median(values)?;
	let deviations =
		values.iter().map(|v| v.checked_sub(m)).collect::<core::result::Result<Vec<_>, _>>()?;
	let abs: Vec<Fixed> = deviations.iter().map(|d| d.abs()).collect();
	let band = k.checked_mul(median(&abs)?)?;
	let (lo, hi) = (m.checked_sub(band)?, m.checked_add(band)?);
	Ok(values.iter().map(|v| (*v).clamp(lo, hi)).collect())
}

/// Weighted percentiles (spec 4.8): sort (value, weight) by value, position of each point
/// x_i = (C_i − w_i/2)/C_n, then interpolate linearly; clamp to the end points.
pub fn weighted_percentiles(
	values: &[Fixed],
	weights: &[Fixed],
	percentiles: &[Fixed],
) -> Result<Vec<Fixed>> {
	if values.len() != weights.len() {
		return Err(Error::LengthMismatch);
	}
	if values.is_empty() {
		return Err(MathError::Empty.into());
	}
	let mut pairs: Vec<(Fixed, Fixed)> =
		values.iter().copied().zip(weights.iter().copied()).collect();
	pairs.sort_by_key(|p| p.0);
	let mut cumulative = Vec::with_capacity(pairs.len());
	let mut total = Fixed::ZERO;
	for (_, w) in &pairs {
		total = total.checked_add(*w)?;
		cumulative.push(total);
	}
	let mut positions = Vec::with_capacity(pairs.len());
	for ((_, w), c) in pairs.iter().zip(cumulative.iter()) {
		positions.push(c.checked_sub(w.checked_div_int(2)?)?.checked_div(total)?);
	}
	let (first_x, first_v) = (
		*positions.first().ok_or(Error::MissingValue)?,
		pairs.first().map(|p| p.0).ok_or(Error::MissingValue)?,
	);
	let (last_x, last_v) = (
		*positions.last().ok_or(Error::MissingValue)?,
		pairs.last().map(|p| p.0).ok_or(Error::MissingValue)?,
	);
	let hundred = Fixed::from_int(100);
	let mut out = Vec::with_capacity(percentiles.len());
	for pct in percentiles {
		let q = pct.checked_div(hundred)?;
		if q <= first_x {
			out.push(first_v);
			continue;
		}
		if q >= last_x {
			out.push(last_v);
			continue;
		}
		// The last point at or below q; its successor exists because q < last_x.
		let j = positions.iter().rposition(|x| *x <= q).ok_or(Error::MissingValue)?;
		let (xa, xb) = (positions.get(j).copied(), positions.get(j.saturating_add(1)).copied());
		let (va, vb) = (pairs.get(j).map(|p| p.0), pairs.get(j.saturating_add(1)).map(|p| p.0));
		let (xa, xb, va, vb) = match (xa, xb, va, vb) {
			(Some(a), Some(b), Some(c), Some(d)) => (a, b, c, d),
			_ => return Err(Error::MissingValue),
		};
		let t = q.checked_sub(xa)?.checked_div(xb.checked_sub(xa)?)?;
		// va·(1 − t) + vb·t
		out.push(va.checked_add(t.checked_mul(vb.checked_sub(va)?)?)?);
	}
	Ok(out)
}

/// The five percentiles of the confidence interval: 2.28, 15.87, 50, 84.13, 97.72 (±2σ, ±1σ
/// and the median of a normal distribution).
pub fn confidence_percentiles() -> [Fixed; 5] {
	[
		Fixed::from_raw(2_280_000_000_000_000_000),
		Fixed::from_raw(15_870_000_000_000_000_000),
		Fixed::from_raw(50_000_000_000_000_000_000),
		Fixed::from_raw(84_130_000_000_000_000_000),
		Fixed::from_raw(97_720_000_000_000_000_000),
	]
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::{fx, fxs};

	#[test]
	fn std_dev_uses_bessel_and_is_zero_for_one_value() {
		assert_eq!(
			sample_std_dev(&fxs(&["2", "4", "4", "4", "5", "5", "7", "9"]))
				.map(|s| s.into_raw() / 1_000_000),
			Ok(2_138_089_935_299)
		);
		assert_eq!(sample_std_dev(&fxs(&["3"])), Ok(Fixed::ZERO));
		assert_eq!(sample_std_dev(&[]), Err(Error::Math(MathError::Empty)));
	}

	#[test]
	fn quantile_interpolates_linearly() {
		let v = fxs(&["4", "1", "3", "2"]);
		assert_eq!(quantile(&v, fx("0")), Ok(fx("1")));
		assert_eq!(quantile(&v, fx("1")), Ok(fx("4")));
		assert_eq!(quantile(&v, fx("0.25")), Ok(fx("1.75")));
		assert_eq!(quantile(&v, fx("0.5")), Ok(fx("2.5")));
		assert_eq!(quantile(&fxs(&["-7"]), fx("0.25")), Ok(fx("-7")));
	}

	#[test]
	fn median_of_odd_and_even_counts() {
		assert_eq!(median(&fxs(&["3", "1", "2"])), Ok(fx("2")));
		assert_eq!(median(&fxs(&["4", "1", "3", "2"])), Ok(fx("2.5")));
		assert_eq!(median(&[]), Err(Error::Math(MathError::Empty)));
	}

	#[test]
	fn weighted_percentiles_interpolate_and_clamp() {
		let v = fxs(&["1", "2", "3"]);
		let w = fxs(&["1", "1", "1"]);
		// positions 1/6, 1/2, 5/6
		let p = weighted_percentiles(&v, &w, &fxs(&["10", "50", "90", "2.28"])).unwrap_or_default();
		assert_eq!(p, vec![fx("1"), fx("2"), fx("3"), fx("1")]);
		let p = weighted_percentiles(&v, &w, &fxs(&["33.333333333333333333"])).unwrap_or_default();
		assert!(
			p[0].checked_sub(fx("1.5")).map(|d| d.abs() < fx("0.000000001")).unwrap_or(false),
			"{:?}",
			p
		);
		assert_eq!(weighted_percentiles(&v, &w[..2], &[]), Err(Error::LengthMismatch));
	}
}
