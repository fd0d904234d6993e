//! `exp`, `ln`, `pow`, `powi` and `sqrt` on [`Fixed`].
//!
//! `exp` works in binary fixed point (a base-2 reduction, a 64-entry table and an 8-term
//! series at 126 bits, no division) and returns the floor of the true value within 2 units of
//! the last place (10^-18), relative for results ≥ 1, absolute below 1. `ln` reduces with a
//! 36-digit ln 2 and sums a short series at 18 digits (a few units of the last place).
//! `sqrt` is the exact floor.

use crate::{
	wide::{isqrt, mul_div_floor, mul_wide},
	Fixed, MathError, MathResult,
};

const SCALE: i128 = Fixed::SCALE;
/// ln 2 · 10^36 (truncated).
const LN2_36: i128 = 693_147_180_559_945_309_417_232_121_458_176_568;
/// ln 2 · 10^18 (rounded).
#[cfg(test)]
const LN2: i128 = 693_147_180_559_945_309;
/// Largest argument of `exp` whose result fits: ln(i128::MAX / 10^18) ≈ 46.5807.
const EXP_MAX: i128 = 46_580_000_000_000_000_000;
/// Below this, `exp` is smaller than 10^-18 and returns 0.
const EXP_MIN: i128 = -42 * SCALE;
/// 1/√2 · 10^18: lower end of the mantissa range of `ln`.
const INV_SQRT2: i128 = 707_106_781_186_547_524;

impl Fixed {
	/// e^self. Fails with [`MathError::Overflow`] above ≈ 46.58; returns 0 below −42.
	/// Computed in binary fixed point (see [`exp_binary`]): the result is the floor of the
	/// true value within 2 units of the last place (10^-18) relative for results ≥ 1, and
	/// within 2 units absolute below 1.
	pub fn exp(self) -> MathResult {
		let x = self.into_raw();
		if x == 0 {
			return Ok(Fixed::ONE);
		}
		if x > EXP_MAX {
			return Err(MathError::Overflow);
		}
		if x < EXP_MIN {
			return Ok(Fixed::ZERO);
		}
		exp_binary(x).map(Fixed::from_raw)
	}

	/// Natural logarithm; [`MathError::Domain`] for x ≤ 0. Error ≤ 8e-18 absolute.
	pub fn ln(self) -> MathResult {
		let x = self.into_raw();
		if x <= 0 {
			return Err(MathError::Domain);
		}
		let raw = x.unsigned_abs();
		// x = m · 2^k with m ∈ [1/√2, √2) (as raw values around SCALE).
		let msb = 127i32.saturating_sub(raw.leading_zeros() as i32);
		let mut k: i32 = msb.saturating_sub(59);
		let mut m: i128 = if k >= 0 {
			i128::try_from(raw >> k.unsigned_abs()).map_err(|_| MathError::Overflow)?
		} else {
			i128::try_from(raw << k.unsigned_abs()).map_err(|_| MathError::Overflow)?
		};
		if m < INV_SQRT2 {
			m = m.saturating_mul(2);
			k = k.saturating_sub(1);
		}
		// ln m = 2·atanh(z), z = (m − 1)/(m + 1), |z| ≤ 0.172.
		let num = m.saturating_sub(SCALE);
		let den = m.saturating_add(SCALE);
		let z = num
			.checked_mul(SCALE)
			.ok_or(MathError::Overflow)?
			.checked_div(den)
			.ok_or(MathError::DivisionByZero)?;
		let z2 = z.saturating_mul(z) / SCALE;
		// atanh(z)/z = Σ z^{2i}/(2i+1), in Horner form over z² (|z²| < 0.03, 14 terms).
		let mut series: i128 = SCALE / 29;
		let mut d: i128 = 27;
		while d >= 1 {
			let coefficient = SCALE.checked_div(d).ok_or(MathError::DivisionByZero)?;
			series = coefficient.saturating_add(series.saturating_mul(z2) / SCALE);
			d = d.saturating_sub(2);
		}
		let sum = z.saturating_mul(series) / SCALE;
		let k_ln2 = i128::from(k).saturating_mul(LN2_36) / SCALE;
		Ok(Fixed::from_raw(sum.saturating_mul(2).saturating_add(k_ln2)))
	}

