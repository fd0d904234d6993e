//! Unit tests of the inference pallet against the mock runtime.

use crate::{
	mock::*,
	pallet::{
		Error, Event, Forecasts, Inferences, LatestNetworkInference, OpenWorkerNonces,
		PreviousQuantileScore, ReputerNonces, RetainedNonces, Rounds, ScoreEmas, WorkerCount,
		Workers,
	},
	ForecastElement, InferenceMode, InferenceQueryError, NetworkInferenceBundle, Role, ScoreEma,
};
use allora_math::Fixed;
use allora_synthesis::{
	inference::{network_inference, Forecast, SynthesisInput},
	regrets::Regrets,
	SynthesisParams,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, Mutate},
	BoundedVec,
};
use pallet_topics::{ParamsUpdate, TopicId};

/// Epoch end of a topic created and activated at block 1 (E = 12).
const N: u64 = 13;

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Inference(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// A topic with workers `workers` registered (which activates it: weight from revenue).
fn topic_with_workers(workers: &[u64]) -> TopicId {
	let id = pallet_topics::NextTopicId::<Test>::get();
	assert_ok!(Topics::create_topic(RuntimeOrigin::signed(1), topic_config()));
	for w in workers {
		assert_ok!(Inference::register_worker(RuntimeOrigin::signed(*w), id));
	}
	id
}

fn forecast(elements: &[(u64, &str)]) -> Option<crate::ElementsOf<Test>> {
	Some(
		elements
			.iter()
			.map(|(inferer, v)| ForecastElement { inferer: *inferer, value: fx(v) })
			.collect::<Vec<_>>()
			.try_into()
			.unwrap(),
	)
}

fn submit(
	who: u64,
	topic: TopicId,
	nonce: u64,
	inference: Option<&str>,
	elements: &[(u64, &str)],
) -> frame_support::pallet_prelude::DispatchResultWithPostInfo {
	let f = if elements.is_empty() { None } else { forecast(elements) };
	Inference::submit_worker_payload(RuntimeOrigin::signed(who), topic, nonce, inference.map(fx), f)
}

fn params() -> SynthesisParams {
	SynthesisParams {
		p_norm: fx("3"),
		c_norm: fx("0.75"),
		epsilon: fx("0.01"),
		epsilon_safe_div: fx("0.0000001"),
		outlier_mads: fx("12"),
	}
}

#[test]
fn registration_charges_the_fee_and_counts_workers() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Inference::register_worker(RuntimeOrigin::signed(2), 7),
			Error::<Test>::TopicNotFound
		);
		let id = topic_with_workers(&[]);
		let fee = Topics::params().registration_fee;
		let revenue = pallet_topics::FeeRevenue::<Test>::get(id);
		assert_ok!(Inference::register_worker(RuntimeOrigin::signed(2), id));
		assert!(Workers::<Test>::contains_key(id, 2));
		assert_eq!(WorkerCount::<Test>::get(id), 1);
		assert_eq!(pallet_topics::FeeRevenue::<Test>::get(id), revenue + fee);
		assert_eq!(events(), vec![Event::WorkerRegistered { topic_id: id, worker: 2 }]);
		assert_noop!(
			Inference::register_worker(RuntimeOrigin::signed(2), id),
			Error::<Test>::AlreadyRegistered
		);
		// The registration fee made the topic's weight positive: it is active now.
		assert_eq!(pallet_topics::NextEpochEnd::<Test>::get(id), Some(N));
		Inference::do_try_state().unwrap();
	});
}

#[test]
fn registration_is_bounded_and_needs_the_fee() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&(1..=10).collect::<Vec<_>>());
		assert_noop!(
			Inference::register_worker(RuntimeOrigin::signed(11), id),
			Error::<Test>::TooManyWorkers
		);
		let id2 = topic_with_workers(&[]);
		assert_noop!(
			Inference::register_worker(RuntimeOrigin::signed(100), id2),
			pallet_topics::Error::<Test>::CannotPayFee
		);
	});
}

#[test]
fn unregistering_removes_the_worker() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2]);
		assert_noop!(
			Inference::unregister_worker(RuntimeOrigin::signed(3), id),
			Error::<Test>::NotRegisteredWorker
		);
		assert_ok!(Inference::unregister_worker(RuntimeOrigin::signed(2), id));
		assert!(!Workers::<Test>::contains_key(id, 2));
		assert_eq!(WorkerCount::<Test>::get(id), 0);
		assert_eq!(events().last(), Some(&Event::WorkerUnregistered { topic_id: id, worker: 2 }));
	});
}

fn deposit_held(who: u64) -> u128 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(
		&RuntimeHoldReason::Topics(pallet_topics::HoldReason::RegistrationDeposit),
		&who,
	)
}

