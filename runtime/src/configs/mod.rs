//! Configuration of every pallet of the runtime.

mod governance;
mod staking;
mod tracks;
pub use governance::*;
pub use staking::*;

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients,
		WeightToFeePolynomial,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{
	traits::{ConvertInto, OpaqueKeys},
	FixedPointNumber, Perbill, Perquintill,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Babe, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	Session, SessionKeys, System, ALLO, CENTI_ALLO, DAYS, EPOCH_DURATION_IN_SLOTS,
	EXISTENTIAL_DEPOSIT, HOURS, MICRO_ALLO, MILLI_SECS_PER_BLOCK, MINUTES, SLOT_DURATION,
	SS58_PREFIX, VERSION,
};

/// Normal (user) extrinsics may fill 75% of a block; the rest is kept for operational ones.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per 6-second block, leaving time for import and networking.
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);
/// The maximum encoded length of a block: 5 MiB.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;
/// Weight of an empty extrinsic (from the FRAME overhead benchmark of the reference machine).
pub const EXTRINSIC_BASE_WEIGHT: Weight = crate::weights::ExtrinsicBaseWeight::get();
/// Share of a block's weight kept for `on_initialize` hooks on average.
pub const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(10);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Block and extrinsic base weights from this runtime's overhead benchmark; normal
	/// transactions may fill `NORMAL_DISPATCH_RATIO` of the block, operational ones all of it.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(crate::weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = EXTRINSIC_BASE_WEIGHT;
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			// Operational transactions may use the share normal ones cannot.
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT.saturating_sub(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT));
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |m| *m = NORMAL_DISPATCH_RATIO * *m)
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

/// The default types are being injected by [`derive_impl`](`frame_support::derive_impl`) from
/// [`SolochainDefaultConfig`](`struct@frame_system::config_preludes::SolochainDefaultConfig`),
/// but overridden as needed.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node stores state in ParityDB.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

/// The chain's clock: the epoch length and sessions per era of this chain's genesis (the
/// defaults unless a test network's chain spec sets shorter ones).
impl pallet_timing::Config for Runtime {
	type DefaultEpochDuration = ConstU64<EPOCH_DURATION_IN_SLOTS>;
	type DefaultSessionsPerEra = ConstU32<6>;
	type MinEpochDuration = ConstU64<4>;
	type MaxSessionsPerEra = ConstU32<6>;
	// One day of governance time per block at most (the development preset).
	type MaxGovernanceTimeDivisor = ConstU32<{ DAYS }>;
	type OnGenesis = FastUnstakeGenesis;
}

/// BABE's epoch (and session) length: the genesis value of `pallet-timing`.
pub type EpochDuration = pallet_timing::EpochDurationOf<Runtime>;

parameter_types! {
	pub const ExpectedBlockTime: u64 = MILLI_SECS_PER_BLOCK;
	/// Upper bound of the validator set (and of `pallet-staking`'s `MaxValidatorSet`).
	pub const MaxAuthorities: u32 = 100;
	/// Nominators of one validator in an equivocation's exposure: one exposure page.
	pub const MaxNominators: u32 = MaxExposurePageSize::get();
	/// GRANDPA set ids kept for equivocation proofs: every session that can still be slashed
	/// (at most 6 sessions per era, `pallet-timing`'s maximum).
	pub const MaxSetIdSessionEntries: u64 = BondingDuration::get() as u64 * 6;
}

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	// Sessions (and so BABE epochs) are rotated by `pallet-session`.
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = Session;
	type WeightInfo = crate::weights::equivocation::BabeWeight<Runtime>;
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	// Equivocations are proven against the historical session and reported as offences.
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem = pallet_babe::EquivocationReportSystem<
		Self,
		crate::Offences,
		crate::Historical,
		ReportLongevity,
	>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::equivocation::GrandpaWeight<Runtime>;
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem = pallet_grandpa::EquivocationReportSystem<
		Self,
		crate::Offences,
		crate::Historical,
		ReportLongevity,
	>;
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the unix epoch.
	type Moment = u64;
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	/// The type for recording an account's balance.
	type Balance = Balance;
	/// The ubiquitous event type.
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// Maps weight to fee: one `EXTRINSIC_BASE_WEIGHT` costs 0.01 ALLO, linearly.
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let p = CENTI_ALLO;
		let q = Balance::from(EXTRINSIC_BASE_WEIGHT.ref_time());
		smallvec::smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(p % q, q),
			coeff_integer: p / q,
		}]
	}
}

