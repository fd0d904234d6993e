//! Reputer consensus scores, adjusted stakes and listening coefficients (spec 5.6).
//!
//! Each reputer m reports a loss vector V_m (coordinates it did not report are `None`). With
//! listening coefficients a and stakes S, the adjusted stakes Ŝ_m = min(N·a_m·S_m / Σ a S, 1)
//! weight a consensus vector C; a reputer's score is T_m = 1/(‖V′_m − C‖/‖C‖ + ε_rep), where V′
//! fills missing coordinates with the smallest reported value. A gradient ascent on the
//! stake-weighted total score moves the coefficients.
//!
//! Two evaluators of the scores are provided and must agree:
//! - [`DirectScores`], the straightforward one: rebuilds C and every distance per evaluation,
//!   O(R·V) per evaluation, so O(iterations·R²·V) for the ascent;
//! - [`GramScores`], the fast one: V′ does not depend on the coefficients, and C is, per group
//!   of coordinates reported by the same reputers, a convex combination Σ_n β_n V_n with
//!   β ∝ Ŝ. Distances and norms then follow from Gram matrices of the (centred) vectors,
//!   computed once: O(R²·V) once, then O(R²) per evaluation.

use crate::{Error, ReputerParams, Result};
use alloc::{collections::BTreeMap, vec, vec::Vec};
use allora_math::{DotAccumulator, Fixed, MathError};

/// Result of the consensus step for one round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReputerOutcome {
	/// The reputers' instant scores T_m (from the start of the last ascent iteration).
	pub scores: Vec<Fixed>,
	/// The new listening coefficients a_m.
	pub coefficients: Vec<Fixed>,
	/// Ŝ_m with the coefficients the returned scores were computed with.
	pub adjusted_stakes: Vec<Fixed>,
}

/// Scores of every reputer for given listening coefficients.
pub trait ScoreEvaluator {
	/// T_m for every reputer.
	fn scores(&self, coefficients: &[Fixed]) -> Result<Vec<Fixed>>;
}

/// Ŝ_m = min(N·a_m·S_m / Σ_n a_n S_n, 1).
pub fn adjusted_stakes(stakes: &[Fixed], coefficients: &[Fixed]) -> Result<Vec<Fixed>> {
	if stakes.len() != coefficients.len() {
		return Err(Error::LengthMismatch);
	}
	let n = i128::try_from(stakes.len()).map_err(|_| MathError::Overflow)?;
	let products = stakes
		.iter()
		.zip(coefficients)
		.map(|(s, a)| a.checked_mul(*s))
		.collect::<core::result::Result<Vec<_>, _>>()?;
	let total = Fixed::checked_sum(products.iter().copied())?;
	if !total.is_positive() {
		// Nobody is listened to (every coefficient 0): no adjusted stake; the consensus falls
		// back to plain stakes (`reporter_weights`).
		return Ok(products.iter().map(|_| Fixed::ZERO).collect());
	}
	products.iter().map(|p| Ok(p.checked_mul_int(n)?.checked_div(total)?.min(Fixed::ONE))).collect()
}

/// The stakes divided by the largest one: scores and coefficients are scale-free in stake.
fn normalized(stakes: &[Fixed]) -> Result<Vec<Fixed>> {
	let max = stakes.iter().copied().max().ok_or(Error::NoReputers)?;
	if !max.is_positive() {
		return Err(Error::NoReputers);
	}
	stakes.iter().map(|s| Ok(s.checked_div(max)?)).collect()
}

/// Validates the loss vectors (same length, ≥ 1 reputer) and returns their length.
fn check_vectors(vectors: &[Vec<Option<Fixed>>], reputers: usize) -> Result<usize> {
	if vectors.is_empty() {
		return Err(Error::NoReputers);
	}
	if vectors.len() != reputers {
		return Err(Error::LengthMismatch);
	}
	let len = vectors.first().map(Vec::len).unwrap_or(0);
	if vectors.iter().any(|v| v.len() != len) {
		return Err(Error::LengthMismatch);
	}
	Ok(len)
}

