//! A test runtime: system, balances, topics (stake-weighted topics) and this pallet.

use crate as pallet_stake;
use allora_math::Fixed;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use pallet_topics::{NetworkParams, TopicConfig};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Topics: pallet_topics,
		Stake: pallet_stake,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
}

parameter_types! {
	pub const ExistentialDeposit: u128 = 1_000;
	pub const EcosystemId: PalletId = PalletId(*b"allo/eco");
	pub const PendingRewardsId: PalletId = PalletId(*b"allo/pdr");
}

impl pallet_topics::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = frame_support::traits::ConstU128<REGISTRATION_DEPOSIT>;
	type RegistrationInactivityEpochs = frame_support::traits::ConstU32<10>;
	type TopicDeposit = frame_support::traits::ConstU128<TOPIC_DEPOSIT>;
	type TopicInactivityEpochs = frame_support::traits::ConstU32<10>;
	type TopicRemoval = Stake;
	type OnActorLeft = ();
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type EcosystemPalletId = EcosystemId;
	type TopicStake = Stake;
	type EpochHooks = ();
	type MaxTopicsPerBlock = ConstU32<4>;
	type MaxScheduleDeferral = ConstU32<2>;
	type MaxActiveInferers = ConstU32<32>;
	type MaxActiveForecasters = ConstU32<8>;
	type MaxActiveReputers = ConstU32<8>;
	type MaxForecastElements = ConstU32<12>;
	type MaxUnfulfilledNonces = ConstU32<100>;
	type WeightInfo = ();
}

impl pallet_stake::Config for Test {
	type Currency = Balances;
	type PendingRewardsPalletId = PendingRewardsId;
	type MaxReputersPerTopic = ConstU32<8>;
	type MaxRemovalsPerBlock = ConstU32<4>;
	type WeightInfo = ();
}

/// One ALLO in base units.
pub const ALLO: u128 = 1_000_000_000_000_000_000;
/// Removal delay of the tests.
pub const DELAY: u64 = 10;

pub fn fx(s: &str) -> Fixed {
	s.parse().unwrap()
}

pub fn topic_config() -> TopicConfig<u64> {
	TopicConfig {
		metadata: Default::default(),
		loss_method: b"mse".to_vec().try_into().unwrap(),
		epoch_length: 12,
		ground_truth_lag: 12,
		worker_submission_window: 8,
		p_norm: fx("3"),
		alpha_regret: fx("0.1"),
		allow_negative: false,
		epsilon: fx("0.01"),
		merit_sortition_alpha: fx("0.1"),
		active_inferer_quantile: fx("0.2"),
		active_forecaster_quantile: fx("0.2"),
		active_reputer_quantile: fx("0.2"),
		inference_range: pallet_topics::ValueRange::WIDEST_INFERENCE,
		loss_range: pallet_topics::ValueRange::WIDEST_LOSS,
	}
}

/// Accounts 1-20 hold 1000 ALLO; topic 1 exists (created by account 1).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=20).map(|a| (a, 1_000 * ALLO)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let params = NetworkParams {
		remove_stake_delay_window: DELAY as u32,
		half_max_process_stake_removals_end_block: 2,
		..Default::default()
	};
	pallet_topics::GenesisConfig::<Test> { params, ..Default::default() }
		.assimilate_storage(&mut t)
		.unwrap();
	pallet_stake::GenesisConfig::<Test>::default().assimilate_storage(&mut t).unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		Topics::create_topic(RuntimeOrigin::signed(1), topic_config()).unwrap();
	});
	ext
}

/// Initializes blocks up to `n` (stake removals run in `on_initialize`).
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Stake::on_initialize(next);
	}
}

/// The registration deposit of workers and reputers in this mock.
pub const REGISTRATION_DEPOSIT: u128 = 2_000_000_000_000_000_000;
/// The topic deposit in this mock.
pub const TOPIC_DEPOSIT: u128 = 5_000_000_000_000_000_000;
