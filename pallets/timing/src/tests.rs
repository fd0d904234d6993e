//! Genesis sets the clock or keeps the defaults; a too-short epoch is refused.

use crate as pallet_timing;
use frame_support::{derive_impl, traits::ConstU32, traits::ConstU64, traits::Get};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timing: pallet_timing,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timing::Config for Test {
	type DefaultEpochDuration = ConstU64<600>;
	type DefaultSessionsPerEra = ConstU32<6>;
	type MinEpochDuration = ConstU64<4>;
	type MaxSessionsPerEra = ConstU32<6>;
	type MaxGovernanceTimeDivisor = ConstU32<14_400>;
	type OnGenesis = MarkGenesis;
}

/// The genesis hook of the tests: writes a marker key.
pub struct MarkGenesis;
impl frame_support::traits::OnGenesis for MarkGenesis {
	fn on_genesis() {
		sp_io::storage::set(GENESIS_MARK, b"built");
	}
}
const GENESIS_MARK: &[u8] = b":test:timing-genesis-hook";

fn ext(epoch_duration: u64, sessions_per_era: u32) -> sp_io::TestExternalities {
	ext_with_divisor(epoch_duration, sessions_per_era, 0)
}

fn ext_with_divisor(
	epoch_duration: u64,
	sessions_per_era: u32,
	divisor: u32,
) -> sp_io::TestExternalities {
	RuntimeGenesisConfig {
		system: Default::default(),
		timing: pallet_timing::GenesisConfig {
			epoch_duration,
			sessions_per_era,
			governance_time_divisor: divisor,
			..Default::default()
		},
	}
	.build_storage()
	.unwrap()
	.into()
}

#[test]
fn an_empty_genesis_keeps_the_defaults() {
	ext(0, 0).execute_with(|| {
		assert_eq!(crate::EpochDurationOf::<Test>::get(), 600);
		assert_eq!(crate::SessionsPerEraOf::<Test>::get(), 6);
	});
}

#[test]
fn a_test_network_sets_a_short_clock() {
	ext(10, 2).execute_with(|| {
		assert_eq!(crate::EpochDurationOf::<Test>::get(), 10);
		assert_eq!(crate::SessionsPerEraOf::<Test>::get(), 2);
	});
}

#[test]
#[should_panic(expected = "genesis epoch duration 3 is below the minimum 4")]
fn an_epoch_below_the_minimum_is_refused() {
	let _ = ext(3, 2);
}

#[test]
#[should_panic(expected = "genesis sessions per era 7 is above the maximum 6")]
fn more_sessions_per_era_than_the_maximum_are_refused() {
	let _ = ext(10, 7);
}

#[test]
fn governance_periods_are_real_time_unless_genesis_divides_them() {
	type Day = ConstU32<14_400>;
	ext(0, 0).execute_with(|| {
		assert_eq!(crate::GovernanceTimeDivisor::<Test>::get(), 1);
		assert_eq!(<crate::GovernancePeriod<Test, Day> as Get<u32>>::get(), 14_400);
		assert_eq!(crate::Pallet::<Test>::governance_period(7 * 14_400), 100_800);
	});
	// A development chain: one day is one block, shorter periods never drop below one block.
	ext_with_divisor(0, 0, 14_400).execute_with(|| {
		assert_eq!(<crate::GovernancePeriod<Test, Day> as Get<u32>>::get(), 1);
		assert_eq!(<crate::GovernancePeriod<Test, Day> as Get<u64>>::get(), 1);
		assert_eq!(crate::Pallet::<Test>::governance_period(28 * 14_400), 28);
		assert_eq!(crate::Pallet::<Test>::governance_period(600), 1);
		assert_eq!(crate::Pallet::<Test>::governance_period(0), 1);
	});
}

#[test]
#[should_panic(expected = "genesis governance time divisor 14401 is above the maximum 14400")]
fn a_governance_divisor_above_the_maximum_is_refused() {
	let _ = ext_with_divisor(0, 0, 14_401);
}

#[test]
fn the_genesis_hook_runs_when_genesis_is_built() {
	ext(0, 0).execute_with(|| {
		assert_eq!(sp_io::storage::get(GENESIS_MARK).as_deref(), Some(&b"built"[..]));
	});
}
