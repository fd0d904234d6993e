//! Governance by on-chain referenda (issue 14): OpenGov-style referenda with conviction voting,
//! the custom origins of the tracks, the scheduler and preimages that enact passed proposals,
//! the treasury (the foundation's allocation, spent only by referenda) and the technical
//! committee that can whitelist calls for the fast track. Justified in `runtime/README.md`
//! ("Governance").

use super::*;
use crate::{Balances, OriginCaller, Preimage, Referenda, Scheduler, Treasury};
use frame_support::traits::{
	fungible::HoldConsideration,
	tokens::{currency::ActiveIssuanceOf, pay::PayFromAccount, UnityAssetBalanceConversion},
	EitherOf, EitherOfDiverse, EqualPrivilegeOnly, LinearStoragePrice,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use pallet_governance_origins as origins;
use pallet_timing::GovernancePeriod;
use sp_runtime::traits::AccountIdLookup;

pub use super::tracks::{ids as track_ids, TrackId, TracksInfo, TRACKS};

/// Root, or a passed referendum on the `parameters` track: network, topic and mint parameters.
pub type ParametersOrigin = EitherOf<EnsureRoot<AccountId>, origins::Parameters>;
/// Root, or a passed referendum on the `staking_admin` track.
pub type StakingAdminOrigin = EitherOf<EnsureRoot<AccountId>, origins::StakingAdmin>;
/// Root, or a passed referendum on the `treasurer` track.
pub type TreasurerOrigin = EitherOf<EnsureRoot<AccountId>, origins::Treasurer>;

parameter_types! {
	/// A preimage holds 10 ALLO plus 0.01 ALLO per byte until it is unnoted.
	pub const PreimageBaseDeposit: Balance = 10 * ALLO;
	pub const PreimageByteDeposit: Balance = CENTI_ALLO;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

/// Proposals are stored as preimages, paid for by a hold on the noter.
impl pallet_preimage::Config for Runtime {
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Scheduled calls (enactments) may use 80 % of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * MAXIMUM_BLOCK_WEIGHT;
}

/// Enacts passed referenda (and whatever Root schedules) at their block.
impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Only Root schedules directly; referenda schedule through the pallet's own API.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl origins::Config for Runtime {}

parameter_types! {
	/// Production governance periods (blocks), divided on a development chain.
	pub const VoteLockingDays: u32 = 7 * DAYS;
	pub const UndecidingDays: u32 = 14 * DAYS;
	pub const SpendDays: u32 = 6 * DAYS;
	pub const PayoutDays: u32 = 30 * DAYS;
	pub const MotionDays: u32 = 3 * DAYS;
	pub const WhitelistExpiryDays: u32 = 28 * DAYS;
}

/// Votes by locked ALLO with conviction, delegation per track.
impl pallet_conviction_voting::Config for Runtime {
	type WeightInfo = crate::weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	// A 1x vote locks for one period (7 days); 6x for 32 periods.
	type VoteLockingPeriod = GovernancePeriod<Runtime, VoteLockingDays>;
	// Votes (and so locks) one account can hold at once, across all tracks.
	type MaxVotes = ConstU32<512>;
	// Support is measured against the active issuance (the treasury's funds are inactive).
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type Polls = Referenda;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	/// Submitting a referendum holds 100 ALLO, returned when it ends (not when killed).
	pub const SubmissionDeposit: Balance = 100 * ALLO;
}

/// Referenda on the tracks of `tracks.rs`.
impl pallet_referenda::Config for Runtime {
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumCanceller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumKiller>;
	// Deposits of killed referenda go to the treasury, never burned.
	type Slash = Treasury;
	type Votes = Balance;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = GovernancePeriod<Runtime, UndecidingDays>;
	type AlarmInterval = ConstU32<1>;
	type Tracks = TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Whitelisting needs two thirds of the technical committee.
	pub const TechnicalMaxMembers: u32 = 16;
	pub const TechnicalMaxProposals: u32 = 20;
	pub MaxCommitteeProposalWeight: Weight = Perbill::from_percent(50) * MAXIMUM_BLOCK_WEIGHT;
}

/// Two thirds of the technical committee.
pub type TechnicalTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, TechnicalCollective, 2, 3>;
/// The technical committee's instance of `pallet-collective`.
pub type TechnicalCollective = pallet_collective::Instance1;

/// The technical committee: its only power is to whitelist (or un-whitelist) a call, which a
/// referendum on the `whitelisted_caller` track may then dispatch with Root.
impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = GovernancePeriod<Runtime, MotionDays>;
	type MaxProposals = TechnicalMaxProposals;
	type MaxMembers = TechnicalMaxMembers;
	type DefaultVote = pallet_collective::MoreThanMajorityThenPrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	// Members are chosen by a referendum on the root track.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCommitteeProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// Only members propose, and there are at most 20 proposals: no deposit.
	type Consideration = ();
}

/// Calls the technical committee whitelisted, dispatched with Root by a `whitelisted_caller`
/// referendum.
impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
	type WhitelistOrigin = EitherOfDiverse<EnsureRoot<AccountId>, TechnicalTwoThirds>;
	type DispatchWhitelistedOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = GovernancePeriod<Runtime, WhitelistExpiryDays>;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// The treasury is the foundation's allocation (spec 8.1, 10 % of the max supply).
	pub const TreasuryPalletId: frame_support::PalletId =
		frame_support::PalletId(*crate::genesis_config_presets::FOUNDATION);
	pub TreasuryAccount: AccountId = Treasury::account_id();
	/// A `small_spender` referendum spends at most 100 000 ALLO.
	pub const SmallSpenderSpendLimit: Balance = 100_000 * ALLO;
	/// A `treasurer` referendum spends at most 10 000 000 ALLO (1 % of the max supply).
	pub const TreasurerSpendLimit: Balance = 10_000_000 * ALLO;
	/// Root (the `root` track) may spend the whole treasury.
	pub const MaxBalance: Balance = Balance::MAX;
}

/// The on-chain treasury: spends approved by referenda within each track's limit. Nothing is
/// burned; fees stay with the ecosystem account (spec 8.2), the treasury receives killed
/// referenda's deposits.
impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = TreasurerOrigin;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = GovernancePeriod<Runtime, SpendDays>;
	// Nothing is burned at a spend period (`()` is a zero `Permill`).
	type Burn = ();
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = EitherOf<
		EnsureRootWithSuccess<AccountId, MaxBalance>,
		origins::Spender<Balance, SmallSpenderSpendLimit, TreasurerSpendLimit>,
	>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = AccountIdLookup<AccountId, ()>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = GovernancePeriod<Runtime, PayoutDays>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TreasuryBenchmarkHelper;
	type BlockNumberProvider = System;
}

/// Arguments of the treasury's benchmarks: the native asset and a seeded, existing beneficiary.
#[cfg(feature = "runtime-benchmarks")]
pub struct TreasuryBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryBenchmarkHelper {
	fn create_asset_kind(_seed: u32) -> () {}
	/// The beneficiary exists (holds the existential deposit): the upstream benchmarks pay it
	/// 100 base units, which could not create a new account (`payout` would fail with
	/// `PayoutError`).
	fn create_beneficiary(seed: [u8; 32]) -> AccountId {
		let who = AccountId::from(seed);
		let _ = <Balances as frame_support::traits::fungible::Mutate<AccountId>>::mint_into(
			&who,
			crate::EXISTENTIAL_DEPOSIT,
		);
		who
	}
}