/// Blocks after which a registration without submissions can be pruned (E = 12).
const INACTIVITY: u64 = 12 * 10;

#[test]
fn registration_holds_a_deposit_that_unregistering_returns_with_the_workers_state() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[]);
		let free = Balances::balance(&2);
		assert_ok!(Inference::register_worker(RuntimeOrigin::signed(2), id));
		let fee = Topics::params().registration_fee;
		assert_eq!(deposit_held(2), REGISTRATION_DEPOSIT);
		assert_eq!(Balances::balance(&2), free - fee - REGISTRATION_DEPOSIT);
		assert_eq!(
			Workers::<Test>::get(id, 2).map(|r| (r.deposit, r.last_active)),
			Some((REGISTRATION_DEPOSIT, 1))
		);
		let ema = ScoreEma { nonce: 1, score: fx("0.5") };
		ScoreEmas::<Test>::insert((id, Role::Inferer), 2, ema);
		ScoreEmas::<Test>::insert((id, Role::Forecaster), 2, ema);
		assert_ok!(Inference::unregister_worker(RuntimeOrigin::signed(2), id));
		assert_eq!(deposit_held(2), 0);
		assert_eq!(Balances::balance(&2), free - fee);
		assert!(ScoreEmas::<Test>::get((id, Role::Inferer), 2).is_none());
		assert!(ScoreEmas::<Test>::get((id, Role::Forecaster), 2).is_none());
		// An account that cannot hold the deposit is refused and nothing changes.
		let poor = 98;
		let _ = Balances::mint_into(&poor, 1_000 + fee + REGISTRATION_DEPOSIT - 1);
		assert_noop!(
			Inference::register_worker(RuntimeOrigin::signed(poor), id),
			pallet_topics::Error::<Test>::CannotHoldDeposit
		);
	});
}

/// Issue 12, finding 6: idle accounts filled every worker slot of a topic for good (only the
/// fee was paid, nothing was ever pruned). Now anyone prunes an idle registration for its
/// deposit, and the slot is free again.
#[test]
fn squatted_worker_slots_are_pruned_for_their_deposit_and_active_workers_are_not() {
	new_test_ext().execute_with(|| {
		let squatters: Vec<u64> = (1..=10).collect();
		let id = topic_with_workers(&squatters);
		assert_noop!(
			Inference::register_worker(RuntimeOrigin::signed(11), id),
			Error::<Test>::TooManyWorkers
		);
		run_to_block(N + 1);
		// Worker 10 keeps working: each payload renews its registration.
		assert_ok!(submit(10, id, N, Some("1"), &[]));
		assert_eq!(Workers::<Test>::get(id, 10).map(|r| r.last_active), Some(N + 1));
		run_to_block(1 + INACTIVITY - 1);
		assert_noop!(
			Inference::prune_worker(RuntimeOrigin::signed(11), id, 1),
			Error::<Test>::WorkerStillActive
		);
		run_to_block(1 + INACTIVITY);
		let before = Balances::balance(&11);
		assert_ok!(Inference::prune_worker(RuntimeOrigin::signed(11), id, 1));
		assert_eq!(Balances::balance(&11), before + REGISTRATION_DEPOSIT);
		assert_eq!(deposit_held(1), 0);
		assert!(!Workers::<Test>::contains_key(id, 1));
		assert_eq!(WorkerCount::<Test>::get(id), 9);
		assert!(events().contains(&Event::WorkerPruned {
			topic_id: id,
			worker: 1,
			pruner: 11,
			deposit: REGISTRATION_DEPOSIT
		}));
		assert_noop!(
			Inference::prune_worker(RuntimeOrigin::signed(11), id, 10),
			Error::<Test>::WorkerStillActive
		);
		assert_noop!(
			Inference::prune_worker(RuntimeOrigin::signed(11), id, 1),
			Error::<Test>::NotRegisteredWorker
		);
		// The freed slot takes a new worker.
		assert_ok!(Inference::register_worker(RuntimeOrigin::signed(11), id));
		Inference::do_try_state().unwrap();
	});
}

