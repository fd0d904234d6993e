//! 256-bit helpers for 128-bit fixed point: exact `floor(a * b / c)` on `u128`.

/// `floor(a * b / c)`, or `None` when `c == 0` or the quotient does not fit in `u128`.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
	if c == 0 {
		return None;
	}
	if let Some(p) = a.checked_mul(b) {
		return p.checked_div(c);
	}
	let (hi, lo) = mul_wide(a, b);
	div_wide(hi, lo, c)
}

/// The full 256-bit product of two `u128` as `(high, low)` halves.
pub(crate) fn mul_wide(a: u128, b: u128) -> (u128, u128) {
	const MASK: u128 = u64::MAX as u128;
	let (a1, a0) = (a >> 64, a & MASK);
	let (b1, b0) = (b >> 64, b & MASK);
	// Each partial product of 64-bit halves fits in u128.
	let p00 = a0.wrapping_mul(b0);
	let p01 = a0.wrapping_mul(b1);
	let p10 = a1.wrapping_mul(b0);
	let p11 = a1.wrapping_mul(b1);
	let mid = (p00 >> 64).wrapping_add(p01 & MASK).wrapping_add(p10 & MASK);
	let lo = (p00 & MASK) | (mid << 64);
	let hi = p11.wrapping_add(p01 >> 64).wrapping_add(p10 >> 64).wrapping_add(mid >> 64);
	(hi, lo)
}

/// `floor((hi·2^128 + lo) / c)` if it fits in `u128` (requires `hi < c`).
pub(crate) fn div_wide(hi: u128, lo: u128, c: u128) -> Option<u128> {
	if hi >= c {
		return None;
	}
	// Restoring binary long division over the low 128 bits; the remainder stays below c.
	let mut rem = hi;
	let mut quot: u128 = 0;
	for i in (0..128u32).rev() {
		let carry = rem >> 127;
		rem = (rem << 1) | ((lo >> i) & 1);
		quot <<= 1;
		if carry == 1 || rem >= c {
			rem = rem.wrapping_sub(c);
			quot |= 1;
		}
	}
	Some(quot)
}

/// Integer square root: the largest `r` with `r * r <= n`.
pub fn isqrt(n: u128) -> u128 {
	if n < 2 {
		return n;
	}
	// Start above the root (2^ceil(bits/2)) and descend with Newton's method.
	let bits = 128u32.saturating_sub(n.leading_zeros());
	let mut x: u128 = 1u128 << bits.div_ceil(2).min(127);
	loop {
		let y = (x.saturating_add(n.checked_div(x).unwrap_or(n))) >> 1;
		if y >= x {
			return x;
		}
		x = y;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn mul_div_matches_narrow_arithmetic_and_handles_wide_products() {
		assert_eq!(mul_div_floor(6, 7, 4), Some(10));
		assert_eq!(mul_div_floor(1, 1, 0), None);
		let big = u128::MAX;
		assert_eq!(mul_div_floor(big, big, big), Some(big));
		assert_eq!(mul_div_floor(big, 3, 3), Some(big));
		assert_eq!(mul_div_floor(big, 2, 1), None);
		// (2^127 - 1) * 10^18 / 10^18
		let x = i128::MAX as u128;
		assert_eq!(mul_div_floor(x, 1_000_000_000_000_000_000, 1_000_000_000_000_000_000), Some(x));
		assert_eq!(mul_div_floor(1 << 100, 1 << 100, 1 << 90), Some(1 << 110));
	}

	#[test]
	fn isqrt_is_exact_floor() {
		for n in [0u128, 1, 2, 3, 4, 15, 16, 17, 99, 100, 101, u64::MAX as u128, u128::MAX] {
			let r = isqrt(n);
			assert!(r.checked_mul(r).is_some_and(|s| s <= n), "{n}");
			let r1 = r + 1;
			assert!(r1.checked_mul(r1).is_none_or(|s| s > n), "{n}");
		}
	}
}