/// β: each reporter's share of a coordinate's consensus, Ŝ_m / Σ Ŝ over the reporters (0 for
/// the others). When every reporter's listened-to stake Ŝ is zero (coefficients driven to 0,
/// or stakes too small beside the largest to register at 18 decimals), the reporters' plain
/// stakes are used, and failing those equal shares: the consensus of a coordinate somebody
/// reported always exists, so one such reporter cannot make the settlement fail (issue 12).
fn reporter_weights(adjusted: &[Fixed], stakes: &[Fixed], present: &[bool]) -> Result<Vec<Fixed>> {
	let share = |weights: &[Fixed]| -> Result<Option<Vec<Fixed>>> {
		let total = Fixed::checked_sum(
			weights.iter().zip(present.iter()).filter(|(_, p)| **p).map(|(s, _)| *s),
		)?;
		if !total.is_positive() {
			return Ok(None);
		}
		Ok(Some(
			weights
				.iter()
				.zip(present.iter())
				.map(|(s, p)| if *p { s.checked_div(total) } else { Ok(Fixed::ZERO) })
				.collect::<core::result::Result<Vec<_>, _>>()?,
		))
	};
	if let Some(beta) = share(adjusted)? {
		return Ok(beta);
	}
	if let Some(beta) = share(stakes)? {
		return Ok(beta);
	}
	let ones: Vec<Fixed> = present.iter().map(|_| Fixed::ONE).collect();
	share(&ones)?.ok_or(Error::NoReputers)
}

/// D_c: the smallest reported value of every coordinate (the NaN filler of spec 5.6).
fn fillers(vectors: &[Vec<Option<Fixed>>], len: usize) -> Vec<Option<Fixed>> {
	(0..len).map(|c| vectors.iter().filter_map(|v| v.get(c).copied().flatten()).min()).collect()
}

/// T = 1/(distance/‖C‖ + ε_rep). A consensus norm below ε_div (zero, where the spec replaces it,
/// or nearly cancelling reports) counts as ε_div, so the ratio stays within distance/ε_div.
fn score(distance: Fixed, consensus_norm: Fixed, params: &ReputerParams) -> Result<Fixed> {
	let norm = consensus_norm.max(params.epsilon_safe_div);
	Ok(distance.checked_div(norm)?.checked_add(params.epsilon_reputer)?.checked_recip()?)
}

/// The straightforward evaluator: per evaluation, the consensus coordinate by coordinate and
/// every reputer's distance to it. Kept as the benchmark baseline and as the reference the
/// fast evaluator is tested against.
pub struct DirectScores<'a> {
	vectors: &'a [Vec<Option<Fixed>>],
	filled: Vec<Vec<Fixed>>,
	stakes: Vec<Fixed>,
	params: ReputerParams,
}

impl<'a> DirectScores<'a> {
	/// Prepares the evaluator (fills missing coordinates, normalises stakes).
	pub fn new(
		vectors: &'a [Vec<Option<Fixed>>],
		stakes: &[Fixed],
		params: ReputerParams,
	) -> Result<Self> {
		let len = check_vectors(vectors, stakes.len())?;
		let fill = fillers(vectors, len);
		let filled = vectors
			.iter()
			.map(|v| {
				v.iter().zip(fill.iter()).map(|(x, d)| x.or(*d).unwrap_or(Fixed::ZERO)).collect()
			})
			.collect();
		Ok(DirectScores { vectors, filled, stakes: normalized(stakes)?, params })
	}
}