	/// self^n for an integer n (square-and-multiply; negative n via the reciprocal).
	pub fn powi(self, n: i32) -> MathResult {
		let mut base = self;
		let mut e = n.unsigned_abs();
		let mut acc = Fixed::ONE;
		while e > 0 {
			if e & 1 == 1 {
				acc = acc.checked_mul(base)?;
			}
			e >>= 1;
			if e > 0 {
				base = base.checked_mul(base)?;
			}
		}
		if n < 0 {
			acc.checked_recip()
		} else {
			Ok(acc)
		}
	}

	/// self^y for a real exponent: `powi` for integer y (|y| ≤ 1024), else e^(y·ln self).
	/// 0^y is 0 for y > 0 and an error for y < 0; a negative base needs an integer exponent.
	pub fn pow(self, y: Fixed) -> MathResult {
		if y.is_zero() {
			return Ok(Fixed::ONE);
		}
		if y.into_raw() % SCALE == 0 {
			let n = y.into_raw() / SCALE;
			if n.unsigned_abs() <= 1024 {
				return self.powi(i32::try_from(n).map_err(|_| MathError::Overflow)?);
			}
		}
		if self.is_zero() {
			return if y.is_positive() { Ok(Fixed::ZERO) } else { Err(MathError::DivisionByZero) };
		}
		if self.is_negative() {
			return Err(MathError::Domain);
		}
		y.checked_mul(self.ln()?)?.exp()
	}

	/// Square root, the exact floor at 18 decimals; [`MathError::Domain`] for x < 0.
	pub fn sqrt(self) -> MathResult {
		let x = self.into_raw();
		if x < 0 {
			return Err(MathError::Domain);
		}
		let raw = x.unsigned_abs();
		let scale = SCALE.unsigned_abs();
		let root = match raw.checked_mul(scale) {
			Some(n) => isqrt(n),
			None => {
				// Newton's method on n = raw · 10^18 (256-bit), from above.
				let mut y = isqrt(raw).saturating_add(1).saturating_mul(1_000_000_000);
				loop {
					let q = mul_div_floor(raw, scale, y).ok_or(MathError::Overflow)?;
					let next = (y.saturating_add(q)) >> 1;
					if next >= y {
						break y;
					}
					y = next;
				}
			},
		};
		i128::try_from(root).map(Fixed::from_raw).map_err(|_| MathError::Overflow)
	}
}

/// log2(e) · 2^128 / 10^18 (floor): turns a raw decimal value into base-2 exponent units, Q.64.
const LOG2E_Q128_PER_SCALE: u128 = 490_923_683_258_796_565_746;
/// ln 2 · 2^127 (floor).
const LN2_Q127: u128 = 117_932_881_612_756_647_068_972_071_382_077_242_199;
/// 2^(j/64) · 2^126 (rounded), j = 0..63.
const EXP2_TABLE: [u128; 64] = [
	85070591730234615865843651857942052864,
	85996949738172564171768559522682662778,
	86933395123445232202203881353308079616,
	87880037730389929160008256924636056257,
	88836988599470374367423455078235398361,
	89804359980301659899857916606320039083,
	90782265344817045763602275753936501425,
	91770819400578132072619176229110235233,
	92770138104229969497563536105904709192,
	93780338675102686261339418211645445787,
	94801539608961227141780050377751784035,
	95833860691904817315464251029164868593,
	96877423014417781439293439838279001324,
	97932348985573366120308631589089781620,
	98998762347392231871408837810926972714,
	100076788189357298793246326062349947234,
	101166552963086648562748325914308868987,
	102268184497166203848600312289605385815,
	103381812012143925015797655451971493776,
	104507566135687282927228598280913210758,
	105645578917905785802414540155420212969,
	106795983846840357454250007075878333653,
	107958915864121383796125467008540602196,
	109134511380797264296477034810848637175,
	110322908293335325057908828286558418958,
	111524245999796970415922282771881376088,
	112738665416188970390333649243292106042,
	113966308992992801983063557750800711741,
	115207320731873983201564397124195260258,
	116461846202573359800162206372781991961,
	117730032559982326074506333259222265543,
	119012028561403982619645799188205480142,
	120307984584002255772516886238812528464,
	121618052642441025507390259585652231469,
	122942386406715330840674142760471999185,
	124281141220176744332017021985047036358,
	125634474117755030044541885320670992317,
	127002543844378222350945697173616483368,
	128385510873593286246813355070822826971,
	129783537426389543360554868422787996961,
	131196787490227071633637761851916734364,
	132625426838272310688043614724098626495,
	134069623048843129202948459678084412607,
	135529545525065635192362442673544887150,
	137005365514745034912746706836223779703,
	138497256130452871237368296676233734785,
	140005392369832997715302107388381700116,
	141529951136128670190519715452995966509,
	143071111258933163793427930652159156207,
	144629053515166349336577487403041723862,
	146203960650279689651129955853161256242,
	147796017399692143194157701465421067309,
	149405410510459489342100411628309289445,
	151032328763179617165889418398926636918,
	152676962994136347161589453188473149558,
	154339506117684383390143220248131167215,
	156020153148878021764219273105743751805,
	157719101226346268812575862195602455945,
	159436549635417054156116561196275391625,
	161172699831493249148317963658158816550,
	162927755463683233669382878899083151330,
	164701922398688782921778876351641017205,
	166495408744953076258264087380181827558,
	168308424877071660585620368034156803842,
];

