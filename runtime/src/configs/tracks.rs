//! The referendum tracks (issue 14): who may do what, with which deposit, periods and
//! approval/support curves. Periods are production lengths; a chain whose genesis sets a
//! governance time divisor (`pallet-timing`, the development preset) divides them. The choices
//! are justified in `runtime/README.md` ("Governance").

use super::*;
use alloc::borrow::Cow;
use frame_support::traits::OriginTrait;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::FixedI64;

/// A track's numeric id (what `referenda.submit` stores and Polkadot.js shows).
pub type TrackId = u16;

/// The track ids, in the order `tracks()` returns them.
pub mod ids {
	use super::TrackId;
	/// Anything, runtime upgrades included.
	pub const ROOT: TrackId = 0;
	/// Calls whitelisted by the technical committee.
	pub const WHITELISTED_CALLER: TrackId = 1;
	/// Network, topic and mint parameters.
	pub const PARAMETERS: TrackId = 2;
	/// Validator count, cancelling deferred slashes.
	pub const STAKING_ADMIN: TrackId = 3;
	/// Treasury spends up to `TreasurerSpendLimit`.
	pub const TREASURER: TrackId = 4;
	/// Treasury spends up to `SmallSpenderSpendLimit`.
	pub const SMALL_SPENDER: TrackId = 5;
	/// Cancelling a referendum (its deposits are refunded).
	pub const REFERENDUM_CANCELLER: TrackId = 6;
	/// Killing a referendum (its deposits are slashed).
	pub const REFERENDUM_KILLER: TrackId = 7;
}

const fn percent(x: u128) -> FixedI64 {
	FixedI64::from_rational(x, 100)
}

/// A track name padded to the fixed 25 bytes `pallet-referenda` stores.
const fn name(s: &str) -> [u8; 25] {
	let bytes = s.as_bytes();
	let mut out = [0u8; 25];
	let mut i = 0;
	// `i` stays below both lengths; a const fn cannot use iterators or `get_mut`.
	#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
	while i < bytes.len() && i < 25 {
		out[i] = bytes[i];
		i += 1;
	}
	out
}

// Curves are over the decision period (the `period` argument is only the unit).
const APP_ROOT: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
const SUP_ROOT: Curve = Curve::make_linear(28, 28, percent(0), percent(50));
const APP_WHITELISTED: Curve =
	Curve::make_reciprocal(16, 28 * 24, percent(96), percent(50), percent(100));
const SUP_WHITELISTED: Curve = Curve::make_reciprocal(1, 28, percent(5), percent(0), percent(50));
const APP_ADMIN: Curve = Curve::make_reciprocal(4, 14, percent(80), percent(50), percent(100));
const SUP_ADMIN: Curve = Curve::make_reciprocal(7, 14, percent(10), percent(0), percent(50));
const APP_TREASURER: Curve = Curve::make_reciprocal(3, 28, percent(80), percent(50), percent(100));
const SUP_TREASURER: Curve = Curve::make_linear(28, 28, percent(0), percent(50));
const APP_SMALL_SPENDER: Curve = Curve::make_linear(8, 28, percent(50), percent(100));
const SUP_SMALL_SPENDER: Curve = Curve::make_reciprocal(2, 28, percent(1), percent(0), percent(5));
const APP_CANCEL: Curve = Curve::make_linear(17, 28, percent(50), percent(100));
const SUP_CANCEL: Curve = Curve::make_reciprocal(12, 28, percent(1), percent(0), percent(10));

/// One track of the table.
#[allow(clippy::too_many_arguments)]
const fn track(
	id: TrackId,
	track_name: &str,
	max_deciding: u32,
	decision_deposit: Balance,
	periods: [BlockNumber; 4],
	min_approval: Curve,
	min_support: Curve,
) -> Track<TrackId, Balance, BlockNumber> {
	let [prepare_period, decision_period, confirm_period, min_enactment_period] = periods;
	Track {
		id,
		info: TrackInfo {
			name: name(track_name),
			max_deciding,
			decision_deposit,
			prepare_period,
			decision_period,
			confirm_period,
			min_enactment_period,
			min_approval,
			min_support,
		},
	}
}

