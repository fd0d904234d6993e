//! Each ensure accepts exactly its own origin; the spender yields its track's limit.

use crate as pallet_governance_origins;
use crate::{Origin, Parameters, ReferendumKiller, Spender, StakingAdmin, WhitelistedCaller};
use frame_support::{
	derive_impl, parameter_types,
	traits::{EnsureOrigin, OriginTrait},
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Origins: pallet_governance_origins,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_governance_origins::Config for Test {}

parameter_types! {
	pub const SmallLimit: u128 = 100;
	pub const LargeLimit: u128 = 10_000;
}
type TestSpender = Spender<u128, SmallLimit, LargeLimit>;

fn origin(o: Origin) -> RuntimeOrigin {
	RuntimeOrigin::from(o)
}

#[test]
fn each_unit_ensure_accepts_only_its_own_origin() {
	assert!(Parameters::try_origin(origin(Origin::Parameters)).is_ok());
	assert!(StakingAdmin::try_origin(origin(Origin::StakingAdmin)).is_ok());
	assert!(ReferendumKiller::try_origin(origin(Origin::ReferendumKiller)).is_ok());
	assert!(WhitelistedCaller::try_origin(origin(Origin::WhitelistedCaller)).is_ok());
	// Another track's origin, Root and a signed account are refused, and handed back intact.
	let back = StakingAdmin::try_origin(origin(Origin::Parameters)).unwrap_err();
	assert_eq!(back.caller(), &OriginCaller::Origins(Origin::Parameters));
	assert!(Parameters::try_origin(RuntimeOrigin::root()).is_err());
	assert!(Parameters::try_origin(RuntimeOrigin::signed(1)).is_err());
	assert!(WhitelistedCaller::try_origin(origin(Origin::ReferendumCanceller)).is_err());
}

#[test]
fn spenders_get_their_track_limit_and_nobody_else_spends() {
	assert_eq!(TestSpender::try_origin(origin(Origin::SmallSpender)).unwrap(), 100);
	assert_eq!(TestSpender::try_origin(origin(Origin::Treasurer)).unwrap(), 10_000);
	assert!(TestSpender::try_origin(origin(Origin::Parameters)).is_err());
	assert!(TestSpender::try_origin(RuntimeOrigin::root()).is_err());
	assert!(TestSpender::try_origin(RuntimeOrigin::signed(7)).is_err());
}