/// floor(2^126 / n!), n = 0..8: the Taylor coefficients of e^u in Q.126.
const INV_FACTORIAL_Q126: [u128; 9] = [
	85070591730234615865843651857942052864,
	85070591730234615865843651857942052864,
	42535295865117307932921825928971026432,
	14178431955039102644307275309657008810,
	3544607988759775661076818827414252202,
	708921597751955132215363765482850440,
	118153599625325855369227294247141740,
	16879085660760836481318184892448820,
	2109885707595104560164773111556102,
];

/// floor(a · b / 2^126) for a, b < 2^127.
fn mul_q126(a: u128, b: u128) -> u128 {
	let (hi, lo) = mul_wide(a, b);
	(hi << 2) | (lo >> 126)
}

/// e^(x / 10^18) as a raw value, for EXP_MIN ≤ x ≤ EXP_MAX, without a single division:
/// y = x · log2 e in Q.64 (one 256-bit product), 2^y = 2^n · 2^(j/64) · e^(u) with the
/// integer part n, a 64-entry table for the next 6 bits and an 8-term series for the rest
/// (u < ln2/64, term 9 below 10^-20), all in Q.126; then one product by 10^18 and a shift.
fn exp_binary(x: i128) -> MathResult<i128> {
	const FRACTION: u128 = (1 << 64) - 1;
	let (hi, lo) = mul_wide(x.unsigned_abs(), LOG2E_Q128_PER_SCALE);
	// |x| < 2^66 and the constant < 2^69: the product < 2^135, so hi < 2^7.
	let y = (hi << 64) | (lo >> 64);
	let (whole, fraction) = (y >> 64, y & FRACTION);
	let whole = i32::try_from(whole).map_err(|_| MathError::Overflow)?;
	// y ≥ 0: 2^y = 2^whole · 2^fraction; y < 0: 2^−y = 2^(−whole − 1) · 2^(1 − fraction).
	let (n, f) = if x > 0 || fraction == 0 {
		(if x > 0 { whole } else { whole.saturating_neg() }, fraction)
	} else {
		(whole.saturating_neg().saturating_sub(1), (1u128 << 64).saturating_sub(fraction))
	};
	let index = usize::try_from(f >> 58).map_err(|_| MathError::Overflow)?;
	let table = *EXP2_TABLE.get(index).ok_or(MathError::Overflow)?;
	// u = (f mod 2^58) / 2^64 · ln 2 < ln2/64, in Q.126.
	let (uh, ul) = mul_wide(f & ((1 << 58) - 1), LN2_Q127);
	let u = (uh << 63) | (ul >> 65);
	let mut series = *INV_FACTORIAL_Q126.get(8).ok_or(MathError::Overflow)?;
	for c in INV_FACTORIAL_Q126.iter().rev().skip(1) {
		series = c.saturating_add(mul_q126(u, series));
	}
	let mantissa = mul_q126(table, series);
	// raw = mantissa · 10^18 / 2^(126 − n); the 256-bit product < 2^187.
	let (ph, pl) = mul_wide(mantissa, SCALE.unsigned_abs());
	let shift = 126i32.saturating_sub(n);
	let raw = if shift >= 256 {
		0
	} else if shift >= 128 {
		ph >> shift.saturating_sub(128).unsigned_abs()
	} else if shift > 0 {
		let s = shift.unsigned_abs();
		if ph >> s != 0 {
			return Err(MathError::Overflow);
		}
		(ph << 128u32.saturating_sub(s)) | (pl >> s)
	} else {
		return Err(MathError::Overflow);
	};
	i128::try_from(raw).map_err(|_| MathError::Overflow)
}

#[cfg(test)]
mod tests {
	use super::*;