#[test]
fn a_whole_epoch_opens_a_nonce_takes_submissions_and_closes_into_the_network_inference() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, 4]);
		run_to_block(N + 1);
		assert_eq!(OpenWorkerNonces::<Test>::get(id).to_vec(), vec![N]);
		assert!(events().contains(&Event::WorkerNonceOpened {
			topic_id: id,
			nonce: N,
			window_closes: N + 8
		}));
		let eco = Balances::balance(&Topics::ecosystem_account());
		assert_ok!(submit(2, id, N, Some("10"), &[(3, "0.5"), (4, "1.5")]));
		assert_ok!(submit(3, id, N, Some("12"), &[]));
		assert_ok!(submit(4, id, N, Some("20"), &[(2, "0.1")]));
		let fee = Topics::params().data_sending_fee;
		assert_eq!(Balances::balance(&Topics::ecosystem_account()), eco + 3 * fee);
		assert_eq!(
			Inferences::<Test>::get(id, N).to_vec(),
			vec![(2, fx("10")), (3, fx("12")), (4, fx("20"))]
		);
		assert_eq!(Forecasts::<Test>::get(id, N).len(), 2);

		run_to_block(N + 8);
		assert!(LatestNetworkInference::<Test>::get(id).is_none(), "closes in on_finalize");
		run_to_block(N + 9);
		// No network loss yet: combined = median of the inferences (spec 4.7).
		let latest = LatestNetworkInference::<Test>::get(id).unwrap();
		assert_eq!(latest.nonce, N);
		assert_eq!(latest.combined_value, fx("12"));
		assert_eq!(latest.mode, InferenceMode::NoNetworkLoss);
		assert!(OpenWorkerNonces::<Test>::get(id).is_empty());
		assert_eq!(ReputerNonces::<Test>::get(id).to_vec(), vec![N]);
		assert_eq!(Rounds::<Test>::get(id, N).map(|r| (r.inferers, r.forecasters)), Some((3, 2)));
		assert!(events().contains(&Event::WorkerWindowClosed {
			topic_id: id,
			nonce: N,
			inferers: 3,
			forecasters: 2,
			combined_value: Some(fx("12")),
		}));
		assert!(events().contains(&Event::ReputerNonceOpened { topic_id: id, nonce: N }));

		// The query equals the library's result on the same inputs.
		let inferences = vec![(2, fx("10")), (3, fx("12")), (4, fx("20"))];
		let forecasts = vec![
			Forecast { forecaster: 2, elements: vec![(3, fx("0.5")), (4, fx("1.5"))] },
			Forecast { forecaster: 4, elements: vec![(2, fx("0.1"))] },
		];
		let regrets = Regrets::new(Fixed::ZERO);
		let expected = network_inference(&SynthesisInput {
			inferences: &inferences,
			forecasts: &forecasts,
			latest_network_loss: None,
			regrets: &regrets,
			params: params(),
		})
		.unwrap();
		assert_eq!(
			Inference::network_inference(id, None),
			Ok(NetworkInferenceBundle::new(id, N, expected))
		);
		Inference::do_try_state().unwrap();
		Topics::do_try_state().unwrap();
	});
}

#[test]
fn regret_mode_uses_the_reputer_sides_regrets_and_matches_the_library() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, 4]);
		let mut regrets = Regrets::new(fx("0.2"));
		regrets.inferer.insert(2, fx("0.5"));
		regrets.inferer.insert(3, fx("-0.3"));
		regrets.forecaster.insert(4, fx("0.1"));
		regrets.naive_inferer.insert(2, fx("0.4"));
		set_regrets(regrets.clone(), fx("0.8"));
		run_to_block(N + 1);
		assert_ok!(submit(2, id, N, Some("10"), &[]));
		assert_ok!(submit(3, id, N, Some("12"), &[(2, "0.3"), (4, "0.9")]));
		assert_ok!(submit(4, id, N, Some("20"), &[(2, "0.2"), (3, "0.7")]));
		run_to_block(N + 9);
		let inferences = vec![(2, fx("10")), (3, fx("12")), (4, fx("20"))];
		let forecasts = vec![
			Forecast { forecaster: 3, elements: vec![(2, fx("0.3")), (4, fx("0.9"))] },
			Forecast { forecaster: 4, elements: vec![(2, fx("0.2")), (3, fx("0.7"))] },
		];
		let expected = network_inference(&SynthesisInput {
			inferences: &inferences,
			forecasts: &forecasts,
			latest_network_loss: Some(fx("0.8")),
			regrets: &regrets,
			params: params(),
		})
		.unwrap();
		let bundle = Inference::network_inference(id, Some(N)).unwrap();
		assert_eq!(bundle, NetworkInferenceBundle::new(id, N, expected.clone()));
		assert_eq!(bundle.mode, InferenceMode::Regret);
		assert_eq!(bundle.confidence_interval_values.len(), 5);
		assert_eq!(bundle.one_out_inferer_values.len(), 3);
		assert_eq!(bundle.one_in_forecaster_values.len(), 2);
		let latest = LatestNetworkInference::<Test>::get(id).unwrap();
		assert_eq!(latest.combined_value, expected.values.combined);
		assert_eq!(latest.confidence_interval.to_vec(), expected.confidence_interval);
	});
}