impl ScoreEvaluator for DirectScores<'_> {
	fn scores(&self, coefficients: &[Fixed]) -> Result<Vec<Fixed>> {
		let adjusted = adjusted_stakes(&self.stakes, coefficients)?;
		let len = self.filled.first().map(Vec::len).unwrap_or(0);
		let mut consensus = Vec::with_capacity(len);
		for c in 0..len {
			let mut num = DotAccumulator::new();
			let mut den = Fixed::ZERO;
			for (v, s) in self.vectors.iter().zip(adjusted.iter()) {
				if let Some(x) = v.get(c).copied().flatten() {
					num.add_product(*s, x);
					den = den.checked_add(*s)?;
				}
			}
			if den.is_positive() {
				consensus.push(num.total()?.checked_div(den)?);
				continue;
			}
			// No listened-to stake reported it: the fallback shares of `reporter_weights`.
			let present: Vec<bool> =
				self.vectors.iter().map(|v| v.get(c).copied().flatten().is_some()).collect();
			let beta = reporter_weights(&adjusted, &self.stakes, &present)?;
			let mut acc = DotAccumulator::new();
			for (v, b) in self.vectors.iter().zip(beta.iter()) {
				if let Some(x) = v.get(c).copied().flatten() {
					acc.add_product(*b, x);
				}
			}
			consensus.push(acc.total()?);
		}
		let mut norm_acc = DotAccumulator::new();
		for x in &consensus {
			norm_acc.add_product(*x, *x);
		}
		let norm = norm_acc.total()?.sqrt()?;
		self.filled
			.iter()
			.map(|v| {
				let mut acc = DotAccumulator::new();
				for (x, c) in v.iter().zip(consensus.iter()) {
					let d = x.checked_sub(*c)?;
					acc.add_product(d, d);
				}
				score(acc.total()?.sqrt()?, norm, &self.params)
			})
			.collect()
	}
}

/// Coordinates reported by the same set of reputers, with their Gram matrices.
struct Group {
	/// Which reputers reported these coordinates.
	present: Vec<bool>,
	/// Σ_c (V′_mc − D_c)(V′_nc − D_c): centred Gram matrix (R×R, row-major), for distances.
	centred: Vec<Fixed>,
	/// Σ_c V_mc V_nc for reporters m, n: for the consensus norm.
	raw: Vec<Fixed>,
}

/// The fast evaluator (see the module docs).
pub struct GramScores {
	groups: Vec<Group>,
	reputers: usize,
	stakes: Vec<Fixed>,
	params: ReputerParams,
}

impl GramScores {
	/// Precomputes the Gram matrices: O(R²·V).
	pub fn new(
		vectors: &[Vec<Option<Fixed>>],
		stakes: &[Fixed],
		params: ReputerParams,
	) -> Result<Self> {
		let len = check_vectors(vectors, stakes.len())?;
		let r = vectors.len();
		let fill = fillers(vectors, len);
		// Group coordinates by reporting pattern.
		let mut by_pattern: BTreeMap<Vec<bool>, Vec<usize>> = BTreeMap::new();
		for c in 0..len {
			let pattern: Vec<bool> =
				vectors.iter().map(|v| v.get(c).copied().flatten().is_some()).collect();
			by_pattern.entry(pattern).or_default().push(c);
		}
		let mut groups = Vec::with_capacity(by_pattern.len());
		for (present, coords) in by_pattern {
			// Centred, filled columns per reputer: V′_mc − D_c.
			let centred_rows: Vec<Vec<Fixed>> = vectors
				.iter()
				.map(|v| {
					coords
						.iter()
						.map(|&c| {
							let d = fill.get(c).copied().flatten().unwrap_or(Fixed::ZERO);
							let x = v.get(c).copied().flatten().unwrap_or(d);
							Ok(x.checked_sub(d)?)
						})
						.collect::<Result<Vec<_>>>()
				})
				.collect::<Result<_>>()?;
			// The fillers of these coordinates: V_mc = Ṽ_mc + D_c for every reporter m.
			let d: Vec<Fixed> = coords
				.iter()
				.map(|&c| fill.get(c).copied().flatten().unwrap_or(Fixed::ZERO))
				.collect();
			let d_dot: Vec<Fixed> = centred_rows
				.iter()
				.map(|row| allora_math::dot(row, &d))
				.collect::<core::result::Result<_, _>>()?;
			let dd = allora_math::dot(&d, &d)?;
			let mut centred = vec![Fixed::ZERO; r.saturating_mul(r)];
			let mut raw = vec![Fixed::ZERO; r.saturating_mul(r)];
			for m in 0..r {
				for n in m..r {
					let (Some(a), Some(b)) = (centred_rows.get(m), centred_rows.get(n)) else {
						return Err(Error::LengthMismatch);
					};
					let g = allora_math::dot(a, b)?;
					// ⟨V_m, V_n⟩ = ⟨Ṽ_m, Ṽ_n⟩ + ⟨Ṽ_m, D⟩ + ⟨Ṽ_n, D⟩ + ⟨D, D⟩ (only read for reporters).
					let dm = d_dot.get(m).copied().unwrap_or(Fixed::ZERO);
					let dn = d_dot.get(n).copied().unwrap_or(Fixed::ZERO);
					let u = g.checked_add(dm)?.checked_add(dn)?.checked_add(dd)?;
					for (i, j) in [(m, n), (n, m)] {
						let idx = i.saturating_mul(r).saturating_add(j);
						if let Some(slot) = centred.get_mut(idx) {
							*slot = g;
						}
						if let Some(slot) = raw.get_mut(idx) {
							*slot = u;
						}
					}
				}
			}
			groups.push(Group { present, centred, raw });
		}
		Ok(GramScores { groups, reputers: r, stakes: normalized(stakes)?, params })
	}