	impl Fixed {
		/// The former implementation (36-digit reduction, 24-term decimal series): the reference
		/// the binary one is checked against.
		/// e^self. Fails with [`MathError::Overflow`] above ≈ 46.58; returns 0 below −42.
		/// Error: ≤ 4e-18 relative for results ≥ 1 (plus 2^k amplification of a 2-unit series
		/// error for e^x ≥ 2^k), ≤ 3e-18 absolute below 1.
		fn exp_series(self) -> MathResult {
			let x = self.into_raw();
			if x == 0 {
				return Ok(Fixed::ONE);
			}
			if x > EXP_MAX {
				return Err(MathError::Overflow);
			}
			if x < EXP_MIN {
				return Ok(Fixed::ZERO);
			}
			// k = round(x / ln 2); r = x − k·ln 2 with |r| ≤ ln2/2, computed at 36 digits.
			let half = if x >= 0 { LN2 / 2 } else { -(LN2 / 2) };
			let k = x.checked_add(half).ok_or(MathError::Overflow)? / LN2;
			let x36 = x.checked_mul(SCALE).ok_or(MathError::Overflow)?;
			let r36 = x36
				.checked_sub(k.checked_mul(LN2_36).ok_or(MathError::Overflow)?)
				.ok_or(MathError::Overflow)?;
			let r = r36 / SCALE;

			// Taylor series of e^r in Horner form, 1 + r(1 + r/2(1 + r/3(…))): each step's
			// truncation is damped by |r|/n < 0.35, so the total error stays below 2 units.
			let mut sum = SCALE;
			let mut n: i128 = 24;
			while n >= 1 {
				let term = sum.checked_mul(r).ok_or(MathError::Overflow)? / SCALE;
				sum = SCALE.saturating_add(term.checked_div(n).ok_or(MathError::DivisionByZero)?);
				n = n.saturating_sub(1);
			}

			let shifted = if k >= 0 {
				let k = u32::try_from(k).map_err(|_| MathError::Overflow)?;
				let v = sum.checked_shl(k).ok_or(MathError::Overflow)?;
				// checked_shl does not detect lost high bits: verify by shifting back.
				if v.checked_shr(k) != Some(sum) || v < 0 {
					return Err(MathError::Overflow);
				}
				v
			} else {
				let k = u32::try_from(k.unsigned_abs()).map_err(|_| MathError::Overflow)?;
				if k >= 127 {
					0
				} else {
					sum >> k
				}
			};
			Ok(Fixed::from_raw(shifted))
		}
	}

	fn fx(s: &str) -> Fixed {
		s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
	}

	fn close(a: Fixed, b: Fixed, ulps: i128) -> bool {
		a.into_raw().abs_diff(b.into_raw()) <= ulps.unsigned_abs()
	}

	#[test]
	fn exp_of_known_points() {
		assert_eq!(Fixed::ZERO.exp(), Ok(Fixed::ONE));
		let e = Fixed::ONE.exp().unwrap_or_default();
		assert!(close(e, fx("2.718281828459045235"), 6), "{e}");
		let e10 = fx("10").exp().unwrap_or_default();
		assert!(close(e10, fx("22026.465794806716516957"), 40_000), "{e10}");
		let em1 = fx("-1").exp().unwrap_or_default();
		assert!(close(em1, fx("0.367879441171442321"), 3), "{em1}");
		assert_eq!(fx("47").exp(), Err(MathError::Overflow));
		assert_eq!(fx("-43").exp(), Ok(Fixed::ZERO));
		assert!(fx("46.5").exp().is_ok());
	}

	/// e^x to 100 digits, floored to 18 decimals (Python `decimal`).
	const EXP_POINTS: [(&str, i128); 14] = [
		("1", 2718281828459045235),
		("10", 22026465794806716516957),
		("20.5", 799902177475505406704598837),
		("46.5", 156564540778558341656976215902554456241),
		("46.58", 169604342281880938541799680725274439369),
		("-5.25", 5247518399181384),
		("-41.9", 0),
		("0.3", 1349858807576003103),
		("0.000000000000000001", 1000000000000000001),
		("-0.000000000000000001", 999999999999999999),
		("2.302585092994045684", 9999999999999999999),
		("-1", 367879441171442321),
		("33.333333333333333333", 299559246914181864303742752792782),
		("0.693147180559945309", 1999999999999999999),
	];