#[test]
fn a_resubmission_in_the_window_replaces_the_earlier_payload() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3]);
		run_to_block(N + 1);
		assert_ok!(submit(2, id, N, Some("10"), &[(3, "1")]));
		run_to_block(N + 3);
		assert_ok!(submit(2, id, N, Some("11"), &[(3, "2")]));
		assert_eq!(Inferences::<Test>::get(id, N).to_vec(), vec![(2, fx("11"))]);
		let forecasts = Forecasts::<Test>::get(id, N);
		assert_eq!(forecasts.len(), 1);
		assert_eq!(forecasts[0].1[0].value, fx("2"));
		assert!(events().contains(&Event::InferenceSubmitted {
			topic_id: id,
			nonce: N,
			worker: 2,
			value: fx("11"),
			replaced: true
		}));
	});
}

/// Issue 12, finding 1: values outside the topic's declared ranges never reach the math. On
/// the old code an inference of 10^15 was accepted and moved the plain mean of a new topic by
/// ~2.5·10^14; a forecast element of 10^11 overflowed the regret normalisation.
#[test]
fn values_outside_the_topics_ranges_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		let id = pallet_topics::NextTopicId::<Test>::get();
		let mut config = topic_config();
		config.inference_range = pallet_topics::ValueRange { min: fx("0"), max: fx("100000") };
		config.loss_range = pallet_topics::ValueRange { min: fx("-30"), max: fx("30") };
		assert_ok!(Topics::create_topic(RuntimeOrigin::signed(1), config));
		for w in [2, 3, 4] {
			assert_ok!(Inference::register_worker(RuntimeOrigin::signed(w), id));
		}
		run_to_block(N + 1);
		assert_noop!(
			submit(2, id, N, Some("1000000000000000"), &[]),
			Error::<Test>::InferenceOutOfRange
		);
		assert_noop!(
			submit(2, id, N, Some("-0.000000000000000001"), &[]),
			Error::<Test>::InferenceOutOfRange
		);
		assert_noop!(
			submit(2, id, N, Some("10"), &[(3, "1"), (4, "100000000000")]),
			Error::<Test>::ForecastLossOutOfRange { index: 1 }
		);
		assert_noop!(
			submit(2, id, N, None, &[(3, "-30.000000000000000001")]),
			Error::<Test>::ForecastLossOutOfRange { index: 0 }
		);
		// The bounds themselves are accepted.
		assert_ok!(submit(2, id, N, Some("100000"), &[(3, "30"), (4, "-30")]));
		assert_ok!(submit(3, id, N, Some("0"), &[]));
		assert_ok!(submit(4, id, N, Some("50"), &[]));
	});
}