	fn at(matrix: &[Fixed], r: usize, i: usize, j: usize) -> Fixed {
		matrix.get(i.saturating_mul(r).saturating_add(j)).copied().unwrap_or(Fixed::ZERO)
	}
}

impl ScoreEvaluator for GramScores {
	fn scores(&self, coefficients: &[Fixed]) -> Result<Vec<Fixed>> {
		let r = self.reputers;
		let adjusted = adjusted_stakes(&self.stakes, coefficients)?;
		let mut dist2 = vec![Fixed::ZERO; r];
		let mut norm2 = Fixed::ZERO;
		for g in &self.groups {
			// β_n = Ŝ_n / Σ_{reporters} Ŝ for reporters, 0 otherwise.
			let beta = reporter_weights(&adjusted, &self.stakes, &g.present)?;
			// βᵀGβ for the centred and raw Gram matrices; Gβ for the cross terms.
			let mut g_beta = vec![Fixed::ZERO; r];
			let mut quad = DotAccumulator::new();
			let mut quad_raw = DotAccumulator::new();
			for (m, slot) in g_beta.iter_mut().enumerate() {
				let mut acc = DotAccumulator::new();
				let mut acc_raw = DotAccumulator::new();
				for (n, b) in beta.iter().enumerate() {
					if b.is_zero() {
						continue;
					}
					acc.add_product(Self::at(&g.centred, r, m, n), *b);
					acc_raw.add_product(Self::at(&g.raw, r, m, n), *b);
				}
				*slot = acc.total()?;
				let bm = beta.get(m).copied().unwrap_or(Fixed::ZERO);
				quad.add_product(*slot, bm);
				quad_raw.add_product(acc_raw.total()?, bm);
			}
			let quad = quad.total()?;
			norm2 = norm2.checked_add(quad_raw.total()?)?;
			// ‖V′_m − C‖² over the group = G_mm − 2(Gβ)_m + βᵀGβ.
			for (m, d) in dist2.iter_mut().enumerate() {
				let gm = g_beta.get(m).copied().unwrap_or(Fixed::ZERO);
				let term = Self::at(&g.centred, r, m, m)
					.checked_sub(gm.checked_mul_int(2)?)?
					.checked_add(quad)?;
				*d = d.checked_add(term)?;
			}
		}
		let norm = norm2.max(Fixed::ZERO).sqrt()?;
		dist2.iter().map(|d2| score((*d2).max(Fixed::ZERO).sqrt()?, norm, &self.params)).collect()
	}
}

