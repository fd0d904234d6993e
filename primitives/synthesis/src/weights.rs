//! The regret → weight map (spec 4.3): regrets are normalised by their joint standard
//! deviation and passed through φ′, the derivative of the potential
//! φ_{p,c}(x) = ln(1 + e^{p(x − c)}), with a cap, a re-anchoring and a cut-off.

use crate::{stats::sample_std_dev, Result};
use alloc::vec::Vec;
use allora_math::{Fixed, MathError};

/// The constants of the map for slope `p` and offset `c`: (cap, re-anchor level, cut-off) =
/// (c + 6.75/p, c − 8.25/p, c − 17.25/p).
fn thresholds(p: Fixed, c: Fixed) -> Result<(Fixed, Fixed, Fixed)> {
	let k = |n: i128| Fixed::from_raw(n).checked_div(p);
	Ok((
		c.checked_add(k(6_750_000_000_000_000_000)?)?,
		c.checked_sub(k(8_250_000_000_000_000_000)?)?,
		c.checked_sub(k(17_250_000_000_000_000_000)?)?,
	))
}

/// φ′_{p,c}(x) = p / (e^{p(c − x)} + 1).
pub fn potential_gradient(p: Fixed, c: Fixed, x: Fixed) -> Result<Fixed> {
	let e = p.checked_mul(c.checked_sub(x)?)?.exp()?;
	Ok(p.checked_div(e.checked_add(Fixed::ONE)?)?)
}

/// φ_{p,c}(x) = ln(1 + e^{p(x − c)}), computed as z + ln(1 + e^{−z}) for z > 0 so that it
/// never overflows (spec 13.2).
pub fn potential(p: Fixed, c: Fixed, x: Fixed) -> Result<Fixed> {
	let z = p.checked_mul(x.checked_sub(c)?)?;
	softplus(z)
}

/// ln(1 + e^z) for any z.
pub fn softplus(z: Fixed) -> Result<Fixed> {
	if z.is_positive() {
		let tail = z.saturating_neg().exp()?.checked_add(Fixed::ONE)?.ln()?;
		Ok(z.checked_add(tail)?)
	} else {
		Ok(z.exp()?.checked_add(Fixed::ONE)?.ln()?)
	}
}

/// The weight of one normalised regret r̂ given the largest normalised regret r_max.
pub fn weight_from_normalized_regret(r: Fixed, r_max: Fixed, p: Fixed, c: Fixed) -> Result<Fixed> {
	let (cap, anchor, cutoff) = thresholds(p, c)?;
	let mut r = r.min(cap);
	if r_max < anchor {
		r = r.checked_sub(r_max)?.checked_add(anchor)?;
	}
	if r < cutoff {
		return Ok(Fixed::ZERO);
	}
	potential_gradient(p, c, r)
}

/// Weights for inferer regrets `a` and forecaster regrets `b` sharing one σ and one r_max
/// (spec 4.3). Fails on an empty input.
pub fn regret_weights(
	a: &[Fixed],
	b: &[Fixed],
	p: Fixed,
	c: Fixed,
	epsilon: Fixed,
) -> Result<(Vec<Fixed>, Vec<Fixed>)> {
	let all: Vec<Fixed> = a.iter().chain(b.iter()).copied().collect();
	if all.is_empty() {
		return Err(MathError::Empty.into());
	}
	let s = sample_std_dev(&all)?.abs().checked_add(epsilon)?;
	let normalized =
		all.iter().map(|r| r.checked_div(s)).collect::<core::result::Result<Vec<_>, _>>()?;
	let r_max = normalized.iter().copied().max().ok_or(MathError::Empty)?;
	let mut weights = normalized
		.iter()
		.map(|r| weight_from_normalized_regret(*r, r_max, p, c))
		.collect::<Result<Vec<_>>>()?;
	let forecaster_weights = weights.split_off(a.len());
	Ok((weights, forecaster_weights))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	/// The 13 (r̂, r_max) → w pairs of spec 4.3 (Go `TestCalcWeightFromRegret`), to 1e-9 relative.
	#[test]
	fn weight_map_matches_the_reference_pairs() {
		let cases = [
			("-24.5", "-24.5", "0.0007835709572871582"),
			("-20", "-19.5", "0.00017487379698341595"),
			("-15", "-14", "0.0000390213853994281"),
			("-10.5", "-10", "0.00017487379698341595"),
			("-5.75", "-5", "0.00008260707334375042"),
			("-1", "-0.5", "0.015660377080675192"),
			("-0.25", "0", "0.14227761953270035"),
			("0", "0", "0.28604839469732846"),
			("0.5", "0.5", "0.9624639024738211"),
			("1", "1", "2.037536097526179"),
			("-1.32345", "0.1238729", "0.00595380787049663"),
			("-0.8712641", "-0.8712641", "0.022985964160663532"),
			("0.01987392", "0.01987392", "0.30185357993405315"),
		];
		for (r, r_max, want) in cases {
			let got = weight_from_normalized_regret(fx(r), fx(r_max), fx("3"), fx("0.75"))
				.unwrap_or_default();
			let want = fx(want);
			let err = got.checked_sub(want).unwrap_or_default().abs();
			assert!(
				err <= want
					.checked_mul(fx("0.000000001"))
					.unwrap_or_default()
					.max(Fixed::from_raw(10)),
				"({r}, {r_max}): {got} vs {want}"
			);
		}
	}

	#[test]
	fn weights_below_the_cutoff_are_zero_and_equal_regrets_get_equal_weights() {
		assert_eq!(
			weight_from_normalized_regret(fx("-6"), fx("0"), fx("3"), fx("0.75")),
			Ok(Fixed::ZERO)
		);
		let (a, b) =
			regret_weights(&[fx("0.2"), fx("0.2")], &[fx("0.2")], fx("3"), fx("0.75"), fx("0.01"))
				.unwrap_or_default();
		assert_eq!(a.len(), 2);
		assert_eq!(b.len(), 1);
		assert_eq!(a[0], a[1]);
		assert_eq!(a[0], b[0]);
		assert!(regret_weights(&[], &[], fx("3"), fx("0.75"), fx("0.01")).is_err());
	}

	#[test]
	fn softplus_is_stable_for_large_arguments() {
		assert_eq!(softplus(fx("100")).map(|v| v.trunc_to_i128()), Ok(100));
		assert_eq!(softplus(fx("-100")), Ok(Fixed::ZERO));
		let ln2 = softplus(Fixed::ZERO).unwrap_or_default();
		assert!(
			ln2.checked_sub(fx("0.693147180559945309")).unwrap_or_default().abs()
				<= Fixed::from_raw(3)
		);
	}
}