#[test]
fn every_bad_submission_fails_with_its_own_error_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, NEARLY_BROKE]);
		// Block N: the nonce opens only at the end of the block.
		run_to_block(N);
		assert_noop!(submit(2, id, N, Some("1"), &[]), Error::<Test>::UnknownNonce);
		run_to_block(N + 1);
		assert_noop!(submit(2, 99, N, Some("1"), &[]), Error::<Test>::TopicNotFound);
		assert_noop!(submit(2, id, N + 1, Some("1"), &[]), Error::<Test>::UnknownNonce);
		assert_noop!(submit(2, id, N, None, &[]), Error::<Test>::EmptyPayload);
		assert_noop!(submit(5, id, N, Some("1"), &[]), Error::<Test>::NotRegisteredWorker);
		assert_noop!(
			submit(2, id, N, Some("1"), &[(3, "1"), (5, "1")]),
			Error::<Test>::ForecastInfererNotRegistered { index: 1 }
		);
		assert_noop!(
			submit(2, id, N, None, &[(3, "1"), (2, "1"), (3, "2")]),
			Error::<Test>::DuplicateForecastElement { index: 2 }
		);
		let empty = Some(BoundedVec::default());
		assert_noop!(
			Inference::submit_worker_payload(RuntimeOrigin::signed(2), id, N, None, empty),
			Error::<Test>::EmptyForecast
		);
		assert_noop!(
			submit(NEARLY_BROKE, id, N, Some("1"), &[]),
			pallet_topics::Error::<Test>::CannotPayFee
		);
		let update = ParamsUpdate { max_elements_per_forecast: Some(1), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		assert_noop!(
			submit(2, id, N, None, &[(3, "1"), (2, "1")]),
			Error::<Test>::TooManyForecastElements
		);
		let update = ParamsUpdate { max_serialized_msg_length: Some(8), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		assert_noop!(submit(2, id, N, Some("1"), &[(3, "1")]), Error::<Test>::PayloadTooLarge);
		let update =
			ParamsUpdate { max_serialized_msg_length: Some(1_000_000), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		assert_ok!(submit(2, id, N, Some("1"), &[]));

		// Block N + W: the window is over (it closes at the end of this block).
		run_to_block(N + 8);
		assert_noop!(submit(3, id, N, Some("1"), &[]), Error::<Test>::OutsideSubmissionWindow);
		run_to_block(N + 9);
		assert_noop!(submit(3, id, N, Some("1"), &[]), Error::<Test>::NonceClosed);
		assert_noop!(
			Inference::submit_worker_payload(RuntimeOrigin::none(), id, N, Some(Fixed::ONE), None),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_full_active_set_admits_a_better_score_ema_and_evicts_the_lowest() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, 4, 5]);
		let update = ParamsUpdate { max_top_inferers_to_reward: Some(2), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		let ema = |score: &str| ScoreEma { nonce: 1, score: fx(score) };
		Inference::set_score_ema(id, Role::Inferer, &2, ema("0.5"));
		Inference::set_score_ema(id, Role::Inferer, &3, ema("0.1"));
		Inference::set_score_ema(id, Role::Inferer, &4, ema("0.3"));
		Inference::set_previous_quantile_score(id, Role::Inferer, fx("0.2"));
		run_to_block(N + 1);
		assert_ok!(submit(2, id, N, Some("1"), &[]));
		assert_ok!(submit(3, id, N, Some("2"), &[]));
		// 4 (0.3) beats the lowest member 3 (0.1): 3 leaves, with a passive EMA update
		// 0.1·0.2 + 0.9·0.1 = 0.11.
		assert_ok!(submit(4, id, N, Some("3"), &[]));
		assert_eq!(Inferences::<Test>::get(id, N).to_vec(), vec![(2, fx("1")), (4, fx("3"))]);
		assert_eq!(
			ScoreEmas::<Test>::get((id, Role::Inferer), 3),
			Some(ScoreEma { nonce: N, score: fx("0.11") })
		);
		assert!(events().contains(&Event::WorkerEvicted {
			topic_id: id,
			nonce: N,
			worker: 3,
			role: Role::Inferer
		}));
		// 5 has no EMA (0): not admitted; its EMA becomes the quantile 0.2, stamped N.
		let fee_payer = Balances::balance(&5);
		assert_ok!(submit(5, id, N, Some("4"), &[]));
		assert!(Balances::balance(&5) < fee_payer, "the evaluated payload pays its fee");
		assert_eq!(Inferences::<Test>::get(id, N).len(), 2);
		assert_eq!(
			ScoreEmas::<Test>::get((id, Role::Inferer), 5),
			Some(ScoreEma { nonce: N, score: fx("0.2") })
		);
		assert!(events().contains(&Event::SubmissionNotAdmitted {
			topic_id: id,
			nonce: N,
			worker: 5,
			role: Role::Inferer
		}));
		// Evaluated once per nonce.
		assert_noop!(submit(5, id, N, Some("4"), &[]), Error::<Test>::AlreadyEvaluatedThisNonce);
		assert_noop!(submit(3, id, N, Some("4"), &[]), Error::<Test>::AlreadyEvaluatedThisNonce);
		// A member can still replace its value.
		assert_ok!(submit(4, id, N, Some("5"), &[]));
		assert_eq!(PreviousQuantileScore::<Test>::get((id, Role::Inferer)), fx("0.2"));
		Inference::do_try_state().unwrap();
	});
}

