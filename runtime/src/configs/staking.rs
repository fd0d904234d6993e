//! Validators by stake (issue 13): NPoS with `pallet-staking`, the session manager, historical
//! sessions for equivocation proofs, era points for block authors, offences that slash, the
//! voter list and fast unstaking. Era rewards come from the validator pot (`pallet-emissions`),
//! never from minting. The choices are justified in `runtime/README.md` ("Staking").

use super::*;
use crate::{Babe, Session, Staking, Timestamp, VoterList};
use alloc::vec::Vec;
use frame_election_provider_support::{
	bounds::{DataProviderBounds, ElectionBounds, ElectionBoundsBuilder},
	data_provider, onchain, BoundedSupportsOf, ElectionDataProvider, ElectionProvider, PageIndex,
	SequentialPhragmen, VoterOf,
};
use frame_support::traits::{tokens::imbalance::ResolveTo, Get, Nothing};
use frame_support::weights::Weight;
use sp_runtime::{DispatchError, DispatchResult};
use sp_staking::EraIndex;

parameter_types! {
	/// Unbonded stake stays locked (and slashable) for 28 eras: one week.
	pub const BondingDuration: EraIndex = 28;
	/// A slash is applied 27 eras after its era: governance (`AdminOrigin`) can cancel it in
	/// that time. Less than the bonding duration, so the offender is still bonded.
	pub const SlashDeferDuration: EraIndex = 27;
	/// Eras whose rewards can still be claimed with `payout_stakers`: 21 days.
	pub const HistoryDepth: u32 = 84;
	/// The validator pot keeps each era's payout while it can be claimed.
	pub const ClaimableEras: u32 = 85;
	/// Nominators paid per `payout_stakers` call (one page of an exposure).
	pub const MaxExposurePageSize: u32 = 256;
	/// At most `MaxAuthorities` validators; governance sets the count below it.
	pub const MaxValidatorSet: u32 = MaxAuthorities::get();
	/// Unbonding requests an account may have in flight.
	pub const MaxUnlockingChunks: u32 = 32;
	/// The voters (nominators and validators, by stake, from the voter list) and the
	/// candidates an election reads.
	pub ElectionBoundsOnChain: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(MaxElectingVoters::get().into())
		.targets_count(MaxElectableTargets::get().into())
		.build();
	/// The election reads the 10 000 largest voters.
	pub const MaxElectingVoters: u32 = 10_000;
	/// The election reads up to 1 000 validator candidates.
	pub const MaxElectableTargets: u32 = 1_000;
	/// An equivocation report is valid for as long as the offender may still be slashed.
	pub ReportLongevity: u64 = u64::from(BondingDuration::get())
		.saturating_mul(u64::from(SessionsPerEra::get()))
		.saturating_mul(EpochDuration::get());
	/// The voter list's bags.
	pub const BagThresholds: &'static [u64] = &crate::bag_thresholds::THRESHOLDS;
}

/// Sessions per era: six (six hours) unless the chain's genesis sets fewer (`pallet-timing`).
pub type SessionsPerEra = pallet_timing::SessionsPerEraOf<Runtime>;

/// The on-chain election: sequential Phragmén over the bounded snapshot of `D`, run at the
/// session that plans a new era (`D` = [`KeyedCandidates`]; staking itself at genesis).
pub struct OnChainSeqPhragmen<D>(core::marker::PhantomData<D>);
impl<D> onchain::Config for OnChainSeqPhragmen<D>
where
	D: ElectionDataProvider<AccountId = AccountId, BlockNumber = BlockNumber>,
{
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, sp_runtime::Perbill>;
	type DataProvider = D;
	type WeightInfo = crate::weights::frame_election_provider_support::WeightInfo<Runtime>;
	type MaxBackersPerWinner = MaxElectingVoters;
	type MaxWinnersPerPage = MaxValidatorSet;
	type Bounds = ElectionBoundsOnChain;
	type Sort = frame_support::traits::ConstBool<true>;
}

