//! Property tests of the fixed-point functions against `f64` over the domains the mechanism
//! uses (spec 4.3, 6.4-6.5, 13.2). Floats appear only here, as the reference.

#![allow(clippy::float_arithmetic, clippy::unwrap_used, clippy::arithmetic_side_effects)]

use allora_math::Fixed;
use proptest::prelude::*;

fn to_f64(x: Fixed) -> f64 {
	x.into_raw() as f64 / 1e18
}

fn from_f64(x: f64) -> Fixed {
	Fixed::from_raw((x * 1e18) as i128)
}

/// |got − want| ≤ rel·|want| + abs.
fn check(got: Fixed, want: f64, rel: f64, abs: f64) -> Result<(), TestCaseError> {
	let g = to_f64(got);
	prop_assert!((g - want).abs() <= rel * want.abs() + abs, "got {g}, want {want}");
	Ok(())
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(4000))]

	/// The weight map's exponent range [−6.75, 17.25] and the whole range beyond.
	#[test]
	fn exp_matches_f64(x in -41.0f64..46.0) {
		let fx = from_f64(x);
		check(fx.exp().unwrap(), to_f64(fx).exp(), 1e-14, 2e-18)?;
	}

	#[test]
	fn ln_matches_f64(x in 1e-17f64..1.0e20) {
		let fx = from_f64(x);
		prop_assume!(fx.is_positive());
		check(fx.ln().unwrap(), to_f64(fx).ln(), 1e-14, 1e-17)?;
	}

	#[test]
	fn ln_of_exp_round_trips(x in -10.0f64..40.0) {
		let fx = from_f64(x);
		let back = fx.exp().unwrap().ln().unwrap();
		// exp(−10) ≈ 4.5e-5 carries 2e-18 absolute error: ≤ 5e-14 after ln.
		prop_assert!((to_f64(back) - to_f64(fx)).abs() <= 1e-13, "x {x} back {back}");
	}

	/// Exponents of (N_eff/n)^β, (S·T)^p and S^μ.
	#[test]
	fn pow_matches_f64(x in 1e-6f64..1e6, y in -3.0f64..3.0) {
		let (fx, fy) = (from_f64(x), from_f64(y));
		let want = to_f64(fx).powf(to_f64(fy));
		prop_assume!(want < 1e19);
		check(fx.pow(fy).unwrap(), want, 1e-12, 1e-17)?;
	}

	#[test]
	fn sqrt_matches_f64(x in 0.0f64..1.7e20) {
		let fx = from_f64(x);
		let r = fx.sqrt().unwrap();
		check(r, to_f64(fx).sqrt(), 1e-15, 1e-18)?;
		// Exact floor: r² ≤ x < (r + ε)².
		let raw = fx.into_raw().unsigned_abs();
		let r_raw = r.into_raw().unsigned_abs();
		prop_assert!(r_raw.checked_mul(r_raw).map_or(true, |sq| sq / 1_000_000_000_000_000_000 <= raw));
	}

	#[test]
	fn mul_then_div_round_trips(a in -1e9f64..1e9, b in 1e-3f64..1e6) {
		let (fa, fb) = (from_f64(a), from_f64(b));
		let p = fa.checked_mul(fb).unwrap();
		check(p, to_f64(fa) * to_f64(fb), 1e-15, 1e-18)?;
		let q = p.checked_div(fb).unwrap();
		check(q, to_f64(fa), 1e-12, 1e-15)?;
	}

	#[test]
	fn operations_never_panic(a in any::<i128>(), b in any::<i128>(), n in any::<i32>()) {
		let (fa, fb) = (Fixed::from_raw(a), Fixed::from_raw(b));
		let _ = fa.checked_add(fb);
		let _ = fa.checked_sub(fb);
		let _ = fa.checked_mul(fb);
		let _ = fa.checked_div(fb);
		let _ = fa.checked_mul_div(fb, fa);
		let _ = fa.exp();
		let _ = fa.ln();
		let _ = fa.sqrt();
		let _ = fa.pow(fb);
		let _ = fa.powi(n % 64);
		let _ = format!("{fa}").parse::<Fixed>();
	}

	#[test]
	fn display_parses_back_exactly(a in any::<i128>()) {
		let fa = Fixed::from_raw(a.max(-i128::MAX));
		prop_assert_eq!(format!("{fa}").parse::<Fixed>(), Ok(fa));
	}
}
