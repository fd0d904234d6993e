//! Unit tests of the topics pallet against the mock runtime.

use crate::ValueRange;
use crate::{
	mock::*,
	pallet::{
		Call, Error, Event, FeeRevenue, NextEpochEnd, NextTopicId, Params, PreviousTopicWeight,
		Schedule, Topics as TopicStore, TotalSumPreviousTopicWeights,
	},
	schedule::dripped_revenue,
	EpochHooks, NetworkParams, Param, ParamsUpdate, TopicConfig, TopicField, TopicId, TopicUpdate,
	WeightInfo,
};
use allora_math::Fixed;
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_runtime::DispatchError;

fn fx(s: &str) -> Fixed {
	s.parse().unwrap()
}

fn create(who: u64) -> TopicId {
	let id = NextTopicId::<Test>::get();
	assert_ok!(Topics::create_topic(RuntimeOrigin::signed(who), topic_config()));
	id
}

fn eco_balance() -> u128 {
	Balances::balance(&Topics::ecosystem_account())
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Topics(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn genesis_defaults_are_valid_and_fund_the_ecosystem_account() {
	new_test_ext().execute_with(|| {
		assert_eq!(Params::<Test>::get(), NetworkParams::default());
		assert_eq!(NetworkParams::default().validate(&Topics::storage_bounds()), Ok(()));
		assert_eq!(eco_balance(), ExistentialDeposit::get());
		assert_eq!(NextTopicId::<Test>::get(), 1);
	});
}

#[test]
fn network_params_round_trip_through_genesis_json() {
	let params = NetworkParams::default();
	let json = serde_json::to_value(&params).unwrap();
	assert_eq!(json["minTopicWeight"], "0.0001");
	assert_eq!(json["createTopicFee"].to_string(), "75000000000000000");
	assert_eq!(json["blocksPerMonth"], 432_000);
	let back: NetworkParams = serde_json::from_value(json).unwrap();
	assert_eq!(back, params);
}

#[test]
fn create_topic_stores_it_charges_the_fee_and_counts_it_as_revenue() {
	new_test_ext().execute_with(|| {
		let fee = Params::<Test>::get().create_topic_fee;
		let before = Balances::balance(&1);
		let id = create(1);
		assert_eq!(id, 1);
		assert_eq!(NextTopicId::<Test>::get(), 2);
		let topic = TopicStore::<Test>::get(id).unwrap();
		assert_eq!(topic.creator, 1);
		assert_eq!(topic.config, topic_config());
		assert_eq!(topic.epoch_last_ended, 0);
		assert_eq!(topic.initial_regret, Fixed::ZERO);
		assert_eq!(Balances::balance(&1), before - fee - TOPIC_DEPOSIT);
		assert_eq!(topic_deposit_held(1), TOPIC_DEPOSIT);
		assert_eq!(eco_balance(), ExistentialDeposit::get() + fee);
		assert_eq!(FeeRevenue::<Test>::get(id), fee);
		// Not activated at creation (spec 2), even though its weight would be positive.
		set_stake(id, ALLO);
		assert!(!Topics::is_active(id));
		assert_eq!(
			events(),
			vec![
				Event::TopicCreated { topic_id: 1, creator: 1, fee },
				Event::RevenueReceived { topic_id: 1, payer: 1, amount: fee, revenue: fee },
			]
		);
	});
}

fn topic_deposit_held(who: u64) -> u128 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&RuntimeHoldReason::Topics(crate::HoldReason::TopicDeposit), &who)
}