/// Issue 11: a payload reserves the worst case (merit sortition in both sets, an activation
/// probe) and returns the weight of the path it took: into sets with room on an active topic
/// it is charged `submit_worker_payload_admitted` for its forecast's elements (an inference
/// alone: `submit_worker_payload_admitted_inference`), the full weight only when a set was full.
/// Both benchmarks paid the fee on an active topic: the fee path is not charged twice.
#[test]
fn a_payload_returns_the_weight_of_the_path_it_took() {
	use crate::WeightInfo as _;
	use frame_support::dispatch::GetDispatchInfo;
	type Inf = <Test as crate::Config>::WeightInfo;
	type Top = <Test as pallet_topics::Config>::WeightInfo;
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, 4]);
		let update = ParamsUpdate { max_top_inferers_to_reward: Some(2), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		run_to_block(N + 1);
		assert!(Topics::is_active(id));
		let inference_alone = Inf::submit_worker_payload_admitted_inference();
		let sortition = Inf::submit_worker_payload();
		assert!(inference_alone.all_lt(Inf::submit_worker_payload_admitted(1)));
		let post = submit(2, id, N, Some("1"), &[(3, "-1")]).unwrap();
		assert_eq!(post.actual_weight, Some(Inf::submit_worker_payload_admitted(1)));
		let post = submit(3, id, N, None, &[(2, "-1"), (4, "-2")]).unwrap();
		assert_eq!(post.actual_weight, Some(Inf::submit_worker_payload_admitted(2)));
		// With an inference the nonce's inferer set is at hand: 2 is in it (no registration
		// read), 4 is not (read). The read not made is not charged.
		let post = submit(3, id, N, Some("3"), &[(2, "1"), (4, "2")]).unwrap();
		let one_read = <Test as frame_system::Config>::DbWeight::get().reads(1);
		assert!(one_read.ref_time() > 0);
		let expected = Inf::submit_worker_payload_admitted(2).saturating_sub(one_read);
		assert_eq!(post.actual_weight, Some(expected));
		// A member replacing its value reads no score either.
		let post = submit(2, id, N, Some("2"), &[]).unwrap();
		assert_eq!(post.actual_weight, Some(inference_alone));
		assert_eq!(submit(3, id, N, Some("3"), &[]).unwrap().actual_weight, Some(inference_alone));
		// The inferer set is full: 4 goes through merit sortition (not admitted).
		let post = submit(4, id, N, Some("4"), &[]).unwrap();
		assert_eq!(post.actual_weight, Some(sortition));
		assert!(events().contains(&Event::SubmissionNotAdmitted {
			topic_id: id,
			nonce: N,
			worker: 4,
			role: Role::Inferer
		}));
		// What was reserved before dispatch covers every path.
		let call = crate::Call::<Test>::submit_worker_payload {
			topic_id: id,
			nonce: N,
			inference: Some(Fixed::ONE),
			forecast: None,
		};
		let reserved = call.get_dispatch_info().call_weight;
		let probe = <Top as pallet_topics::WeightInfo>::pay_fee()
			.saturating_sub(<Top as pallet_topics::WeightInfo>::pay_fee_active());
		assert!(probe.ref_time() > 0);
		assert_eq!(reserved, Inf::submit_worker_payload().saturating_add(probe));
		let most =
			<<Test as pallet_topics::Config>::MaxForecastElements as frame_support::traits::Get<
				u32,
			>>::get();
		let admitted = Inf::submit_worker_payload_admitted(most);
		assert!(sortition.all_lte(reserved) && admitted.all_lte(reserved));
	});
}

/// An element about a worker whose inference the nonce already counts needs no registration
/// read when the payload carries an inference (the set is read for it anyway), even if that
/// worker unregistered since; a forecast alone reads registrations only.
#[test]
fn forecast_elements_about_counted_inferers_need_no_registration() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, 4]);
		run_to_block(N + 1);
		assert_ok!(submit(4, id, N, Some("4"), &[]));
		assert_ok!(Inference::unregister_worker(RuntimeOrigin::signed(4), id));
		assert!(!Inference::is_worker(id, &4));
		assert_noop!(
			submit(3, id, N, None, &[(4, "1")]),
			Error::<Test>::ForecastInfererNotRegistered { index: 0 }
		);
		assert_ok!(submit(2, id, N, Some("2"), &[(4, "1"), (3, "2")]));
		let forecasts = Forecasts::<Test>::get(id, N);
		assert_eq!(forecasts.len(), 1);
		assert_eq!(forecasts[0].1.iter().map(|e| e.inferer).collect::<Vec<_>>(), vec![4, 3]);
	});
}

#[test]
fn window_close_keeps_only_forecast_elements_about_snapshot_inferers() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3, 4]);
		run_to_block(N + 1);
		assert_ok!(submit(2, id, N, Some("10"), &[(3, "1"), (4, "2")]));
		assert_ok!(submit(3, id, N, None, &[(4, "1")]));
		assert_ok!(submit(4, id, N, None, &[(2, "3")]));
		run_to_block(N + 9);
		let forecasts = Forecasts::<Test>::get(id, N);
		// 2's elements are about 3 and 4, who sent no inference: its forecast is dropped;
		// so is 3's; 4's element about 2 stays.
		assert_eq!(forecasts.len(), 1);
		assert_eq!(forecasts[0].0, 4);
		assert_eq!(Rounds::<Test>::get(id, N).map(|r| r.forecasters), Some(1));
	});
}

#[test]
fn a_nonce_without_inferences_is_dropped_without_a_reputer_nonce() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2, 3]);
		run_to_block(N + 1);
		assert_ok!(submit(2, id, N, None, &[(3, "1")]));
		run_to_block(N + 9);
		assert!(ReputerNonces::<Test>::get(id).is_empty());
		assert!(Forecasts::<Test>::get(id, N).is_empty());
		assert!(events().contains(&Event::WorkerNonceDropped { topic_id: id, nonce: N }));
		assert_eq!(Inference::network_inference(id, Some(N)), Err(InferenceQueryError::NoSnapshot));
		assert_eq!(Inference::network_inference(99, None), Err(InferenceQueryError::TopicNotFound));
	});
}