/// The listening-coefficient gradient ascent of spec 5.6 with any evaluator.
pub fn optimize<E: ScoreEvaluator>(
	evaluator: &E,
	stakes: &[Fixed],
	initial: &[Fixed],
	params: &ReputerParams,
) -> Result<ReputerOutcome> {
	if stakes.len() != initial.len() {
		return Err(Error::LengthMismatch);
	}
	let stakes = normalized(stakes)?;
	let total_stake = Fixed::checked_sum(stakes.iter().copied())?;
	let stake_fraction = |a: &[Fixed]| -> Result<Fixed> {
		let mut acc = DotAccumulator::new();
		for (x, s) in a.iter().zip(stakes.iter()) {
			acc.add_product(*x, *s);
		}
		Ok(acc.total()?.checked_div(total_stake)?)
	};
	let weighted_score = |t: &[Fixed]| -> Result<Fixed> {
		let mut acc = DotAccumulator::new();
		for (x, s) in t.iter().zip(stakes.iter()) {
			acc.add_product(*x, *s);
		}
		Ok(acc.total()?)
	};
	let eta = params.learning_rate;
	let delta = Fixed::from_raw(1_000_000_000_000_000); // 0.001

	let mut coefficients = initial.to_vec();
	let mut scores: Option<Vec<Fixed>> = None;
	let mut start = coefficients.clone();
	let mut iteration: u32 = 0;
	let mut max_gradient = Fixed::ONE;
	while max_gradient >= params.max_gradient_threshold && iteration < params.max_iterations {
		let old = coefficients.clone();
		let base = evaluator.scores(&coefficients)?;
		let base_total = weighted_score(&base)?;
		let mut gradient = Vec::with_capacity(coefficients.len());
		for l in 0..coefficients.len() {
			let step = if coefficients.get(l) == Some(&Fixed::ONE) {
				delta.saturating_neg()
			} else {
				delta
			};
			let mut perturbed = coefficients.clone();
			if let Some(a) = perturbed.get_mut(l) {
				*a = a.checked_add(step)?;
			}
			let t = evaluator.scores(&perturbed)?;
			let ratio = base_total.checked_div(weighted_score(&t)?)?;
			gradient.push(Fixed::ONE.checked_sub(ratio)?.checked_div(step)?);
		}
		let new: Vec<Fixed> = coefficients
			.iter()
			.zip(gradient.iter())
			.map(|(a, g)| Ok(a.checked_add(eta.checked_mul(*g)?)?.clamp(Fixed::ZERO, Fixed::ONE)))
			.collect::<Result<_>>()?;
		let f_old = stake_fraction(&old)?;
		let f_new = stake_fraction(&new)?;
		if f_new < params.min_stake_fraction {
			if f_new == f_old {
				iteration = params.max_iterations;
			} else {
				// Move only as far as keeps the listened-to stake at the minimum.
				let t = params
					.min_stake_fraction
					.checked_sub(f_old)?
					.checked_div(f_new.checked_sub(f_old)?)?;
				coefficients = old
					.iter()
					.zip(new.iter())
					.map(|(o, n)| Ok(o.checked_add(n.checked_sub(*o)?.checked_mul(t)?)?))
					.collect::<Result<_>>()?;
			}
		} else {
			coefficients = new;
		}
		max_gradient = coefficients
			.iter()
			.zip(old.iter())
			.map(|(a, o)| a.checked_sub(*o).map(Fixed::abs))
			.collect::<core::result::Result<Vec<_>, _>>()?
			.into_iter()
			.max()
			.unwrap_or(Fixed::ZERO)
			.checked_div(eta)?;
		scores = Some(base);
		start = old;
		iteration = iteration.saturating_add(1);
	}
	let scores = match scores {
		Some(s) => s,
		None => evaluator.scores(&coefficients)?,
	};
	Ok(ReputerOutcome { scores, adjusted_stakes: adjusted_stakes(&stakes, &start)?, coefficients })
}

/// Reputer scores and new listening coefficients of a round with the fast evaluator.
pub fn reputer_scores(
	vectors: &[Vec<Option<Fixed>>],
	stakes: &[Fixed],
	coefficients: &[Fixed],
	params: &ReputerParams,
) -> Result<ReputerOutcome> {
	let evaluator = GramScores::new(vectors, stakes, *params)?;
	optimize(&evaluator, stakes, coefficients, params)
}