/// A topic never activated (or inactive) for `TopicInactivityEpochs` (10 in the mock) of its
/// epochs (12 blocks) since its creation or its last epoch end is removed by anyone for its
/// deposit; before that, or while active, the removal is refused and changes nothing.
#[test]
fn an_abandoned_topic_is_removed_for_its_deposit_and_an_active_one_is_not() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		let other = create(2);
		System::set_block_number(1 + 120 - 1);
		assert_noop!(
			Topics::remove_topic(RuntimeOrigin::signed(3), id),
			Error::<Test>::TopicStillActive
		);
		System::set_block_number(1 + 120);
		set_stake(other, ALLO);
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), other, ALLO));
		assert!(Topics::is_active(other));
		assert_noop!(
			Topics::remove_topic(RuntimeOrigin::signed(3), other),
			Error::<Test>::TopicStillActive
		);
		let before = Balances::balance(&3);
		assert_ok!(Topics::remove_topic(RuntimeOrigin::signed(3), id));
		assert_eq!(Balances::balance(&3), before + TOPIC_DEPOSIT);
		assert_eq!(topic_deposit_held(1), 0);
		assert!(TopicStore::<Test>::get(id).is_none());
		assert!(FeeRevenue::<Test>::get(id) == 0 && !FeeRevenue::<Test>::contains_key(id));
		assert!(crate::TopicDeposits::<Test>::get(id).is_none());
		assert_eq!(
			events().last(),
			Some(&Event::TopicRemoved { topic_id: id, remover: 3, deposit: TOPIC_DEPOSIT })
		);
		assert_noop!(
			Topics::remove_topic(RuntimeOrigin::signed(3), id),
			Error::<Test>::TopicNotFound
		);
		// A creator who cannot hold the deposit cannot create a topic.
		let fee = Params::<Test>::get().create_topic_fee;
		let _ = <Balances as frame_support::traits::fungible::Mutate<u64>>::mint_into(
			&7,
			1_000 + fee + TOPIC_DEPOSIT - 1,
		);
		assert_noop!(
			Topics::create_topic(RuntimeOrigin::signed(7), topic_config()),
			Error::<Test>::CannotHoldDeposit
		);
		Topics::do_try_state().unwrap();
	});
}

#[test]
fn create_topic_rejects_each_invalid_field_and_changes_nothing() {
	type Edit = fn(&mut TopicConfig<u64>);
	let cases: Vec<(Edit, TopicField)> = vec![
		(|c| c.loss_method = Default::default(), TopicField::LossMethod),
		(|c| c.epoch_length = 11, TopicField::EpochLength),
		(|c| c.epoch_length = 0, TopicField::EpochLength),
		(|c| c.worker_submission_window = 0, TopicField::WorkerSubmissionWindow),
		// Fix a: W = E would never close a window.
		(|c| c.worker_submission_window = 12, TopicField::WorkerSubmissionWindow),
		(|c| c.ground_truth_lag = 11, TopicField::GroundTruthLag),
		// Finding 5: G = 50·E and 100·E would drop the nonce before N + 2G (M = 100 kept).
		(|c| c.ground_truth_lag = 12 * 50, TopicField::GroundTruthLag),
		(|c| c.ground_truth_lag = 12 * 100, TopicField::GroundTruthLag),
		(|c| c.ground_truth_lag = 12 * 49 + 1, TopicField::GroundTruthLag),
		(|c| c.p_norm = fx("2.49"), TopicField::PNorm),
		(|c| c.p_norm = fx("4.51"), TopicField::PNorm),
		(|c| c.alpha_regret = Fixed::ZERO, TopicField::AlphaRegret),
		(|c| c.alpha_regret = fx("1.01"), TopicField::AlphaRegret),
		(|c| c.epsilon = Fixed::ZERO, TopicField::Epsilon),
		(|c| c.merit_sortition_alpha = Fixed::ONE, TopicField::MeritSortitionAlpha),
		(|c| c.active_inferer_quantile = fx("-0.1"), TopicField::ActiveInfererQuantile),
		(|c| c.active_forecaster_quantile = Fixed::ONE, TopicField::ActiveForecasterQuantile),
		(|c| c.active_reputer_quantile = fx("1.5"), TopicField::ActiveReputerQuantile),
		(|c| c.epsilon = fx("0.0000000009"), TopicField::Epsilon),
		(|c| c.epsilon = fx("1000.000000000000000001"), TopicField::Epsilon),
		(|c| c.inference_range.max = c.inference_range.min, TopicField::InferenceRange),
		(
			|c| c.inference_range.max = fx("1000000000000.000000000000000001"),
			TopicField::InferenceRange,
		),
		(|c| c.inference_range.min = fx("-1000000000001"), TopicField::InferenceRange),
		(|c| c.loss_range = ValueRange { min: fx("1"), max: fx("0") }, TopicField::LossRange),
		(|c| c.loss_range.max = fx("1000000.000000000000000001"), TopicField::LossRange),
		(|c| c.loss_range.min = fx("-1000001"), TopicField::LossRange),
	];
	new_test_ext().execute_with(|| {
		for (edit, field) in cases {
			let mut config = topic_config();
			edit(&mut config);
			assert_noop!(
				Topics::create_topic(RuntimeOrigin::signed(1), config),
				Error::<Test>::InvalidTopicField { field }
			);
		}
		// The bounds themselves are accepted: G = 49·E, W = E − 1, p = 2.5 and 4.5, α = 1,
		// ε = 10^-9, the widest ranges.
		let mut config = topic_config();
		config.ground_truth_lag = 12 * 49;
		config.epsilon = fx("0.000000001");
		config.worker_submission_window = 11;
		config.p_norm = fx("4.5");
		config.alpha_regret = Fixed::ONE;
		assert_ok!(Topics::create_topic(RuntimeOrigin::signed(1), config));
	});
}