parameter_types! {
	/// Each byte of an extrinsic costs 10 micro-ALLO.
	pub const TransactionByteFee: Balance = 10 * MICRO_ALLO;
	/// Operational extrinsics pay 5x the tip priority of normal ones.
	pub const OperationalFeeMultiplier: u8 = 5;
	/// Fees rise when blocks are more than 25% full and fall below it.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(1, 100_000);
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	pub MaximumMultiplier: Multiplier = Multiplier::saturating_from_integer(100u128);
}

parameter_types! {
	/// The ecosystem account (`allo/eco`), where transaction fees and tips go.
	pub EcosystemAccount: AccountId =
		sp_runtime::traits::AccountIdConversion::into_account_truncating(&EcosystemPalletId::get());
}

/// Transaction fees and tips are never burned: they go to the ecosystem account, which the
/// emission pays out first (spec 8.2: fees before any mint), so every fee returns to the
/// network's participants as rewards and lowers the next mint. Block authors receive nothing
/// from fees: validators are paid from the validator pot by era points.
impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<
		Balances,
		frame_support::traits::tokens::imbalance::ResolveTo<EcosystemAccount, Balances>,
	>;
	type OperationalFeeMultiplier = OperationalFeeMultiplier;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

parameter_types! {
	/// Setting session keys holds 1 ALLO on the account until `purge_keys` (issue 12, finding 6:
	/// key-owner records are storage somebody must pay for). Genesis validators' keys hold none.
	pub const SessionKeyDeposit: Balance = ALLO;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	// Staking elects the validators of each era; the historical pallet records every
	// session's set for equivocation proofs.
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Self, crate::Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// An offender is disabled (stops authoring) until the era ends, at most a third of the set.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = crate::weights::pallet_session::WeightInfo<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

parameter_types! {
	/// Derives the ecosystem account: every topic fee and funding goes there (spec 1.8).
	pub const EcosystemPalletId: frame_support::PalletId = frame_support::PalletId(*b"allo/eco");
	/// Held by every worker and reputer registration: filling a topic's 256 worker and 256
	/// reputer slots locks 512 ALLO, lost to whoever prunes the idle ones.
	pub const RegistrationDeposit: Balance = ALLO;
	/// Held from a topic's creator until the topic is removed; an abandoned topic (inactive for
	/// 100 of its epochs, nobody registered, no stake) is a 10 ALLO bounty for removing it.
	pub const TopicDeposit: Balance = 10 * ALLO;
}

/// Topics, network parameters, fee revenue, weights and the schedule of epoch ends.
impl pallet_topics::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = RegistrationDeposit;
	// A worker or reputer silent for 100 epochs of its topic can be pruned by anyone.
	type RegistrationInactivityEpochs = ConstU32<100>;
	type OnActorLeft = crate::Reputation;
	type TopicDeposit = TopicDeposit;
	type TopicInactivityEpochs = ConstU32<100>;
	type TopicRemoval = (crate::Inference, (crate::Stake, (crate::Reputation, crate::Emissions)));
	// Root or a passed referendum on the `parameters` track.
	type GovernanceOrigin = ParametersOrigin;
	type EcosystemPalletId = EcosystemPalletId;
	type TopicStake = crate::Stake;
	// The reputer side queues its due closes before the worker side opens the new nonce.
	type EpochHooks = (crate::Reputation, crate::Inference);
	type MaxTopicsPerBlock = ConstU32<8>;
	type MaxScheduleDeferral = ConstU32<8>;
	// Four times the reference's (32, 6, 6) (issue 11); a settlement of a full round with its
	// reward step and a window close are benchmarked at these sizes.
	type MaxActiveInferers = ConstU32<128>;
	type MaxActiveForecasters = ConstU32<32>;
	type MaxActiveReputers = ConstU32<32>;
	type MaxForecastElements = ConstU32<16>;
	type MaxUnfulfilledNonces = ConstU32<100>;
	type WeightInfo = pallet_topics::weights::SubstrateWeight<Runtime>;
}