/// The staking election: [`OnChainSeqPhragmen`] run within the block that plans an era, so no
/// election is ever in progress between blocks. `OnChainExecution` reports itself as always
/// ready (`status` Ok), which staking's `election_ongoing` reads as always ongoing and which
/// would keep fast-unstake from ever checking a stash; this one reports none ongoing.
pub struct OnChainElection;
impl ElectionProvider for OnChainElection {
	type AccountId = AccountId;
	type BlockNumber = BlockNumber;
	type Error = onchain::Error;
	type MaxWinnersPerPage = <OnChainInner as ElectionProvider>::MaxWinnersPerPage;
	type MaxBackersPerWinner = <OnChainInner as ElectionProvider>::MaxBackersPerWinner;
	type MaxBackersPerWinnerFinal = <OnChainInner as ElectionProvider>::MaxBackersPerWinnerFinal;
	type Pages = <OnChainInner as ElectionProvider>::Pages;
	type DataProvider = Staking;

	fn elect(page: PageIndex) -> Result<BoundedSupportsOf<Self>, Self::Error> {
		OnChainInner::elect(page)
	}
	fn duration() -> BlockNumber {
		OnChainInner::duration()
	}
	fn start() -> Result<(), Self::Error> {
		OnChainInner::start()
	}
	fn status() -> Result<Option<Weight>, ()> {
		Err(())
	}
}

/// The on-chain execution [`OnChainElection`] runs.
type OnChainInner = onchain::OnChainExecution<OnChainSeqPhragmen<KeyedCandidates>>;

/// Staking's election data with the candidates that have no session keys left out.
/// `pallet-staking`'s `validate` cannot check keys (it has no hook, and keys may be set after
/// it), and `pallet-session` leaves a keyless winner out of the session: elected, it would hold
/// a seat without authoring. Here it is simply not a candidate until its keys are set; its
/// own and its nominators' votes for it are not counted (their other targets are).
pub struct KeyedCandidates;
impl ElectionDataProvider for KeyedCandidates {
	type AccountId = AccountId;
	type BlockNumber = BlockNumber;
	type MaxVotesPerVoter = <Staking as ElectionDataProvider>::MaxVotesPerVoter;