#[test]
fn metadata_longer_than_max_string_length_is_rejected() {
	new_test_ext().execute_with(|| {
		let update = ParamsUpdate { max_string_length: Some(5), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		let mut config = topic_config();
		config.metadata = b"123456".to_vec().try_into().unwrap();
		assert_noop!(
			Topics::create_topic(RuntimeOrigin::signed(1), config),
			Error::<Test>::InvalidTopicField { field: TopicField::Metadata }
		);
	});
}

#[test]
fn strings_over_the_storage_bound_do_not_decode() {
	// A call with a 256-byte metadata cannot even be decoded: it never reaches the pallet.
	let mut call = RuntimeCall::Topics(Call::create_topic { config: topic_config() }).encode();
	let good = RuntimeCall::decode(&mut &call[..]);
	assert!(good.is_ok());
	// Re-encode the metadata field with 256 bytes: index 0 = pallet, 1 = call, then the vec.
	let mut long = call[..2].to_vec();
	vec![b'x'; 256].encode_to(&mut long);
	long.extend_from_slice(&call[2 + topic_config().metadata.encoded_size()..]);
	call = long;
	assert!(RuntimeCall::decode(&mut &call[..]).is_err());
}

#[test]
fn create_topic_fails_when_the_creator_cannot_pay() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Topics::create_topic(RuntimeOrigin::signed(POOR), topic_config()),
			Error::<Test>::CannotPayFee
		);
		assert_eq!(NextTopicId::<Test>::get(), 1);
	});
}

#[test]
fn fund_topic_rejects_unknown_topic_zero_amount_and_overdraft() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		assert_noop!(
			Topics::fund_topic(RuntimeOrigin::signed(2), 99, ALLO),
			Error::<Test>::TopicNotFound
		);
		assert_noop!(
			Topics::fund_topic(RuntimeOrigin::signed(2), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Topics::fund_topic(RuntimeOrigin::signed(2), id, 1_000 * ALLO),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(Topics::fund_topic(RuntimeOrigin::none(), id, ALLO), DispatchError::BadOrigin);
	});
}