#[test]
fn old_snapshots_and_reputer_nonces_are_pruned_a_bounded_amount_per_epoch() {
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[2]);
		let update =
			ParamsUpdate { max_unfulfilled_reputer_requests: Some(4), ..Default::default() };
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		// Keep the topic active: fund it well.
		assert_ok!(Topics::fund_topic(RuntimeOrigin::signed(1), id, 100 * ALLO));
		let mut nonce = N;
		for _ in 0..8 {
			run_to_block(nonce + 1);
			assert_ok!(submit(2, id, nonce, Some("1"), &[]));
			nonce += 12;
		}
		run_to_block(nonce + 1);
		// R = 4 (the smallest allowed): reputer nonces below now − (5E + G) = now − 72 are
		// dropped, at most four kept by the cap; snapshots below now − 84 are pruned, the FIFO
		// never exceeds 6.
		assert_eq!(ReputerNonces::<Test>::get(id).len(), 4);
		let retained = RetainedNonces::<Test>::get(id).to_vec();
		assert!(retained.len() <= 6);
		let horizon = nonce - 84;
		assert!(retained.iter().all(|n| *n >= horizon), "{retained:?} vs {horizon}");
		assert!(!Rounds::<Test>::contains_key(id, N));
		assert!(Inferences::<Test>::get(id, N).is_empty());
		assert!(events().contains(&Event::NoncePruned { topic_id: id, nonce: N }));
		Inference::do_try_state().unwrap();
	});
}

#[test]
fn a_forecast_longer_than_the_storage_bound_does_not_decode() {
	use codec::{Decode, Encode};
	use frame_support::traits::PalletInfoAccess;
	let element = ForecastElement { inferer: 2u64, value: fx("1") };
	let call = |n: usize| {
		let mut bytes = vec![Inference::index() as u8, 2]; // call index 2: submit_worker_payload
		1u64.encode_to(&mut bytes);
		13u64.encode_to(&mut bytes);
		None::<Fixed>.encode_to(&mut bytes);
		Some(vec![element.clone(); n]).encode_to(&mut bytes);
		RuntimeCall::decode(&mut &bytes[..])
	};
	// The bound is MaxForecastElements = 12.
	assert!(matches!(
		call(12),
		Ok(RuntimeCall::Inference(crate::Call::submit_worker_payload { forecast: Some(f), .. }))
			if f.len() == 12
	));
	assert!(call(13).is_err());
}

/// The sortition simulator (`../shared/data/allora-sortition-sim-epochs.csv`), from
/// `$ALLORA_SHARED_DIR/data` or `../shared/data` beside the checkout. Missing data fails under
/// CI and skips (loudly) elsewhere.
fn sortition_csv() -> Option<String> {
	let shared =
		std::env::var_os("ALLORA_SHARED_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| {
			std::path::PathBuf::from(
				std::env::var_os("CARGO_MANIFEST_DIR")
					.unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
			)
			.join("../../../shared")
		});
	let path = shared.join("data/allora-sortition-sim-epochs.csv");
	match std::fs::read_to_string(&path) {
		Ok(text) => Some(text),
		Err(e) => {
			assert!(std::env::var_os("CI").is_none(), "{} is required in CI: {e}", path.display());
			eprintln!("SKIPPED: {} is missing (set ALLORA_SHARED_DIR)", path.display());
			None
		},
	}
}

fn close_rel(a: Fixed, b: Fixed, rtol: Fixed) -> bool {
	let diff = a.checked_sub(b).unwrap().abs();
	diff <= b.abs().checked_mul(rtol).unwrap().max(fx("0.000000000001"))
}

