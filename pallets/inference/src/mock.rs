//! A test runtime: system, balances, topics and this pallet. Topic weights come from fee
//! revenue alone (μ = 0, no staking pallet); regrets and the latest network loss are settable.

use crate::{self as pallet_inference, TopicRegrets};
use allora_math::Fixed;
use allora_synthesis::regrets::Regrets;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use pallet_topics::{NetworkParams, TopicConfig, TopicId};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Topics: pallet_topics,
		Inference: pallet_inference,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
	// Real read and write weights: the payload's weight refunds reads it did not make.
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
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
}

impl pallet_topics::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = frame_support::traits::ConstU128<REGISTRATION_DEPOSIT>;
	type RegistrationInactivityEpochs = frame_support::traits::ConstU32<10>;
	type TopicDeposit = frame_support::traits::ConstU128<TOPIC_DEPOSIT>;
	type TopicInactivityEpochs = frame_support::traits::ConstU32<10>;
	type TopicRemoval = Inference;
	type OnActorLeft = ();
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type EcosystemPalletId = EcosystemId;
	type TopicStake = ();
	type EpochHooks = Inference;
	type MaxTopicsPerBlock = ConstU32<4>;
	type MaxScheduleDeferral = ConstU32<2>;
	type MaxActiveInferers = ConstU32<32>;
	type MaxActiveForecasters = ConstU32<8>;
	type MaxActiveReputers = ConstU32<8>;
	type MaxForecastElements = ConstU32<12>;
	type MaxUnfulfilledNonces = ConstU32<100>;
	type WeightInfo = ();
}

thread_local! {
	static REGRETS: RefCell<Option<(Regrets<u64>, Fixed)>> = const { RefCell::new(None) };
}

/// Makes the mock reputer side report these regrets and latest network loss.
pub fn set_regrets(regrets: Regrets<u64>, latest_network_loss: Fixed) {
	REGRETS.with(|r| *r.borrow_mut() = Some((regrets, latest_network_loss)));
}

pub struct MockRegrets;
impl TopicRegrets<u64> for MockRegrets {
	fn regrets(_: TopicId, initial: Fixed) -> Regrets<u64> {
		REGRETS
			.with(|r| r.borrow().as_ref().map(|(g, _)| g.clone()))
			.unwrap_or(Regrets::new(initial))
	}
	fn latest_network_loss(_: TopicId) -> Option<Fixed> {
		REGRETS.with(|r| r.borrow().as_ref().map(|(_, l)| *l))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_worst_case(_: TopicId, actors: &[u64]) {
		let mut regrets = Regrets::new(fx("0.1"));
		for (i, a) in actors.iter().enumerate() {
			let r = Fixed::from_rational(i as i128 % 5 - 2, 3).unwrap();
			regrets.inferer.insert(*a, r);
			regrets.forecaster.insert(*a, r);
			regrets.naive_inferer.insert(*a, r);
		}
		set_regrets(regrets, fx("0.5"));
	}
}

impl pallet_inference::Config for Test {
	type Regrets = MockRegrets;
	type OnReputerNonceDropped = ();
	type MaxWorkersPerTopic = ConstU32<10>;
	type MaxStoredNonces = ConstU32<6>;
	type MaxWindowsPerBlock = ConstU32<4>;
	type WeightInfo = ();
}

/// One ALLO in base units.
pub const ALLO: u128 = 1_000_000_000_000_000_000;
/// Holds the existential deposit, the registration fee and deposit and 1 base unit more.
pub const NEARLY_BROKE: u64 = 99;

pub fn fx(s: &str) -> Fixed {
	s.parse().unwrap()
}

/// E = 12, G = 12, W = 8, simulator settings.
pub fn topic_config() -> TopicConfig<u64> {
	TopicConfig {
		metadata: b"ETH/USD in 1h".to_vec().try_into().unwrap(),
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

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let fee = NetworkParams::default().registration_fee;
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=20)
			.map(|a| (a, 1_000 * ALLO))
			.chain([(NEARLY_BROKE, 1_000 + fee + REGISTRATION_DEPOSIT + 1)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let params = NetworkParams {
		topic_reward_stake_importance: Fixed::ZERO,
		max_top_inferers_to_reward: 8,
		max_top_forecasters_to_reward: 4,
		max_top_reputers_to_reward: 4,
		max_elements_per_forecast: 8,
		max_unfulfilled_worker_requests: 10,
		max_unfulfilled_reputer_requests: 10,
		..Default::default()
	};
	pallet_topics::GenesisConfig::<Test> { params, ..Default::default() }
		.assimilate_storage(&mut t)
		.unwrap();
	REGRETS.with(|r| *r.borrow_mut() = None);
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Finalizes the current block and initializes the next ones, up to block `n`.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let now = System::block_number();
		Topics::on_finalize(now);
		Inference::on_finalize(now);
		System::set_block_number(now + 1);
		Topics::on_initialize(now + 1);
		Inference::on_initialize(now + 1);
	}
}

/// The registration deposit of workers and reputers in this mock.
pub const REGISTRATION_DEPOSIT: u128 = 2_000_000_000_000_000_000;
/// The topic deposit in this mock.
pub const TOPIC_DEPOSIT: u128 = 5_000_000_000_000_000_000;