	#[test]
	fn exp_is_the_floor_within_two_units_of_the_last_place() {
		for (x, floor) in EXP_POINTS {
			let got = fx(x).exp().map(Fixed::into_raw).unwrap_or(-1);
			// 2 units relative for results ≥ 1 (2·10^-18 · value), 2 units absolute below.
			let tolerance = (floor / Fixed::SCALE).max(1).saturating_mul(2);
			assert!(got <= floor.saturating_add(1), "e^{x} = {got} above the floor {floor}");
			assert!(floor.saturating_sub(got) <= tolerance, "e^{x} = {got}, floor {floor}");
		}
	}

	#[test]
	fn the_binary_exp_agrees_with_the_decimal_series_everywhere() {
		// 11 000 points over the whole domain (an odd step reaches every residue pattern).
		let step: i128 = 8_053_987_654_321_011;
		let mut x = EXP_MIN;
		let mut points = 0;
		while x <= EXP_MAX {
			let fast = Fixed::from_raw(x).exp().map(Fixed::into_raw).unwrap_or(-1);
			let series = Fixed::from_raw(x).exp_series().map(Fixed::into_raw).unwrap_or(-1);
			// The series' error grows with 2^k for large results (k = x / ln 2, up to 67):
			// 10^-16 relative covers it; below 1 both are within a few units.
			let tolerance = (series / 10_000_000_000_000_000).max(6);
			assert!(
				fast.abs_diff(series) <= tolerance.unsigned_abs(),
				"x = {x}: {fast} vs {series}"
			);
			x = x.saturating_add(step);
			points += 1;
		}
		assert!(points > 10_000);
		assert_eq!(Fixed::from_raw(EXP_MAX).exp().map(|v| v.is_positive()), Ok(true));
		assert_eq!(Fixed::from_raw(EXP_MAX + 1).exp(), Err(MathError::Overflow));
		assert_eq!(Fixed::from_raw(EXP_MIN).exp(), Ok(Fixed::ZERO));
	}

	#[test]
	fn ln_of_known_points() {
		assert_eq!(Fixed::ONE.ln(), Ok(Fixed::ZERO));
		for (x, want) in [
			("2", "0.693147180559945309"),
			("10", "2.302585092994045684"),
			("0.001", "-6.907755278982137052"),
			("0.000000000000000001", "-41.446531673892822312"),
			("100000000000000000000", "46.051701859880913680"),
			("1.2345", "0.210666029803097141"),
		] {
			let got = fx(x).ln().unwrap_or_default();
			assert!(close(got, fx(want), 8), "ln {x} = {got}, want {want}");
		}
		assert_eq!(Fixed::ZERO.ln(), Err(MathError::Domain));
		assert_eq!(fx("-1").ln(), Err(MathError::Domain));
	}

	#[test]
	fn pow_and_powi() {
		assert_eq!(fx("2").pow(fx("10")), Ok(fx("1024")));
		assert_eq!(fx("2").powi(-2), Ok(fx("0.25")));
		assert_eq!(fx("-2").pow(fx("3")), Ok(fx("-8")));
		assert_eq!(fx("-2").pow(fx("0.5")), Err(MathError::Domain));
		assert_eq!(Fixed::ZERO.pow(fx("0.5")), Ok(Fixed::ZERO));
		assert_eq!(Fixed::ZERO.pow(fx("-0.5")), Err(MathError::DivisionByZero));
		assert_eq!(fx("7").pow(Fixed::ZERO), Ok(Fixed::ONE));
		let r = fx("16").pow(fx("0.25")).unwrap_or_default();
		assert!(close(r, fx("2"), 10), "{r}");
		let r = fx("0.75").pow(fx("0.25")).unwrap_or_default();
		assert!(close(r, fx("0.930604859102099598"), 10), "{r}");
	}

	#[test]
	fn sqrt_is_the_exact_floor() {
		assert_eq!(fx("4").sqrt(), Ok(fx("2")));
		assert_eq!(fx("2").sqrt(), Ok(fx("1.414213562373095048")));
		assert_eq!(fx("0.0001").sqrt(), Ok(fx("0.01")));
		assert_eq!(fx("1e20").sqrt(), Ok(fx("1e10")));
		assert_eq!(fx("1.5e20").sqrt(), Ok(fx("12247448713.915890490986420373")));
		assert_eq!(Fixed::MAX.sqrt().map(|r| r.trunc_to_i128()), Ok(13_043_817_825));
		assert_eq!(fx("-1").sqrt(), Err(MathError::Domain));
		assert_eq!(Fixed::ZERO.sqrt(), Ok(Fixed::ZERO));
	}
}