#[test]
fn funding_adds_revenue_and_activates_a_topic_whose_weight_reaches_the_minimum() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		let fee = Params::<Test>::get().create_topic_fee;
		// No stake: S^0.5 = 0, the weight is 0 and the topic stays inactive.
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), id, ALLO));
		assert!(!Topics::is_active(id));
		assert_eq!(FeeRevenue::<Test>::get(id), fee + ALLO);
		assert_eq!(eco_balance(), ExistentialDeposit::get() + fee + ALLO);

		set_stake(id, 4 * ALLO);
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), id, ALLO));
		// ŵ = √4 · √((0.075 + 2)/12) (first weight: no EMA).
		let expected =
			fx("2").checked_mul(fx("2.075").checked_div(fx("12")).unwrap().sqrt().unwrap());
		let weight =
			Topics::current_weight(id, &TopicStore::<Test>::get(id).unwrap(), &Topics::params());
		assert!((weight.checked_sub(expected.unwrap()).unwrap()).abs() < fx("0.000000001"));
		assert_eq!(NextEpochEnd::<Test>::get(id), Some(13));
		assert_eq!(Schedule::<Test>::get(13).to_vec(), vec![id]);
		assert!(events().contains(&Event::TopicActivated { topic_id: id, weight, epoch_end: 13 }));
		Topics::do_try_state().unwrap();
	});
}

/// Issue 11: the activation probe is only paid for when it runs. A fee on an inactive topic
/// returns the reserved `pay_fee` weight; on an active topic the lighter `pay_fee_active`.
#[test]
fn a_fee_returns_the_weight_of_the_path_it_took() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		set_stake(id, 4 * ALLO);
		assert!(!Topics::is_active(id));
		assert_eq!(Topics::pay_fee(&2, id, ALLO), Ok(<() as WeightInfo>::pay_fee()));
		assert!(Topics::is_active(id));
		assert_eq!(Topics::pay_fee(&2, id, ALLO), Ok(<() as WeightInfo>::pay_fee_active()));
		assert_eq!(FeeRevenue::<Test>::get(id), Params::<Test>::get().create_topic_fee + 2 * ALLO);
		// A payer who cannot pay changes nothing.
		assert_noop!(Topics::pay_fee(&2, id, 1_000 * ALLO), Error::<Test>::CannotPayFee);
	});
}

#[test]
fn an_epoch_end_updates_the_weight_drips_revenue_reschedules_and_opens_the_epoch() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		set_stake(id, 4 * ALLO);
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), id, ALLO));
		let revenue = FeeRevenue::<Test>::get(id);
		let topic = TopicStore::<Test>::get(id).unwrap();
		let weight = Topics::current_weight(id, &topic, &Topics::params());
		run_to_block(13);
		assert!(epoch_ends().is_empty(), "the epoch ends in on_finalize of block 13");
		run_to_block(14);
		assert_eq!(epoch_ends(), vec![(id, 13)]);
		assert_eq!(TopicStore::<Test>::get(id).unwrap().epoch_last_ended, 13);
		assert_eq!(PreviousTopicWeight::<Test>::get(id), Some(weight));
		assert_eq!(TotalSumPreviousTopicWeights::<Test>::get(), weight);
		let dripped = dripped_revenue(revenue, 12, 432_000);
		assert!(dripped < revenue);
		assert_eq!(FeeRevenue::<Test>::get(id), dripped);
		assert_eq!(NextEpochEnd::<Test>::get(id), Some(25));
		assert!(events().contains(&Event::EpochEnded {
			topic_id: id,
			weight,
			revenue: dripped,
			next_epoch_end: 25
		}));
		// Second epoch: w = α·ŵ + (1 − α)·w_prev with the dripped revenue.
		run_to_block(26);
		let target = fx("2")
			.checked_mul(
				Fixed::from_base_units(dripped)
					.unwrap()
					.checked_div(fx("12"))
					.unwrap()
					.sqrt()
					.unwrap(),
			)
			.unwrap();
		let half = fx("0.5");
		let expected = half
			.checked_mul(target)
			.unwrap()
			.checked_add(half.checked_mul(weight).unwrap())
			.unwrap();
		let stored = PreviousTopicWeight::<Test>::get(id).unwrap();
		assert!(stored.checked_sub(expected).unwrap().abs() <= fx("0.000000000000000002"));
		assert_eq!(epoch_ends(), vec![(id, 13), (id, 25)]);
		Topics::do_try_state().unwrap();
	});
}