	fn electable_targets(
		bounds: DataProviderBounds,
		page: PageIndex,
	) -> data_provider::Result<Vec<AccountId>> {
		let mut targets = <Staking as ElectionDataProvider>::electable_targets(bounds, page)?;
		// One `NextKeys` read per candidate (at most `MaxElectableTargets`).
		let reads = <Runtime as frame_system::Config>::DbWeight::get()
			.reads(u64::try_from(targets.len()).unwrap_or(u64::MAX));
		frame_system::Pallet::<Runtime>::register_extra_weight_unchecked(
			reads,
			frame_support::dispatch::DispatchClass::Mandatory,
		);
		targets.retain(|t| pallet_session::NextKeys::<Runtime>::contains_key(t));
		Ok(targets)
	}
	fn electing_voters(
		bounds: DataProviderBounds,
		page: PageIndex,
	) -> data_provider::Result<Vec<VoterOf<Self>>> {
		<Staking as ElectionDataProvider>::electing_voters(bounds, page)
	}
	fn desired_targets() -> data_provider::Result<u32> {
		<Staking as ElectionDataProvider>::desired_targets()
	}
	fn next_election_prediction(now: BlockNumber) -> BlockNumber {
		<Staking as ElectionDataProvider>::next_election_prediction(now)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn put_snapshot(
		voters: Vec<VoterOf<Self>>,
		targets: Vec<AccountId>,
		target_stake: Option<frame_election_provider_support::VoteWeight>,
	) {
		<Staking as ElectionDataProvider>::put_snapshot(voters, targets, target_stake)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn fetch_page(page: PageIndex) {
		<Staking as ElectionDataProvider>::fetch_page(page)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn add_voter(
		voter: AccountId,
		weight: frame_election_provider_support::VoteWeight,
		targets: frame_support::BoundedVec<AccountId, Self::MaxVotesPerVoter>,
	) {
		<Staking as ElectionDataProvider>::add_voter(voter, weight, targets)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn add_target(target: AccountId) {
		<Staking as ElectionDataProvider>::add_target(target)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn clear() {
		<Staking as ElectionDataProvider>::clear()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_desired_targets(count: u32) {
		<Staking as ElectionDataProvider>::set_desired_targets(count)
	}
}

/// The sizes `pallet-staking`'s benchmarks run at.
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxNominators = ConstU32<1000>;
	type MaxValidators = ConstU32<100>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type CurrencyBalance = Balance;
	type UnixTime = Timestamp;
	type CurrencyToVote = sp_staking::currency_to_vote::U128CurrencyToVote;
	type ElectionProvider = OnChainElection;
	// Genesis validators get their keys in the same genesis (and staking must be the data).
	type GenesisElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen<Staking>>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = HistoryDepth;
	// The era payout leaves no "rest" (`PotEraPayout` returns 0); if governance ever caps
	// `MaxStakedRewards`, the issued difference is dropped again (burned), so nothing is minted.
	type RewardRemainder = ();
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Slashed stake goes to the ecosystem account, whose balance the emission pays out first.
	type Slash = ResolveTo<EcosystemAccount, Balances>;
	// Rewards are withdrawn from the validator pot: `payout_stakers` mints nothing.
	type Reward = pallet_emissions::PayFromPot<Runtime>;
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	// Root until the referenda issue wires a staking-admin track.
	// Root or a passed referendum on the `staking_admin` track.
	type AdminOrigin = StakingAdminOrigin;
	type SessionInterface = Self;
	type EraPayout = pallet_emissions::PotEraPayout<Runtime>;
	type NextNewSession = Session;
	type MaxExposurePageSize = MaxExposurePageSize;
	type MaxValidatorSet = MaxValidatorSet;
	type VoterList = VoterList;
	type TargetList = pallet_staking::UseValidatorsMap<Self>;
	type MaxUnlockingChunks = MaxUnlockingChunks;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	type EventListeners = ();
	type Filter = Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = crate::weights::pallet_staking::WeightInfo<Runtime>;
}

/// The voter list: nominators and validators in 200 bags by stake, so an election reads the
/// largest `MaxElectingVoters` without sorting every voter.
impl pallet_bags_list::Config<pallet_bags_list::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ScoreProvider = Staking;
	type BagThresholds = BagThresholds;
	// Accounts are re-bagged by `rebag` calls (anyone may send them), not in a hook.
	type MaxAutoRebagPerBlock = ConstU32<0>;
	type Score = frame_election_provider_support::VoteWeight;
	type WeightInfo = crate::weights::pallet_bags_list::WeightInfo<Runtime>;
}

/// Historical sessions: the validator set of every session still slashable, so BABE and
/// GRANDPA equivocation reports can prove key ownership.
impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

/// Era points for block authors (20 per block, `pallet-staking`'s `EventHandler`).
impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	type EventHandler = Staking;
}

/// Offences (BABE and GRANDPA equivocations) are reported to staking, which slashes.
impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Staking;
}

/// The validators' and nominators' stake for the emission's N_staked: the total exposed in
/// the active era.
pub struct ActiveEraStake;
impl frame_support::traits::Get<u128> for ActiveEraStake {
	fn get() -> u128 {
		pallet_staking::ActiveEra::<Runtime>::get()
			.map(|era| pallet_staking::ErasTotalStake::<Runtime>::get(era.index))
			.unwrap_or_default()
	}
}

/// The active staking era's index.
pub struct ActiveEraIndex;
impl frame_support::traits::Get<Option<u32>> for ActiveEraIndex {
	fn get() -> Option<u32> {
		pallet_staking::ActiveEra::<Runtime>::get().map(|era| era.index)
	}
}

/// Unsigned transactions from the runtime (equivocation reports of the BABE and GRANDPA
/// workers).
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = crate::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> crate::UncheckedExtrinsic {
		crate::UncheckedExtrinsic::new_bare(call)
	}
}

parameter_types! {
	/// Held from a fast-unstake request until it is processed: returned when the stash was
	/// unexposed, moved to the ecosystem account when it was exposed (wasted checking work).
	pub const FastUnstakeDeposit: Balance = FAST_UNSTAKE_DEPOSIT;
	/// The reserve the deposit is held under.
	pub const FastUnstakeReserveId: [u8; 8] = *b"fastunst";
}

/// The fast-unstake deposit: 1 ALLO.
#[cfg(not(feature = "runtime-benchmarks"))]
pub const FAST_UNSTAKE_DEPOSIT: Balance = ALLO;
/// The benchmark build's deposit (pallet-fast-unstake's benchmarks fund their stashes with
/// 10 000 existential deposits, 0.1 ALLO there); the weight does not depend on its size.
#[cfg(feature = "runtime-benchmarks")]
pub const FAST_UNSTAKE_DEPOSIT: Balance = 10 * EXISTENTIAL_DEPOSIT;

/// Fast unstaking: a nominator not exposed in the last `BondingDuration` eras leaves at once,
/// checked in `on_idle` (one era per block from genesis, `pallet-timing`'s genesis hook; the
/// staking admin may set up to four).
impl pallet_fast_unstake::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = deposit::DepositToEcosystem<FastUnstakeReserveId>;
	type Deposit = FastUnstakeDeposit;
	type ControlOrigin = StakingAdminOrigin;
	type BatchSize = ConstU32<16>;
	type Staking = FastUnstakeStaking;
	type MaxErasToCheckPerBlock = ConstU32<4>;
	type WeightInfo = crate::weights::pallet_fast_unstake::WeightInfo<Runtime>;
}