/// Workers, nonces, submissions and the network inference.
impl pallet_inference::Config for Runtime {
	type Regrets = crate::Reputation;
	type OnReputerNonceDropped = crate::Reputation;
	type MaxWorkersPerTopic = ConstU32<256>;
	type MaxStoredNonces = ConstU32<128>;
	// A window close at (128, 32) reads full regret tables: about 20 ms each.
	type MaxWindowsPerBlock = ConstU32<8>;
	type WeightInfo = pallet_inference::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Derives the account that keeps delegators' unclaimed rewards.
	pub const PendingRewardsPalletId: frame_support::PalletId = frame_support::PalletId(*b"allo/pdr");
}

/// Reputer registration, stake and delegation (held), delayed removals.
impl pallet_stake::Config for Runtime {
	type Currency = Balances;
	type PendingRewardsPalletId = PendingRewardsPalletId;
	type MaxReputersPerTopic = ConstU32<256>;
	type MaxRemovalsPerBlock = ConstU32<80>;
	type WeightInfo = pallet_stake::weights::SubstrateWeight<Runtime>;
}

/// Loss bundles and the settlement of each round: network losses, regrets, scores.
impl pallet_reputation::Config for Runtime {
	// MaxActiveInferers × MaxActiveForecasters.
	type MaxBundlePairs = ConstU32<4096>;
	// MaxWorkersPerTopic.
	type MaxRegretActors = ConstU32<256>;
	// MaxActiveInferers²: one whole round of the largest pair family.
	type MaxRegretPairs = ConstU32<16384>;
	type MaxQueuedCloses = ConstU32<64>;
	// A settlement at (128, 32, 32) with its reward step: about 230 ms reserved each.
	type MaxClosesPerBlock = ConstU32<2>;
	type OnRoundSettled = crate::Emissions;
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Derives the reward treasury (`allorarewards`): topic rewards wait there.
	pub const RewardsPalletId: frame_support::PalletId = frame_support::PalletId(*b"allo/rwd");
	/// Derives the validators' pot: a quarter of every block emission (decision 6).
	pub const ValidatorPotPalletId: frame_support::PalletId = frame_support::PalletId(*b"allo/val");
}

/// The capped, decaying emission and the reward step of every settled round.
impl pallet_emissions::Config for Runtime {
	type Currency = Balances;
	// Root or a passed referendum on the `parameters` track.
	type GovernanceOrigin = ParametersOrigin;
	type RewardsPalletId = RewardsPalletId;
	type ValidatorPotPalletId = ValidatorPotPalletId;
	type ValidatorStake = ActiveEraStake;
	type ActiveEra = ActiveEraIndex;
	type ClaimableEras = ClaimableEras;
	// Above `max_samples_to_scale_scores` (10) with room for governance to raise it.
	type MaxScoreSamples = ConstU32<64>;
	// MaxWorkersPerTopic.
	type MaxTrackedActors = ConstU32<256>;
	type WeightInfo = pallet_emissions::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Vested transfers below 1 ALLO are refused (they would only bloat storage).
	pub const MinVestedTransfer: Balance = crate::ALLO;
	/// Vested funds can pay transaction fees but not be transferred or reserved.
	pub UnvestedFundsAllowedWithdrawReasons: frame_support::traits::WithdrawReasons =
		frame_support::traits::WithdrawReasons::except(
			frame_support::traits::WithdrawReasons::TRANSFER |
				frame_support::traits::WithdrawReasons::RESERVE,
		);
}

/// Genesis vesting of the investors', pre-seed investors' and team allocations (spec 8.4).
impl pallet_vesting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BlockNumberToBalance = ConvertInto;
	type MinVestedTransfer = MinVestedTransfer;
	type WeightInfo = crate::weights::pallet_vesting::WeightInfo<Runtime>;
	type UnvestedFundsAllowedWithdrawReasons = UnvestedFundsAllowedWithdrawReasons;
	type BlockNumberProvider = System;
	// Two schedules per vested account (the cliff's third, then the linear rest) and room
	// for vested transfers.
	const MAX_VESTING_SCHEDULES: u32 = 8;
}