#[test]
fn a_topic_below_min_topic_weight_is_inactivated_at_its_epoch_end_and_can_come_back() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		set_stake(id, 4 * ALLO);
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), id, ALLO));
		let update = ParamsUpdate { min_topic_weight: Some(fx("1000")), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		run_to_block(14);
		assert!(!Topics::is_active(id));
		assert!(epoch_ends().is_empty(), "an inactivated topic gets no nonce");
		assert!(Schedule::<Test>::get(25).is_empty());
		assert_eq!(TotalSumPreviousTopicWeights::<Test>::get(), Fixed::ZERO);
		let weight = PreviousTopicWeight::<Test>::get(id).unwrap();
		assert!(events().contains(&Event::TopicInactivated { topic_id: id, weight }));
		// Lower the bar again: the next payment reactivates it and its weight rejoins the sum.
		let update = ParamsUpdate { min_topic_weight: Some(fx("0.0001")), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), id, 1));
		assert_eq!(NextEpochEnd::<Test>::get(id), Some(26));
		assert_eq!(TotalSumPreviousTopicWeights::<Test>::get(), weight);
		Topics::do_try_state().unwrap();
	});
}

#[test]
fn full_blocks_defer_epoch_ends_then_the_lightest_topic_is_displaced() {
	new_test_ext().execute_with(|| {
		// One topic per block, deferral up to 2 blocks: blocks 13, 14, 15 take three topics.
		let ids: Vec<TopicId> = (0..5).map(|_| create(1)).collect();
		for (i, id) in ids.iter().enumerate() {
			set_stake(*id, (i as u128 + 1) * ALLO);
		}
		for id in &ids[..3] {
			assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), *id, ALLO));
		}
		assert_eq!(NextEpochEnd::<Test>::get(ids[0]), Some(13));
		assert_eq!(NextEpochEnd::<Test>::get(ids[1]), Some(14));
		assert_eq!(NextEpochEnd::<Test>::get(ids[2]), Some(15));
		// The weights that decide displacement are the stored ones: give topic 1 its weight.
		PreviousTopicWeight::<Test>::insert(ids[0], fx("0.01"));
		// Topic 4 (stake 4) is heavier than topic 1 at block 13: topic 1 is displaced.
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), ids[3], ALLO));
		assert_eq!(NextEpochEnd::<Test>::get(ids[3]), Some(13));
		assert!(!Topics::is_active(ids[0]));
		// Topic 5 with a tiny stake is lighter than topic 4: it stays inactive.
		set_stake(ids[4], 1);
		PreviousTopicWeight::<Test>::insert(ids[3], fx("1"));
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), ids[4], ALLO));
		assert!(!Topics::is_active(ids[4]));
		Topics::do_try_state().unwrap();
	});
}

#[test]
fn several_topics_in_one_block_end_heaviest_first() {
	new_test_ext().execute_with(|| {
		let update = ParamsUpdate { max_active_topics_per_block: Some(4), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		let ids: Vec<TopicId> = (0..3).map(|_| create(1)).collect();
		set_stake(ids[0], ALLO);
		set_stake(ids[1], 9 * ALLO);
		set_stake(ids[2], 4 * ALLO);
		for id in &ids {
			assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), *id, ALLO));
		}
		assert_eq!(Schedule::<Test>::get(13).len(), 3);
		run_to_block(14);
		assert_eq!(epoch_ends(), vec![(ids[1], 13), (ids[2], 13), (ids[0], 13)]);
		Topics::do_try_state().unwrap();
	});
}

#[test]
fn on_initialize_reserves_the_weight_of_the_due_epoch_ends() {
	use frame_support::traits::Hooks;
	new_test_ext().execute_with(|| {
		let id = create(1);
		set_stake(id, ALLO);
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(2), id, ALLO));
		let idle = Topics::on_initialize(12);
		let due = Topics::on_initialize(13);
		assert_eq!(
			due,
			<() as WeightInfo>::on_finalize_epoch_ends(1)
				.saturating_add(RecordEpochEnds::on_epoch_end_weight())
		);
		assert!(due.ref_time() > idle.ref_time());
	});
}