/// The same with the straightforward evaluator (benchmark baseline).
pub fn reputer_scores_baseline(
	vectors: &[Vec<Option<Fixed>>],
	stakes: &[Fixed],
	coefficients: &[Fixed],
	params: &ReputerParams,
) -> Result<ReputerOutcome> {
	let evaluator = DirectScores::new(vectors, stakes, *params)?;
	optimize(&evaluator, stakes, coefficients, params)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::testing::fx;

	/// Spec 10.6 `TestAdjustedStakeSimple`.
	#[test]
	fn adjusted_stake_matches_the_reference() {
		let s = adjusted_stakes(
			&[fx("50000"), fx("100000"), fx("150000")],
			&[fx("0.25"), fx("0.18"), fx("0.63")],
		)
		.unwrap_or_default();
		assert!(
			s[1].checked_sub(fx("0.432")).map(|d| d.abs() <= fx("0.0001")).unwrap_or(false),
			"{}",
			s[1]
		);
		assert_eq!(s[2], Fixed::ONE);
	}

	#[test]
	fn a_single_reputer_scores_one_over_epsilon() {
		let v = vec![vec![Some(fx("1")), Some(fx("-2"))]];
		let out = reputer_scores(&v, &[fx("5")], &[Fixed::ONE], &ReputerParams::defaults())
			.unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(out.scores, vec![fx("100")]);
	}

	#[test]
	fn fast_and_direct_evaluators_agree_with_missing_values() {
		let v = vec![
			vec![Some(fx("-6.1")), Some(fx("-5.2")), Some(fx("-4.9")), None],
			vec![Some(fx("-6.0")), None, Some(fx("-5.1")), Some(fx("-3.3"))],
			vec![Some(fx("-6.3")), Some(fx("-5.0")), Some(fx("-4.7")), Some(fx("-3.1"))],
		];
		let stakes = [fx("100"), fx("250"), fx("75")];
		let coefs = [fx("1"), fx("0.8"), fx("0.6")];
		let p = ReputerParams::defaults();
		let fast =
			GramScores::new(&v, &stakes, p).and_then(|e| e.scores(&coefs)).unwrap_or_default();
		let slow =
			DirectScores::new(&v, &stakes, p).and_then(|e| e.scores(&coefs)).unwrap_or_default();
		assert_eq!(fast.len(), 3);
		for (a, b) in fast.iter().zip(slow.iter()) {
			assert!(
				a.checked_sub(*b).map(|d| d.abs() <= Fixed::from_raw(1_000_000)).unwrap_or(false),
				"{a} vs {b}"
			);
		}
	}

	#[test]
	fn a_coordinate_only_unlistened_reputers_reported_still_has_a_consensus() {
		// Reputer 1 is not listened to (coefficient 0) and alone reports the second loss; on
		// the old code its consensus divided by zero and the whole settlement failed. With
		// every coefficient 0 the adjusted stakes used to divide by zero as well.
		let vectors = vec![vec![Some(fx("-2")), None], vec![Some(fx("-2.5")), Some(fx("-1"))]];
		let stakes = [fx("100"), fx("10")];
		let p = ReputerParams::defaults();
		for coefficients in [[Fixed::ONE, Fixed::ZERO], [Fixed::ZERO, Fixed::ZERO]] {
			let fast = reputer_scores(&vectors, &stakes, &coefficients, &p);
			let direct = reputer_scores_baseline(&vectors, &stakes, &coefficients, &p);
			assert!(fast.is_ok() && direct.is_ok(), "{fast:?} {direct:?}");
			assert_eq!(fast.map(|o| o.scores.len()), Ok(2));
		}
		assert_eq!(
			adjusted_stakes(&stakes, &[Fixed::ZERO, Fixed::ZERO]),
			Ok(vec![Fixed::ZERO, Fixed::ZERO])
		);
	}

	#[test]
	fn mismatched_inputs_are_errors() {
		let v = vec![vec![Some(fx("1"))], vec![Some(fx("1")), Some(fx("2"))]];
		let p = ReputerParams::defaults();
		assert_eq!(
			reputer_scores(&v, &[fx("1"), fx("1")], &[fx("1"), fx("1")], &p).map(|o| o.scores),
			Err(Error::LengthMismatch)
		);
		assert_eq!(reputer_scores(&[], &[], &[], &p).map(|o| o.scores), Err(Error::NoReputers));
		let v = vec![vec![Some(fx("1"))]];
		assert_eq!(
			reputer_scores(&v, &[Fixed::ZERO], &[fx("1")], &p).map(|o| o.scores),
			Err(Error::NoReputers)
		);
	}
}
