//! A test runtime: system, balances and this pallet, with a settable topic stake and a
//! recording epoch hook.

use crate::{self as pallet_topics, EpochHooks, Topic, TopicConfig, TopicId, TopicStake};
use alloc::collections::BTreeMap;
use allora_math::Fixed;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, weights::Weight, PalletId};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Topics: pallet_topics,
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
	pub const MaxTopicsPerBlock: u32 = 4;
	pub const MaxScheduleDeferral: u32 = 2;
}

thread_local! {
	static STAKE: RefCell<BTreeMap<TopicId, u128>> = const { RefCell::new(BTreeMap::new()) };
	static EPOCH_ENDS: RefCell<Vec<(TopicId, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Sets a topic's stake as the staking pallet would.
pub fn set_stake(topic_id: TopicId, amount: u128) {
	STAKE.with(|s| s.borrow_mut().insert(topic_id, amount));
}

/// The (topic, block) epoch ends handed to the hook so far.
pub fn epoch_ends() -> Vec<(TopicId, u64)> {
	EPOCH_ENDS.with(|e| e.borrow().clone())
}

pub struct MockStake;
impl TopicStake for MockStake {
	fn topic_stake(topic_id: TopicId) -> u128 {
		STAKE.with(|s| s.borrow().get(&topic_id).copied().unwrap_or(0))
	}
}

pub struct RecordEpochEnds;
impl EpochHooks<u64, u64> for RecordEpochEnds {
	fn on_epoch_end(topic_id: TopicId, topic: &Topic<u64, u64>, now: u64) {
		assert_eq!(topic.epoch_last_ended, now);
		EPOCH_ENDS.with(|e| e.borrow_mut().push((topic_id, now)));
	}
	fn on_epoch_end_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

impl pallet_topics::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = frame_support::traits::ConstU128<REGISTRATION_DEPOSIT>;
	type RegistrationInactivityEpochs = frame_support::traits::ConstU32<10>;
	type TopicDeposit = frame_support::traits::ConstU128<TOPIC_DEPOSIT>;
	type TopicInactivityEpochs = frame_support::traits::ConstU32<10>;
	type TopicRemoval = ();
	type OnActorLeft = ();
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type EcosystemPalletId = EcosystemId;
	type TopicStake = MockStake;
	type EpochHooks = RecordEpochEnds;
	type MaxTopicsPerBlock = MaxTopicsPerBlock;
	type MaxScheduleDeferral = MaxScheduleDeferral;
	type MaxActiveInferers = frame_support::traits::ConstU32<32>;
	type MaxActiveForecasters = frame_support::traits::ConstU32<8>;
	type MaxActiveReputers = frame_support::traits::ConstU32<8>;
	type MaxForecastElements = frame_support::traits::ConstU32<32>;
	type MaxUnfulfilledNonces = frame_support::traits::ConstU32<100>;
	type WeightInfo = ();
}

/// One ALLO in base units.
pub const ALLO: u128 = 1_000_000_000_000_000_000;
/// Accounts 1-5 hold 1000 ALLO each; account 9 holds only the existential deposit.
pub const POOR: u64 = 9;

/// A valid configuration: E = 12, G = 12, W = 8, the simulator's p, α, ε.
pub fn topic_config() -> TopicConfig<u64> {
	let fx = |s: &str| s.parse::<Fixed>().unwrap_or_default();
	TopicConfig {
		metadata: b"ETH/USD in 1h".to_vec().try_into().unwrap_or_default(),
		loss_method: b"mse".to_vec().try_into().unwrap_or_default(),
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
		inference_range: crate::ValueRange::WIDEST_INFERENCE,
		loss_range: crate::ValueRange::WIDEST_LOSS,
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap_or_default();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=5).map(|a| (a, 1_000 * ALLO)).chain([(POOR, 1_000)]).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap_or_default();
	pallet_topics::GenesisConfig::<Test>::default().assimilate_storage(&mut t).unwrap_or_default();
	STAKE.with(|s| s.borrow_mut().clear());
	EPOCH_ENDS.with(|e| e.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `on_finalize` of the current block and `on_initialize` of the next ones up to `n`.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let now = System::block_number();
		Topics::on_finalize(now);
		System::set_block_number(now + 1);
		Topics::on_initialize(now + 1);
	}
}

/// The registration deposit of workers and reputers in this mock.
pub const REGISTRATION_DEPOSIT: u128 = 2_000_000_000_000_000_000;
/// The topic deposit in this mock.
pub const TOPIC_DEPOSIT: u128 = 5_000_000_000_000_000_000;