/// `pallet-staking` as fast-unstake sees it, with one change: a validator counts as exposed
/// in every era it was elected in. `is_exposed_in_era` only looks at the nominators' exposure
/// pages, and a validator nobody nominates has none, so an active self-staked validator could
/// otherwise fast-unstake and escape the slashes of its last 28 eras.
pub struct FastUnstakeStaking;
impl sp_staking::StakingInterface for FastUnstakeStaking {
	type Balance = Balance;
	type AccountId = AccountId;
	type CurrencyToVote = <Staking as sp_staking::StakingInterface>::CurrencyToVote;

	fn is_exposed_in_era(who: &AccountId, era: &EraIndex) -> bool {
		pallet_staking::ErasStakersOverview::<Runtime>::contains_key(era, who)
			|| <Staking as sp_staking::StakingInterface>::is_exposed_in_era(who, era)
	}
	fn minimum_nominator_bond() -> Balance {
		<Staking as sp_staking::StakingInterface>::minimum_nominator_bond()
	}
	fn minimum_validator_bond() -> Balance {
		<Staking as sp_staking::StakingInterface>::minimum_validator_bond()
	}
	fn stash_by_ctrl(controller: &AccountId) -> Result<AccountId, DispatchError> {
		<Staking as sp_staking::StakingInterface>::stash_by_ctrl(controller)
	}
	fn bonding_duration() -> EraIndex {
		<Staking as sp_staking::StakingInterface>::bonding_duration()
	}
	fn nominator_bonding_duration() -> EraIndex {
		<Staking as sp_staking::StakingInterface>::nominator_bonding_duration()
	}
	fn current_era() -> EraIndex {
		<Staking as sp_staking::StakingInterface>::current_era()
	}
	fn stake(who: &AccountId) -> Result<sp_staking::Stake<Balance>, DispatchError> {
		<Staking as sp_staking::StakingInterface>::stake(who)
	}
	fn total_stake(who: &AccountId) -> Result<Balance, DispatchError> {
		<Staking as sp_staking::StakingInterface>::total_stake(who)
	}
	fn active_stake(who: &AccountId) -> Result<Balance, DispatchError> {
		<Staking as sp_staking::StakingInterface>::active_stake(who)
	}
	fn is_unbonding(who: &AccountId) -> Result<bool, DispatchError> {
		<Staking as sp_staking::StakingInterface>::is_unbonding(who)
	}
	fn fully_unbond(who: &AccountId) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::fully_unbond(who)
	}
	fn bond(who: &AccountId, value: Balance, payee: &AccountId) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::bond(who, value, payee)
	}
	fn nominate(who: &AccountId, validators: Vec<AccountId>) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::nominate(who, validators)
	}
	fn chill(who: &AccountId) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::chill(who)
	}
	fn bond_extra(who: &AccountId, extra: Balance) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::bond_extra(who, extra)
	}
	fn unbond(stash: &AccountId, value: Balance) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::unbond(stash, value)
	}
	fn set_payee(stash: &AccountId, reward_acc: &AccountId) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::set_payee(stash, reward_acc)
	}
	fn withdraw_unbonded(stash: AccountId, num_slashing_spans: u32) -> Result<bool, DispatchError> {
		<Staking as sp_staking::StakingInterface>::withdraw_unbonded(stash, num_slashing_spans)
	}
	fn desired_validator_count() -> u32 {
		<Staking as sp_staking::StakingInterface>::desired_validator_count()
	}
	fn election_ongoing() -> bool {
		<Staking as sp_staking::StakingInterface>::election_ongoing()
	}
	fn force_unstake(who: AccountId) -> DispatchResult {
		<Staking as sp_staking::StakingInterface>::force_unstake(who)
	}
	fn status(who: &AccountId) -> Result<sp_staking::StakerStatus<AccountId>, DispatchError> {
		<Staking as sp_staking::StakingInterface>::status(who)
	}
	fn is_validator(who: &AccountId) -> bool {
		<Staking as sp_staking::StakingInterface>::is_validator(who)
	}
	fn is_virtual_staker(who: &AccountId) -> bool {
		<Staking as sp_staking::StakingInterface>::is_virtual_staker(who)
	}
	fn nominations(who: &AccountId) -> Option<Vec<AccountId>> {
		<Staking as sp_staking::StakingInterface>::nominations(who)
	}
	fn slash_reward_fraction() -> Perbill {
		<Staking as sp_staking::StakingInterface>::slash_reward_fraction()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn max_exposure_page_size() -> sp_staking::Page {
		<Staking as sp_staking::StakingInterface>::max_exposure_page_size()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn add_era_stakers(
		current_era: &EraIndex,
		stash: &AccountId,
		exposures: Vec<(AccountId, Balance)>,
	) {
		<Staking as sp_staking::StakingInterface>::add_era_stakers(current_era, stash, exposures)
	}
	#[cfg(any(feature = "std", feature = "runtime-benchmarks"))]
	fn set_era(era: EraIndex) {
		<Staking as sp_staking::StakingInterface>::set_era(era)
	}
}

/// Eras fast-unstake checks per block from genesis (its pallet has no genesis config).
pub struct FastUnstakeGenesis;
impl frame_support::traits::OnGenesis for FastUnstakeGenesis {
	fn on_genesis() {
		pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::put(1);
	}
}

pub mod deposit {
	//! A reservable currency for deposits whose slashes are never burned: `Balances` under a
	//! named reserve, with `slash_reserved` moving the funds to the ecosystem account.
	use super::*;
	use frame_support::traits::{
		tokens::{currency::ReservableWithName, BalanceStatus},
		Currency, ExistenceRequirement, Imbalance, ReservableCurrency, SignedImbalance,
		WithdrawReasons,
	};
	use sp_runtime::{DispatchError, DispatchResult};

	type Inner<Id> = ReservableWithName<Balances, Id, AccountId>;
	type NegativeOf = <Balances as Currency<AccountId>>::NegativeImbalance;
	type PositiveOf = <Balances as Currency<AccountId>>::PositiveImbalance;

	/// `Balances` reserving under `Id`; a slashed deposit goes to the ecosystem account.
	pub struct DepositToEcosystem<Id>(core::marker::PhantomData<Id>);

	impl<Id: Get<[u8; 8]>> Currency<AccountId> for DepositToEcosystem<Id> {
		type Balance = Balance;
		type PositiveImbalance = PositiveOf;
		type NegativeImbalance = NegativeOf;

		fn total_balance(who: &AccountId) -> Balance {
			Inner::<Id>::total_balance(who)
		}
		fn can_slash(who: &AccountId, value: Balance) -> bool {
			Inner::<Id>::can_slash(who, value)
		}
		fn total_issuance() -> Balance {
			Inner::<Id>::total_issuance()
		}
		fn minimum_balance() -> Balance {
			Inner::<Id>::minimum_balance()
		}
		fn burn(amount: Balance) -> PositiveOf {
			Inner::<Id>::burn(amount)
		}
		fn issue(amount: Balance) -> NegativeOf {
			Inner::<Id>::issue(amount)
		}
		fn free_balance(who: &AccountId) -> Balance {
			Inner::<Id>::free_balance(who)
		}
		fn ensure_can_withdraw(
			who: &AccountId,
			amount: Balance,
			reasons: WithdrawReasons,
			new_balance: Balance,
		) -> DispatchResult {
			Inner::<Id>::ensure_can_withdraw(who, amount, reasons, new_balance)
		}
		fn transfer(
			source: &AccountId,
			dest: &AccountId,
			value: Balance,
			existence_requirement: ExistenceRequirement,
		) -> DispatchResult {
			Inner::<Id>::transfer(source, dest, value, existence_requirement)
		}
		fn slash(who: &AccountId, value: Balance) -> (NegativeOf, Balance) {
			Inner::<Id>::slash(who, value)
		}
		fn deposit_into_existing(
			who: &AccountId,
			value: Balance,
		) -> Result<PositiveOf, DispatchError> {
			Inner::<Id>::deposit_into_existing(who, value)
		}
		fn deposit_creating(who: &AccountId, value: Balance) -> PositiveOf {
			Inner::<Id>::deposit_creating(who, value)
		}
		fn withdraw(
			who: &AccountId,
			value: Balance,
			reasons: WithdrawReasons,
			liveness: ExistenceRequirement,
		) -> Result<NegativeOf, DispatchError> {
			Inner::<Id>::withdraw(who, value, reasons, liveness)
		}
		fn make_free_balance_be(
			who: &AccountId,
			balance: Balance,
		) -> SignedImbalance<Balance, PositiveOf> {
			Inner::<Id>::make_free_balance_be(who, balance)
		}
	}

	impl<Id: Get<[u8; 8]>> ReservableCurrency<AccountId> for DepositToEcosystem<Id> {
		fn can_reserve(who: &AccountId, value: Balance) -> bool {
			Inner::<Id>::can_reserve(who, value)
		}
		/// Slashes up to `value` of the reserve into the ecosystem account's free balance: the
		/// issuance is unchanged (nothing burned); returns the part that could not be slashed.
		fn slash_reserved(who: &AccountId, value: Balance) -> (NegativeOf, Balance) {
			// Slashing takes the reserve even where a freeze (e.g. vesting) covers it, which a
			// transfer of reserved funds would refuse; the credit then goes to the ecosystem
			// account (created if it has to be: a deposit is above the existential deposit).
			let (slashed, not_slashed) = Inner::<Id>::slash_reserved(who, value);
			<Balances as Currency<AccountId>>::resolve_creating(&EcosystemAccount::get(), slashed);
			(NegativeOf::zero(), not_slashed)
		}
		fn reserved_balance(who: &AccountId) -> Balance {
			Inner::<Id>::reserved_balance(who)
		}
		fn reserve(who: &AccountId, value: Balance) -> DispatchResult {
			Inner::<Id>::reserve(who, value)
		}
		fn unreserve(who: &AccountId, value: Balance) -> Balance {
			Inner::<Id>::unreserve(who, value)
		}
		fn repatriate_reserved(
			slashed: &AccountId,
			beneficiary: &AccountId,
			value: Balance,
			status: BalanceStatus,
		) -> Result<Balance, DispatchError> {
			Inner::<Id>::repatriate_reserved(slashed, beneficiary, value, status)
		}
	}
}

/// Adds fast-unstake to a chain that started without it (spec 109): its storage version and
/// one era checked per block, as a new chain's genesis sets. Runs once: afterwards the
/// pallet's on-chain storage version is set.
pub struct AddFastUnstake;
impl frame_support::traits::OnRuntimeUpgrade for AddFastUnstake {
	fn on_runtime_upgrade() -> Weight {
		use frame_support::traits::GetStorageVersion;
		type FastUnstake = pallet_fast_unstake::Pallet<Runtime>;
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if FastUnstake::on_chain_storage_version() != 0 {
			return db.reads(1);
		}
		FastUnstake::in_code_storage_version().put::<FastUnstake>();
		pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::put(1);
		db.reads_writes(1, 2)
	}

	/// Whether the migration will run, and the eras checked per block before it.
	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		use frame_support::traits::GetStorageVersion;
		let pending = pallet_fast_unstake::Pallet::<Runtime>::on_chain_storage_version() == 0;
		Ok((pending, pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::get()).encode())
	}

	/// The pallet's storage version is set; one era per block if the migration ran, else
	/// governance's setting is untouched.
	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use frame_support::traits::GetStorageVersion;
		type FastUnstake = pallet_fast_unstake::Pallet<Runtime>;
		let (pending, before) = <(bool, u32)>::decode(&mut &state[..])
			.map_err(|_| sp_runtime::TryRuntimeError::Other("pre-upgrade state"))?;
		frame_support::ensure!(
			FastUnstake::on_chain_storage_version() == FastUnstake::in_code_storage_version(),
			"fast-unstake's storage version is not set"
		);
		let expected = if pending { 1 } else { before };
		frame_support::ensure!(
			pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::get() == expected,
			"fast-unstake's eras checked per block changed unexpectedly"
		);
		Ok(())
	}
}
