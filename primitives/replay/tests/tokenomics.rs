//! The emission columns of the tokenomics simulator (`../shared/data/allora-tokenomics-sim-epochs.csv`,
//! 96 months) through `allora_synthesis::emission`, month by month to relative 1e-6 (spec 8.3,
//! 10.6).
//!
//! Month e's recalculation reads month e−1's state (treasury, staked, circulating). In months
//! 12-36 the simulator first unlocks the month's vested tokens and stakes 75 % of them (spec
//! 14.3). The chain's lock is evaluated at the recalculation block, so the unlock is included
//! as in the simulator; its stake is what is staked at that block (the reference Go code's
//! ordering), which cannot include tokens unlocked in that very block. Those months are
//! checked with the simulator's inputs (the formulas agree), and the chain's ordering is shown
//! to give a higher target per staked token.

use allora_math::Fixed;
use allora_replay::{compare::relative_error, Table};
use allora_synthesis::emission::{locked_vesting, monthly_emission, EmissionParams, Supply};
use std::path::PathBuf;

fn tokenomics() -> Option<Table> {
	let shared = std::env::var_os("ALLORA_SHARED_DIR").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(
			std::env::var_os("CARGO_MANIFEST_DIR")
				.unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
		)
		.join("../../../shared")
	});
	let path = shared.join("data/allora-tokenomics-sim-epochs.csv");
	let text = match std::fs::read_to_string(&path) {
		Ok(t) => t,
		Err(e) => {
			assert!(std::env::var_os("CI").is_none(), "{} is required in CI: {e}", path.display());
			eprintln!("SKIPPED: {} is missing (set ALLORA_SHARED_DIR)", path.display());
			return None;
		},
	};
	// The `time` column (a date) is the only non-numeric one.
	let numeric: Vec<String> = text
		.lines()
		.map(|l| {
			let mut cells: Vec<&str> = l.split(',').collect();
			cells.remove(1);
			cells.join(",")
		})
		.collect();
	Some(Table::parse(&numeric.join("\n")).expect("the tokenomics file parses"))
}

fn fx(s: &str) -> Fixed {
	s.parse().unwrap()
}

/// The simulator's settings: f_stakers = 0.5 (v = 0.25, r = 1/3), ξ_max = 1.12^(1/12) − 1.
fn params() -> EmissionParams {
	EmissionParams {
		f_emission: fx("0.025"),
		smoothing_degree: fx("0.1"),
		max_monthly_yield: fx("0.009488792934583046"),
		validators_share: fx("0.25"),
	}
}

fn close(got: Fixed, want: Fixed, what: &str, month: usize) {
	let err = relative_error(got, want);
	assert!(err <= fx("0.000001"), "month {month} {what}: {got} vs {want} (relative {err})");
}

#[test]
fn emission_columns_match_the_tokenomics_simulator_month_by_month() {
	let Some(t) = tokenomics() else { return };
	let g = |row: usize, c: &str| t.get(row, c).unwrap_or_else(|| panic!("{c} of row {row}"));
	let p = params();
	let r = Fixed::from_rational(1, 3).unwrap();
	let vested_total = g(0, "investors_preseed_tokens_total")
		.checked_add(g(0, "investors_seed_tokens_total"))
		.unwrap()
		.checked_add(g(0, "team_tokens_total"))
		.unwrap();
	let mut previous = None;
	for month in 1..t.rows.len() {
		let prev = month - 1;
		let max_supply = g(prev, "network_tokens_total");
		let treasury = g(prev, "ecosystem_tokens_total");
		let circulating = g(prev, "network_tokens_circulating");
		let mut staked = g(prev, "network_tokens_staked");
		// The file's circulating supply, expressed as the locked amount the function takes.
		let mut locked =
			max_supply.checked_sub(treasury).unwrap().checked_sub(circulating).unwrap();
		if (12..=36).contains(&month) {
			// Spec 14.3: in the vesting months the simulator unlocks this month's tokens (as the
			// chain's lock at the recalculation block does) and also stakes 75 % of them before
			// it computes (which the chain cannot: its stake is what is staked at that block).
			let full = vested_total.to_base_units().unwrap();
			let newly = locked_vesting(full, month as u32 - 1) - locked_vesting(full, month as u32);
			let chain = monthly_emission(
				&p,
				&Supply {
					max_supply,
					treasury,
					staked,
					locked: locked.checked_sub(Fixed::from_base_units(newly).unwrap()).unwrap(),
				},
				r,
				previous,
			)
			.unwrap();
			locked = locked.checked_sub(Fixed::from_base_units(newly).unwrap()).unwrap();
			staked = staked.checked_add(Fixed::from_base_units(newly * 3 / 4).unwrap()).unwrap();
			// Less stake, same treasury: a higher target per staked token on chain.
			assert!(chain.target > g(month, "ehat_target_i"), "month {month}");
		}
		let supply = Supply { max_supply, treasury, staked, locked };
		let m = monthly_emission(&p, &supply, r, previous).unwrap();
		close(m.target, g(month, "ehat_target_i"), "ehat_target", month);
		close(m.max, g(month, "ehat_max_i"), "ehat_max", month);
		close(m.capped, g(month, "ehat_i"), "ehat", month);
		close(m.smoothed, g(month, "e_i"), "e_i", month);
		close(m.monthly, g(month, "ecosystem_tokens_emission"), "emission", month);
		let validators = m.monthly.checked_mul(fx("0.25")).unwrap();
		close(validators, g(month, "validator_rewards"), "validators", month);
		let topics = m.monthly.checked_sub(validators).unwrap();
		close(topics, g(month, "topics_rewards"), "topics", month);
		previous = Some(m.smoothed);
	}
	assert_eq!(t.rows.len(), 96, "months 0-95");
}