/// The production track table: (prepare, decision, confirm, min enactment) periods in blocks.
pub static TRACKS: [Track<TrackId, Balance, BlockNumber>; 8] = [
	track(
		ids::ROOT,
		"root",
		1,
		100_000 * ALLO,
		[2 * HOURS, 28 * DAYS, DAYS, DAYS],
		APP_ROOT,
		SUP_ROOT,
	),
	track(
		ids::WHITELISTED_CALLER,
		"whitelisted_caller",
		100,
		10_000 * ALLO,
		[30 * MINUTES, 28 * DAYS, 10 * MINUTES, 10 * MINUTES],
		APP_WHITELISTED,
		SUP_WHITELISTED,
	),
	track(
		ids::PARAMETERS,
		"parameters",
		10,
		5_000 * ALLO,
		[HOURS, 14 * DAYS, DAYS, DAYS],
		APP_ADMIN,
		SUP_ADMIN,
	),
	track(
		ids::STAKING_ADMIN,
		"staking_admin",
		10,
		5_000 * ALLO,
		[2 * HOURS, 14 * DAYS, 3 * HOURS, 10 * MINUTES],
		APP_ADMIN,
		SUP_ADMIN,
	),
	track(
		ids::TREASURER,
		"treasurer",
		10,
		10_000 * ALLO,
		[2 * HOURS, 28 * DAYS, 7 * DAYS, DAYS],
		APP_TREASURER,
		SUP_TREASURER,
	),
	track(
		ids::SMALL_SPENDER,
		"small_spender",
		50,
		1_000 * ALLO,
		[4 * HOURS, 28 * DAYS, 12 * HOURS, DAYS],
		APP_SMALL_SPENDER,
		SUP_SMALL_SPENDER,
	),
	track(
		ids::REFERENDUM_CANCELLER,
		"referendum_canceller",
		100,
		10_000 * ALLO,
		[HOURS, 7 * DAYS, 3 * HOURS, 10 * MINUTES],
		APP_CANCEL,
		SUP_CANCEL,
	),
	track(
		ids::REFERENDUM_KILLER,
		"referendum_killer",
		100,
		50_000 * ALLO,
		[HOURS, 28 * DAYS, 3 * HOURS, 10 * MINUTES],
		APP_CANCEL,
		SUP_CANCEL,
	),
];

/// `track` with its periods divided by this chain's governance time divisor.
fn scaled(track: &Track<TrackId, Balance, BlockNumber>) -> Track<TrackId, Balance, BlockNumber> {
	let p = pallet_timing::Pallet::<Runtime>::governance_period;
	let mut t = track.clone();
	t.info.prepare_period = p(track.info.prepare_period);
	t.info.decision_period = p(track.info.decision_period);
	t.info.confirm_period = p(track.info.confirm_period);
	t.info.min_enactment_period = p(track.info.min_enactment_period);
	t
}

/// The runtime's tracks for `pallet-referenda`: the table, scaled to this chain's clock.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = TrackId;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<TrackId, Balance, BlockNumber>>> {
		let real_time = pallet_timing::GovernanceTimeDivisor::<Runtime>::get() <= 1;
		TRACKS.iter().map(move |t| if real_time { Cow::Borrowed(t) } else { Cow::Owned(scaled(t)) })
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<TrackId, ()> {
		use pallet_governance_origins::Origin;
		if let Ok(system) = frame_system::RawOrigin::<AccountId>::try_from(origin.clone()) {
			return match system {
				frame_system::RawOrigin::Root => Ok(ids::ROOT),
				_ => Err(()),
			};
		}
		match Origin::try_from(origin.clone()) {
			Ok(Origin::WhitelistedCaller) => Ok(ids::WHITELISTED_CALLER),
			Ok(Origin::Parameters) => Ok(ids::PARAMETERS),
			Ok(Origin::StakingAdmin) => Ok(ids::STAKING_ADMIN),
			Ok(Origin::Treasurer) => Ok(ids::TREASURER),
			Ok(Origin::SmallSpender) => Ok(ids::SMALL_SPENDER),
			Ok(Origin::ReferendumCanceller) => Ok(ids::REFERENDUM_CANCELLER),
			Ok(Origin::ReferendumKiller) => Ok(ids::REFERENDUM_KILLER),
			Err(_) => Err(()),
		}
	}
}