/// Spec 10.6, sortition CSV, epochs 301-399, through the pallet: eight workers whose score EMAs
/// are the file's `<i>_prev_quality_ema` submit to a nonce whose active set holds
/// `n_participants_drawn`; the admitted set must be the file's `<i>_active` participants, and
/// every participant left out must carry the passive EMA α·Q + (1 − α)·EMA of the file's
/// `<i>_quality_ema` (Q = `quality_percentile`). The quantile of the active participants'
/// `<i>_quality_metric` must be `quality_percentile` (rel 1e-5).
#[test]
fn merit_sortition_reproduces_the_sortition_simulator() {
	let Some(text) = sortition_csv() else { return };
	let mut lines = text.lines();
	let header: Vec<&str> = lines.next().unwrap().split(',').collect();
	let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
	let rtol = fx("0.00001");
	let mut rows = 0;
	for line in lines {
		let row: Vec<&str> = line.split(',').collect();
		let epoch: u32 = row[col("epoch")].parse().unwrap();
		if !(301..=399).contains(&epoch) {
			continue;
		}
		let n: usize = row[col("n_participants")].parse().unwrap();
		let drawn: u32 = row[col("n_participants_drawn")].parse().unwrap();
		let alpha = fx(row[col("alpha_quality")]);
		let q = fx(row[col("quality_percentile")]);
		let percentile = fx(row[col("percentile")]).checked_div(fx("100")).unwrap();
		let field = |i: usize, f: &str| row[col(&format!("{i}_{f}"))];
		new_test_ext().execute_with(|| {
			let workers: Vec<u64> = (0..n as u64).map(|i| i + 2).collect();
			let id = topic_with_workers(&workers);
			let mut config = topic_config();
			config.merit_sortition_alpha = alpha;
			pallet_topics::Topics::<Test>::mutate(id, |t| t.as_mut().unwrap().config = config);
			let update =
				ParamsUpdate { max_top_inferers_to_reward: Some(drawn), ..Default::default() };
			assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
			Inference::set_previous_quantile_score(id, Role::Inferer, q);
			for (i, w) in workers.iter().enumerate() {
				let prev = fx(field(i, "prev_quality_ema"));
				Inference::set_score_ema(id, Role::Inferer, w, ScoreEma { nonce: 1, score: prev });
			}
			run_to_block(N + 1);
			for w in &workers {
				assert_ok!(submit(*w, id, N, Some("1"), &[]));
			}
			let admitted: Vec<u64> =
				Inferences::<Test>::get(id, N).iter().map(|(a, _)| *a).collect();
			let expected: Vec<u64> = workers
				.iter()
				.enumerate()
				.filter(|(i, _)| field(*i, "active") == "true")
				.map(|(_, w)| *w)
				.collect();
			assert_eq!(admitted, expected, "epoch {epoch}");
			for (i, w) in workers.iter().enumerate() {
				if field(i, "active") == "true" {
					continue;
				}
				let stored = ScoreEmas::<Test>::get((id, Role::Inferer), w).unwrap();
				assert_eq!(stored.nonce, N);
				let want = fx(field(i, "quality_ema"));
				assert!(
					close_rel(stored.score, want, rtol),
					"epoch {epoch} participant {i}: {} vs {want}",
					stored.score
				);
			}
			let metrics: Vec<Fixed> = (0..n)
				.filter(|i| field(*i, "active") == "true")
				.map(|i| fx(field(i, "quality_metric")))
				.collect();
			let quantile = allora_synthesis::scores::score_quantile(&metrics, percentile).unwrap();
			assert!(close_rel(quantile, q, rtol), "epoch {epoch}: quantile {quantile} vs {q}");
		});
		rows += 1;
	}
	assert_eq!(rows, 99);
}

/// A v1 registration (`()`, before deposits) becomes one without a deposit, active from the
/// upgrade on; the migration runs once (storage version 1 → 2).
#[test]
fn the_v2_migration_gives_old_registrations_no_deposit_and_runs_once() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[]);
		for w in [2u64, 3] {
			frame_support::storage::unhashed::put_raw(&Workers::<Test>::hashed_key_for(id, w), &[]);
		}
		StorageVersion::new(1).put::<Inference>();
		System::set_block_number(40);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		let expected = pallet_topics::Registration { deposit: 0, last_active: 40 };
		assert_eq!(Workers::<Test>::get(id, 2), Some(expected));
		assert_eq!(Workers::<Test>::get(id, 3), Some(expected));
		assert_eq!(Inference::on_chain_storage_version(), StorageVersion::new(2));
		// A second upgrade does nothing: the version says it ran.
		System::set_block_number(50);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Workers::<Test>::get(id, 2), Some(expected));
		// Unregistering releases the (zero) deposit.
		assert_ok!(Inference::unregister_worker(RuntimeOrigin::signed(2), id));
	});
}

/// A v2 round summary (before the produced lists were recorded) becomes one whose mode is
/// unknown and whose every list is admissible, so bundles in flight across the upgrade are
/// not refused; the migration runs once (storage version 2 → 3).
#[test]
fn the_v3_migration_keeps_every_round_and_admits_every_list() {
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		let id = topic_with_workers(&[]);
		let old =
			crate::migrations::v3::RoundSummaryV2 { closed_at: 7u64, inferers: 3, forecasters: 2 };
		frame_support::storage::unhashed::put_raw(
			&Rounds::<Test>::hashed_key_for(id, 7),
			&old.encode(),
		);
		StorageVersion::new(2).put::<Inference>();
		crate::migrations::v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		let expected = crate::RoundSummary {
			closed_at: 7,
			inferers: 3,
			forecasters: 2,
			mode: None,
			produced: crate::ProducedLists::ALL,
		};
		assert_eq!(Rounds::<Test>::get(id, 7), Some(expected));
		assert_eq!(Inference::on_chain_storage_version(), StorageVersion::new(3));
		crate::migrations::v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Rounds::<Test>::get(id, 7), Some(expected));
	});
}