#[test]
fn update_params_requires_governance_and_validates_every_range() {
	new_test_ext().execute_with(|| {
		let update = ParamsUpdate { data_sending_fee: Some(5), ..Default::default() };
		assert_noop!(
			Topics::update_params(RuntimeOrigin::signed(1), Box::new(update.clone())),
			DispatchError::BadOrigin
		);
		let bad: Vec<(ParamsUpdate, Param)> = vec![
			(
				ParamsUpdate { beta_entropy: Some(fx("1.1")), ..Default::default() },
				Param::BetaEntropy,
			),
			(
				ParamsUpdate { learning_rate: Some(Fixed::ONE), ..Default::default() },
				Param::LearningRate,
			),
			(
				ParamsUpdate { min_epoch_length: Some(0), ..Default::default() },
				Param::MinEpochLength,
			),
			(
				ParamsUpdate { max_top_inferers_to_reward: Some(33), ..Default::default() },
				Param::MaxTopInferersToReward,
			),
			(
				ParamsUpdate { max_elements_per_forecast: Some(0), ..Default::default() },
				Param::MaxElementsPerForecast,
			),
			(
				ParamsUpdate { max_active_topics_per_block: Some(5), ..Default::default() },
				Param::MaxActiveTopicsPerBlock,
			),
			(
				ParamsUpdate { epsilon_safe_div: Some(Fixed::ZERO), ..Default::default() },
				Param::EpsilonSafeDiv,
			),
			(
				ParamsUpdate { blocks_per_month: Some(0), ..Default::default() },
				Param::BlocksPerMonth,
			),
			(
				ParamsUpdate { version: Some(Default::default()), ..Default::default() },
				Param::Version,
			),
			(ParamsUpdate { max_page_limit: Some(99), ..Default::default() }, Param::MaxPageLimit),
		];
		for (update, param) in bad {
			assert_noop!(
				Topics::update_params(RuntimeOrigin::root(), Box::new(update)),
				Error::<Test>::InvalidParameter { param }
			);
		}
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		assert_eq!(Params::<Test>::get().data_sending_fee, 5);
		assert_eq!(
			Params::<Test>::get().registration_fee,
			NetworkParams::default().registration_fee
		);
		assert_eq!(events().last(), Some(&Event::ParamsUpdated));
	});
}

#[test]
fn update_topic_requires_governance_and_validates_the_merged_configuration() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		let update = TopicUpdate {
			epoch_length: Some(20),
			ground_truth_lag: Some(40),
			..Default::default()
		};
		assert_noop!(
			Topics::update_topic(RuntimeOrigin::signed(1), id, update.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Topics::update_topic(RuntimeOrigin::root(), 7, update.clone()),
			Error::<Test>::TopicNotFound
		);
		// G = 12 < E = 20 when only E changes.
		assert_noop!(
			Topics::update_topic(
				RuntimeOrigin::root(),
				id,
				TopicUpdate { epoch_length: Some(20), ..Default::default() }
			),
			Error::<Test>::InvalidTopicField { field: TopicField::GroundTruthLag }
		);
		assert_noop!(
			Topics::update_topic(
				RuntimeOrigin::root(),
				id,
				TopicUpdate {
					epoch_length: Some(12),
					worker_submission_window: Some(12),
					..Default::default()
				}
			),
			Error::<Test>::InvalidTopicField { field: TopicField::WorkerSubmissionWindow }
		);
		assert_ok!(Topics::update_topic(RuntimeOrigin::root(), id, update));
		let topic = TopicStore::<Test>::get(id).unwrap();
		assert_eq!(topic.config.epoch_length, 20);
		assert_eq!(topic.config.ground_truth_lag, 40);
		assert_eq!(topic.config.worker_submission_window, 8);
		assert_eq!(events().last(), Some(&Event::TopicUpdated { topic_id: id }));
	});
}
