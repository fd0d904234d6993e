//! Loss bundles (validation, replacement, sortition), the close queue (cap, deferral, a full
//! queue), and the settlement compared with the synthesis library on the same inputs.

use crate::{mock::*, *};
use allora_math::Fixed;
use allora_synthesis::{
	consensus,
	losses::{self, ValueBundle},
	regrets as lib_regrets, scores, ReputerParams,
};
use frame_support::{assert_noop, assert_ok};
use pallet_inference::{InferenceMode, Role, TopicRegrets};

/// The first worker nonce of the mock topic (its first epoch end).
const N1: u64 = 13;

fn signed(a: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(a)
}

fn submit(
	r: u64,
	topic: u64,
	nonce: u64,
	b: LossBundleOf<Test>,
) -> frame_support::pallet_prelude::DispatchResultWithPostInfo {
	Reputation::submit_loss_bundle(signed(r), topic, nonce, Box::new(b))
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Reputation(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn element(inferer: u64, value: &str) -> pallet_inference::ForecastElement<u64> {
	pallet_inference::ForecastElement { inferer, value: fx(value) }
}

/// Workers 2-4 infer for `nonce`, 3 and 4 also forecast; the window then closes.
fn worker_round(nonce: u64) {
	run_to_block(nonce + 1);
	let values = [("2", "100"), ("3", "101"), ("4", "99.5")];
	for (w, (_, v)) in WORKERS.iter().zip(values) {
		let forecast = match w {
			3 => Some(list(vec![element(2, "0.3"), element(4, "0.1")])),
			4 => Some(list(vec![element(2, "0.2"), element(3, "0.4")])),
			_ => None,
		};
		assert_ok!(Inference::submit_worker_payload(
			signed(*w),
			TOPIC,
			nonce,
			Some(fx(v)),
			forecast
		));
	}
	run_to_block(nonce + W + 1);
	assert!(pallet_inference::ReputerNonces::<Test>::get(TOPIC).contains(&nonce));
}

/// The three mock reputers' bundles (slightly different losses).
fn bundles() -> Vec<(u64, LossBundleOf<Test>)> {
	vec![(10, full_bundle("-2")), (11, full_bundle("-2.1")), (12, full_bundle("-1.95"))]
}

#[test]
fn a_full_round_settles_like_the_synthesis_library() {
	new_test_ext().execute_with(|| {
		worker_round(N1);
		run_to_block(N1 + E);
		for (r, b) in bundles() {
			assert_ok!(submit(r, TOPIC, N1, b));
		}
		assert_eq!(ActiveReputers::<Test>::get(TOPIC, N1).into_inner(), REPUTERS.to_vec());
		let status = Reputation::reputer_nonces(TOPIC);
		assert_eq!(status[0].nonce, N1);
		assert_eq!((status[0].window_opens, status[0].window_closes), (N1 + E, N1 + 2 * E));
		assert_eq!(status[0].reputers, REPUTERS.to_vec());

		// Expected values from the library on the same inputs.
		let snapshot = bundle::snapshot::<Test>(TOPIC, N1);
		let stakes: Vec<Fixed> = REPUTERS
			.iter()
			.map(|r| {
				Fixed::from_base_units(pallet_stake::StakeReputerAuthority::<Test>::get(TOPIC, r))
					.unwrap()
			})
			.collect();
		let vbs: Vec<ValueBundle<u64>> =
			bundles().iter().map(|(_, b)| bundle::to_value_bundle(b, &snapshot).unwrap()).collect();
		let reports: Vec<_> = stakes.iter().copied().zip(vbs.iter()).collect();
		let net = losses::network_losses(&reports).unwrap();
		let regrets = lib_regrets::updated_regrets(
			&net,
			&allora_synthesis::regrets::Regrets::new(Fixed::ZERO),
			fx("0.1"),
		)
		.unwrap();
		let refs: Vec<&ValueBundle<u64>> = vbs.iter().collect();
		let outcome = consensus::reputer_scores(
			&losses::loss_vectors(&refs),
			&stakes,
			&[Fixed::ONE; 3],
			&ReputerParams::defaults(),
		)
		.unwrap();
		let inferer_scores = scores::inferer_scores(&net).unwrap();
		let forecaster_scores = scores::forecaster_scores(&net).unwrap();

		// The window [N+G, N+2G] ends at 37, an epoch end: queued there, settled at 38.
		run_to_block(N1 + 2 * E);
		assert!(CloseQueue::<Test>::get().is_empty());
		run_to_block(N1 + 2 * E + 1);
		assert_eq!(CloseQueue::<Test>::get().len(), 1);
		assert!(events().contains(&Event::ReputerNonceQueued { topic_id: TOPIC, nonce: N1 }));
		run_to_block(N1 + 2 * E + 2);
		assert!(events().contains(&Event::ReputerNonceClosed {
			topic_id: TOPIC,
			nonce: N1,
			reputers: 3,
			network_loss: net.combined,
		}));
		assert!(CloseQueue::<Test>::get().is_empty());
		assert!(ActiveReputers::<Test>::get(TOPIC, N1).is_empty());
		assert_eq!(LossBundles::<Test>::iter().count(), 0);

		// Network losses, regrets, reputer results and worker scores as the library's.
		let (nonce, stored) = NetworkLosses::<Test>::get(TOPIC).unwrap();
		assert_eq!(nonce, N1);
		assert_eq!(stored, bundle::from_value_bundle::<Test>(net.clone()));
		assert_eq!(Reputation::latest_network_loss(TOPIC), Some(net.combined));
		let stored_regrets = Reputation::stored_regrets(TOPIC, Fixed::ZERO);
		assert_eq!(stored_regrets.inferer, regrets.inferer);
		assert_eq!(stored_regrets.forecaster, regrets.forecaster);
		assert_eq!(stored_regrets.one_out_inferer_inferer, regrets.one_out_inferer_inferer);
		assert_eq!(stored_regrets.one_in_forecaster_self, regrets.one_in_forecaster_self);
		assert_eq!(stored_regrets.one_out_inferer_forecaster.len(), 4);
		let round = Reputation::round_results(TOPIC).unwrap();
		assert_eq!(round.nonce, N1);
		assert_eq!(round.closed_at, N1 + 2 * E + 1);
		for (i, r) in round.reputers.iter().enumerate() {
			assert_eq!(r.reputer, REPUTERS[i]);
			assert_eq!(r.score, outcome.scores[i]);
			assert_eq!(r.listening_coefficient, outcome.coefficients[i]);
			assert_eq!(r.adjusted_stake, outcome.adjusted_stakes[i]);
			assert_eq!(
				ListeningCoefficients::<Test>::get(TOPIC, r.reputer),
				Some(outcome.coefficients[i])
			);
		}
		assert_eq!(
			round.inferer_scores,
			inferer_scores.scores.clone().into_iter().collect::<Vec<_>>()
		);
		assert_eq!(
			round.forecaster_scores,
			forecaster_scores.scores.clone().into_iter().collect::<Vec<_>>()
		);
		// First-time EMAs are the instant scores, stamped with the nonce.
		for (w, s) in &inferer_scores.scores {
			let ema = pallet_inference::ScoreEmas::<Test>::get((TOPIC, Role::Inferer), w).unwrap();
			assert_eq!((ema.nonce, ema.score), (N1, *s));
		}
		let ema = pallet_inference::ScoreEmas::<Test>::get((TOPIC, Role::Reputer), 10).unwrap();
		assert_eq!(ema.score, outcome.scores[0]);
		let values: Vec<Fixed> = inferer_scores.scores.values().copied().collect();
		assert_eq!(
			pallet_inference::PreviousQuantileScore::<Test>::get((TOPIC, Role::Inferer)),
			scores::score_quantile(&values, fx("0.2")).unwrap()
		);
		// Nobody is experienced yet: the initial regret stays 0 ("all new" mode).
		assert_eq!(round.initial_regret, Fixed::ZERO);
		let view = Reputation::regrets_view(TOPIC).unwrap();
		assert_eq!(view.inferer, regrets.inferer.into_iter().collect::<Vec<_>>());
		Reputation::do_try_state().unwrap();
	});
}

/// The judged lists of a median-mode round: combined, naive and inferer values only.
fn median_bundle(base: &str) -> LossBundleOf<Test> {
	let mut b = full_bundle(base);
	b.forecaster_values = list(vec![]);
	b.one_out_inferer_values = list(vec![]);
	b.one_out_forecaster_values = list(vec![]);
	b.one_in_forecaster_values = list(vec![]);
	b.one_out_inferer_forecaster_values = list(vec![]);
	b
}

/// Issue 16, defect 4 (spec README decision 12): a fresh topic's first round is synthesised in
/// the median mode, which produces no forecaster, one-out or one-in value; a bundle judging
/// any of them was accepted and scored. Now each such list is refused by name, the round's
/// record says what it produced, and the honest bundle is accepted.
#[test]
fn a_bundle_may_judge_only_the_values_its_round_produced() {
	new_test_ext().execute_with(|| {
		NetworkLosses::<Test>::remove(TOPIC);
		worker_round(N1);
		let round = pallet_inference::Rounds::<Test>::get(TOPIC, N1).unwrap();
		assert_eq!(round.mode, Some(InferenceMode::NoNetworkLoss));
		assert_eq!(round.produced, pallet_inference::ProducedLists::default());
		run_to_block(N1 + E);
		let extra: [(BundleList, fn(&mut LossBundleOf<Test>)); 5] = [
			(BundleList::Forecaster, |b| b.forecaster_values = full_bundle("-2").forecaster_values),
			(BundleList::OneOutInferer, |b| {
				b.one_out_inferer_values = full_bundle("-2").one_out_inferer_values
			}),
			(BundleList::OneOutForecaster, |b| {
				b.one_out_forecaster_values = full_bundle("-2").one_out_forecaster_values
			}),
			(BundleList::OneInForecaster, |b| {
				b.one_in_forecaster_values = full_bundle("-2").one_in_forecaster_values
			}),
			(BundleList::OneOutInfererForecaster, |b| {
				b.one_out_inferer_forecaster_values =
					full_bundle("-2").one_out_inferer_forecaster_values
			}),
		];
		for (list, add) in extra {
			let mut b = median_bundle("-2");
			add(&mut b);
			assert_noop!(submit(10, TOPIC, N1, b), Error::<Test>::ValueNotProduced { list });
		}
		assert_ok!(submit(10, TOPIC, N1, median_bundle("-2")));
		// The runtime API serves the nonce in the mode it closed in, also once a network loss
		// exists: what it shows is what a bundle may judge.
		NetworkLosses::<Test>::insert(TOPIC, (0, full_bundle("-2")));
		let served = pallet_inference::Pallet::<Test>::network_inference(TOPIC, Some(N1)).unwrap();
		assert_eq!(served.mode, InferenceMode::NoNetworkLoss);
		assert!(served.one_out_inferer_values.is_empty() && served.forecaster_values.is_empty());
	});
}

#[test]
fn the_next_synthesis_reads_the_latest_network_loss_and_regrets() {
	new_test_ext().execute_with(|| {
		// A fresh topic: no network loss before N1 settles.
		NetworkLosses::<Test>::remove(TOPIC);
		worker_round(N1);
		run_to_block(N1 + E);
		for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "-1.95")] {
			assert_ok!(submit(r, TOPIC, N1, median_bundle(b)));
		}
		// Nonce 25's window closes at 29, before N1 settles: no network loss yet (median).
		worker_round(N1 + E);
		let latest = pallet_inference::LatestNetworkInference::<Test>::get(TOPIC).unwrap();
		assert_eq!(latest.mode, InferenceMode::NoNetworkLoss);
		// N1 settles at 38; nonce 37's window closes at 41 with ℓ* known and initial regret
		// 0 ("all new": plain means, spec 4.7).
		worker_round(N1 + 2 * E);
		let latest = pallet_inference::LatestNetworkInference::<Test>::get(TOPIC).unwrap();
		assert_eq!(latest.nonce, N1 + 2 * E);
		assert_eq!(latest.mode, InferenceMode::AllNew);
	});
}

#[test]
fn a_bundle_is_replaced_within_the_window_and_the_fee_is_paid() {
	new_test_ext().execute_with(|| {
		worker_round(N1);
		run_to_block(N1 + E);
		let eco = Topics::ecosystem_account();
		let before = Balances::free_balance(eco);
		// The topic is active: the benchmark's own fee path is all that is charged.
		assert!(Topics::is_active(TOPIC));
		let post = submit(10, TOPIC, N1, full_bundle("-2")).unwrap();
		assert_eq!(post.actual_weight, Some(<() as crate::WeightInfo>::submit_loss_bundle()));
		assert_ok!(submit(10, TOPIC, N1, full_bundle("-3")));
		let fee = Topics::params().data_sending_fee;
		assert_eq!(Balances::free_balance(eco), before + 2 * fee);
		assert_eq!(
			LossBundles::<Test>::get((TOPIC, N1), 10).unwrap().combined_value,
			Some(fx("-3"))
		);
		assert_eq!(ActiveReputers::<Test>::get(TOPIC, N1).into_inner(), vec![10]);
		assert_eq!(
			events().last(),
			Some(&Event::LossBundleSubmitted {
				topic_id: TOPIC,
				nonce: N1,
				reputer: 10,
				replaced: true
			})
		);
		// The last block of the window still accepts.
		run_to_block(N1 + 2 * E);
		assert_ok!(submit(11, TOPIC, N1, full_bundle("-2")));
	});
}

#[test]
fn bad_bundles_fail_with_named_errors_and_change_nothing() {
	new_test_ext().execute_with(|| {
		worker_round(N1);
		let b = full_bundle("-2");
		// Before the window, for an open worker nonce, for nothing.
		run_to_block(N1 + E - 1);
		assert_noop!(submit(10, TOPIC, N1, b.clone()), Error::<Test>::OutsideReputerWindow);
		run_to_block(N1 + E + 1);
		assert_noop!(submit(10, TOPIC, N1 + E, b.clone()), Error::<Test>::WorkerNonceNotClosed);
		assert_noop!(submit(10, TOPIC, 7, b.clone()), Error::<Test>::UnknownReputerNonce);
		assert_noop!(submit(10, 9, N1, b.clone()), Error::<Test>::TopicNotFound);
		// Who: not a reputer; a reputer under the minimum stake.
		assert_noop!(submit(20, TOPIC, N1, b.clone()), Error::<Test>::NotRegisteredReputer);
		assert_ok!(Stake::register_reputer(signed(13), TOPIC));
		assert_ok!(Stake::add_stake(signed(13), TOPIC, 49 * ALLO));
		assert_noop!(submit(13, TOPIC, N1, b.clone()), Error::<Test>::InsufficientStake);
		// What: missing values, unknown workers, repeated entries.
		let mut x = b.clone();
		x.combined_value = None;
		assert_noop!(submit(10, TOPIC, N1, x), Error::<Test>::MissingCombinedValue);
		let mut x = b.clone();
		x.naive_value = None;
		assert_noop!(submit(10, TOPIC, N1, x), Error::<Test>::MissingNaiveValue);
		let mut x = b.clone();
		x.inferer_values = list(vec![(2, fx("1")), (30, fx("1"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::UnknownWorker { list: BundleList::Inferer, index: 1 }
		);
		// Worker 2 infers but does not forecast.
		let mut x = b.clone();
		x.one_in_forecaster_values = list(vec![(2, fx("1"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::UnknownWorker { list: BundleList::OneInForecaster, index: 0 }
		);
		let mut x = b.clone();
		x.one_out_inferer_forecaster_values = list(vec![(3, 2, fx("1")), (3, 9, fx("1"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::UnknownWorker { list: BundleList::OneOutInfererForecaster, index: 1 }
		);
		let mut x = b.clone();
		x.one_out_inferer_values = list(vec![(2, fx("1")), (3, fx("1")), (2, fx("2"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::DuplicateEntry { list: BundleList::OneOutInferer, index: 2 }
		);
		let mut x = b.clone();
		x.one_out_inferer_forecaster_values = list(vec![(3, 2, fx("1")), (3, 2, fx("1"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::DuplicateEntry { list: BundleList::OneOutInfererForecaster, index: 1 }
		);
		// Issue 12, finding 2: losses outside the topic's loss range (here the widest, ±10^6)
		// are refused; on the old code a minimum-stake reputer's 10^15 set every network loss.
		let mut x = b.clone();
		x.combined_value = Some(fx("1000000000000000"));
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::LossOutOfRange { list: BundleList::Combined, index: 0 }
		);
		let mut x = b.clone();
		x.naive_value = Some(fx("-1000000.000000000000000001"));
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::LossOutOfRange { list: BundleList::Naive, index: 0 }
		);
		let mut x = b.clone();
		x.inferer_values = list(vec![(2, fx("1")), (3, fx("2000000"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::LossOutOfRange { list: BundleList::Inferer, index: 1 }
		);
		let mut x = b.clone();
		x.one_out_inferer_forecaster_values = list(vec![(3, 2, fx("-1000001"))]);
		assert_noop!(
			submit(10, TOPIC, N1, x),
			Error::<Test>::LossOutOfRange { list: BundleList::OneOutInfererForecaster, index: 0 }
		);
		// After the window.
		run_to_block(N1 + 2 * E + 1);
		assert_noop!(submit(10, TOPIC, N1, b), Error::<Test>::UnknownReputerNonce);
	});
}

#[test]
fn a_full_reputer_set_admits_by_score_ema() {
	new_test_ext().execute_with(|| {
		for r in [13, 14] {
			assert_ok!(Stake::register_reputer(signed(r), TOPIC));
			assert_ok!(Stake::add_stake(signed(r), TOPIC, 100 * ALLO));
		}
		let ema = |score: &str| pallet_inference::ScoreEma { nonce: 0, score: fx(score) };
		for (r, s) in [(10, "5"), (11, "1"), (12, "3"), (13, "4"), (14, "0.5")] {
			pallet_inference::Pallet::<Test>::set_score_ema(TOPIC, Role::Reputer, &r, ema(s));
		}
		worker_round(N1);
		run_to_block(N1 + E);
		for r in [10, 11, 12, 14] {
			assert_ok!(submit(r, TOPIC, N1, full_bundle("-2")));
		}
		// 13 (EMA 4) beats the lowest member 14 (EMA 0.5), who leaves with its bundle.
		assert_ok!(submit(13, TOPIC, N1, full_bundle("-2")));
		assert_eq!(ActiveReputers::<Test>::get(TOPIC, N1).into_inner(), vec![10, 11, 12, 13]);
		assert!(LossBundles::<Test>::get((TOPIC, N1), 14).is_none());
		assert!(events().contains(&Event::ReputerEvicted {
			topic_id: TOPIC,
			nonce: N1,
			reputer: 14
		}));
		// 14 is evaluated for this nonce already: a second try fails.
		assert_noop!(
			submit(14, TOPIC, N1, full_bundle("-2")),
			pallet_inference::Error::<Test>::AlreadyEvaluatedThisNonce
		);
		Reputation::do_try_state().unwrap();
	});
}

#[test]
fn the_close_queue_settles_one_per_block_and_a_full_queue_loses_nothing() {
	new_test_ext().execute_with(|| {
		worker_round(N1);
		run_to_block(N1 + E);
		assert_ok!(submit(10, TOPIC, N1, full_bundle("-2")));
		// Four entries of a topic that does not exist fill the queue (capacity 4) right
		// before the epoch end that would queue N1.
		run_to_block(N1 + 2 * E);
		let filler: Vec<_> = (0..4).map(|i| (99, i, N1 + 2 * E, Fixed::ZERO)).collect();
		CloseQueue::<Test>::put(list(filler));
		run_to_block(N1 + 2 * E + 1);
		// Not queued: N1 stays open for bundles' close at the next epoch end.
		assert!(pallet_inference::ReputerNonces::<Test>::get(TOPIC).contains(&N1));
		// One entry per block (MaxClosesPerBlock = 1): the filler drains in four blocks.
		run_to_block(N1 + 2 * E + 3);
		assert_eq!(CloseQueue::<Test>::get().len(), 2);
		assert!(events().contains(&Event::ReputerNonceDropped {
			topic_id: 99,
			nonce: 0,
			reason: DropReason::TopicNotFound
		}));
		// Next epoch end (49) queues it; block 50 settles it.
		run_to_block(N1 + 3 * E + 2);
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::ReputerNonceClosed { nonce: N1, reputers: 1, .. })));
		assert!(!pallet_inference::ReputerNonces::<Test>::get(TOPIC).contains(&N1));
	});
}

#[test]
fn a_nonce_without_a_staked_reputer_is_dropped_and_cleaned_up() {
	new_test_ext().execute_with(|| {
		worker_round(N1);
		run_to_block(N1 + E);
		assert_ok!(submit(10, TOPIC, N1, full_bundle("-2")));
		// The minimum rises above every stake before the close.
		assert_ok!(Topics::update_params(
			RuntimeOrigin::root(),
			Box::new(pallet_topics::ParamsUpdate {
				required_minimum_stake: Some(1_000 * ALLO),
				..Default::default()
			})
		));
		run_to_block(N1 + 2 * E + 2);
		assert!(events().contains(&Event::ReputerNonceDropped {
			topic_id: TOPIC,
			nonce: N1,
			reason: DropReason::NoStakedReputer
		}));
		// The network loss seeded before N1 is untouched.
		assert_eq!(NetworkLosses::<Test>::get(TOPIC).map(|(n, _)| n), Some(0));
		assert!(Reputation::stored_regrets(TOPIC, Fixed::ZERO).inferer.is_empty());
		assert_eq!(LossBundles::<Test>::iter().count(), 0);
		assert!(ActiveReputers::<Test>::get(TOPIC, N1).is_empty());
	});
}

#[test]
fn experienced_workers_move_the_initial_regret() {
	new_test_ext().execute_with(|| {
		// Ten rewarded rounds (1/α_R) and a prior regret make workers experienced (spec 5.5).
		for w in WORKERS {
			for _ in 0..10 {
				Reputation::note_inclusion(TOPIC, Role::Inferer, &w);
			}
		}
		let mut prior = allora_synthesis::regrets::Regrets::new(Fixed::ZERO);
		for w in WORKERS {
			prior.inferer.insert(w, fx("0.5"));
		}
		crate::Pallet::<Test>::store_regrets(TOPIC, prior.clone(), 1);
		worker_round(N1);
		run_to_block(N1 + E);
		for (r, b) in bundles() {
			assert_ok!(submit(r, TOPIC, N1, b));
		}
		run_to_block(N1 + 2 * E + 2);
		let stored = Reputation::stored_regrets(TOPIC, Fixed::ZERO);
		let values: Vec<Fixed> = stored.inferer.values().copied().collect();
		let params = allora_synthesis::RegretParams {
			alpha_regret: fx("0.1"),
			initial_regret_quantile: fx("0.25"),
			p_norm_safe_div: fx("8.25"),
			c_norm: fx("0.75"),
			p_norm: fx("3"),
			epsilon: fx("0.01"),
		};
		let expected = lib_regrets::initial_regret(&values, &params).unwrap();
		assert_ne!(expected, Fixed::ZERO);
		assert_eq!(pallet_topics::Topics::<Test>::get(TOPIC).unwrap().initial_regret, expected);
		assert_eq!(Reputation::round_results(TOPIC).unwrap().initial_regret, expected);
	});
}

/// Narrows the mock topic's loss range to [-30, 30] (log-losses) by governance.
fn narrow_losses() {
	let update = pallet_topics::TopicUpdate {
		loss_range: Some(pallet_topics::ValueRange { min: fx("-30"), max: fx("30") }),
		..Default::default()
	};
	assert_ok!(Topics::update_topic(RuntimeOrigin::root(), TOPIC, update));
}

/// Reputer 12 becomes a whale (5 300 ALLO); 13 (50 ALLO, the minimum) and 14 (100 ALLO) join.
fn whale_and_minnows() {
	narrow_losses();
	assert_ok!(Stake::add_stake(signed(12), TOPIC, 5_000 * ALLO));
	for (r, stake) in [(13, 50 * ALLO), (14, 100 * ALLO)] {
		assert_ok!(Stake::register_reputer(signed(r), TOPIC));
		assert_ok!(Stake::add_stake(signed(r), TOPIC, stake));
	}
}

/// Issue 12, finding 2 (whale honest, minnow lying at the loss bound): the round settles, the
/// liar moves the network loss by at most its stake share of the range, scores lowest, and
/// loses its seat to an honest newcomer in the next round. On the old code a 10^15 report set
/// every network loss, and a little more overflowed the settlement (`MechanismFailed`).
#[test]
fn a_minnow_liar_barely_moves_the_network_loss_and_loses_its_seat() {
	new_test_ext().execute_with(|| {
		whale_and_minnows();
		let n2 = N1 + E;
		worker_round(N1);
		run_to_block(N1 + E);
		for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "-1.95"), (13, "29.9")] {
			assert_ok!(submit(r, TOPIC, N1, full_bundle(b)));
		}
		worker_round(n2);
		run_to_block(N1 + 2 * E + 2);
		let round = Reputation::round_results(TOPIC).expect("settled");
		assert_eq!(round.nonce, N1);
		let score = |who: u64| round.reputers.iter().find(|r| r.reputer == who).unwrap().score;
		for honest in [10, 11, 12] {
			assert!(score(13) < score(honest), "liar {} vs {}", score(13), score(honest));
		}
		// Honest stake-weighted combined loss: (100·-2 + 200·-2.1 + 5 300·-1.95)/5 600; the
		// liar holds 50/5 650 of the stake, so it moves it by at most 0.9 % of 60.
		let honest = fx("-1.956250");
		let (_, net) = NetworkLosses::<Test>::get(TOPIC).expect("network losses");
		let shift = net.combined_value.unwrap().checked_sub(honest).unwrap();
		assert!(shift.is_positive() && shift < fx("0.54"), "shift {shift}");

		// The next round: the honest reputers report first and the liar, lying again, takes
		// the last seat; an honest newcomer has no EMA yet (0, spec 3.5) and is not admitted,
		// which gives it the passive EMA: the quantile of the round's scores (above the liar's).
		for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "-1.95"), (13, "29.9")] {
			assert_ok!(submit(r, TOPIC, n2, full_bundle(b)));
		}
		assert_ok!(submit(14, TOPIC, n2, full_bundle("-2")));
		assert_eq!(ActiveReputers::<Test>::get(TOPIC, n2).into_inner(), vec![10, 11, 12, 13]);
		let n3 = n2 + E;
		worker_round(n3);
		run_to_block(n2 + 2 * E + 2);
		assert_eq!(Reputation::round_results(TOPIC).map(|r| r.nonce), Some(n2));
		// The round after: the newcomer's quantile EMA beats the liar's, which loses its seat
		// (and so its bundle and any reward).
		for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "-1.95"), (13, "29.9")] {
			assert_ok!(submit(r, TOPIC, n3, full_bundle(b)));
		}
		assert_ok!(submit(14, TOPIC, n3, full_bundle("-2")));
		assert_eq!(ActiveReputers::<Test>::get(TOPIC, n3).into_inner(), vec![10, 11, 12, 14]);
		assert!(LossBundles::<Test>::get((TOPIC, n3), 13).is_none());
		Reputation::do_try_state().unwrap();
	});
}

/// The other side of stake-weighted consensus (finding 2, whale lying, minnows honest): the
/// whale's report is the consensus, so the network loss follows it and the honest minority is
/// scored below it. The protocol's trust assumption is an honest majority of reputer stake, as
/// in the reference; the bounds still keep the settlement computable and the damage within the
/// topic's loss range.
#[test]
fn a_lying_whale_is_the_consensus_and_the_honest_minority_scores_below_it() {
	new_test_ext().execute_with(|| {
		whale_and_minnows();
		worker_round(N1);
		run_to_block(N1 + E);
		for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "29.9"), (13, "-1.95")] {
			assert_ok!(submit(r, TOPIC, N1, full_bundle(b)));
		}
		run_to_block(N1 + 2 * E + 2);
		let round = Reputation::round_results(TOPIC).expect("settled");
		let score = |who: u64| round.reputers.iter().find(|r| r.reputer == who).unwrap().score;
		for honest in [10, 11, 13] {
			assert!(score(12) > score(honest), "whale {} vs {}", score(12), score(honest));
		}
		let (_, net) = NetworkLosses::<Test>::get(TOPIC).expect("network losses");
		let combined = net.combined_value.unwrap();
		assert!(combined > fx("27") && combined <= fx("30"), "{combined}");
		Reputation::do_try_state().unwrap();
	});
}

/// Sets the mock topic's ground-truth lag by governance.
fn set_lag(g: u64) -> sp_runtime::DispatchResult {
	let update = pallet_topics::TopicUpdate { ground_truth_lag: Some(g), ..Default::default() };
	Topics::update_topic(RuntimeOrigin::root(), TOPIC, update)
}

/// Issue 12, finding 5: the longest lag validation accepts, G = (M − 2)·E/2 (here M = 10, so
/// 4·E), still settles with a round in every epoch; one epoch more is refused. On the old
/// bound (G ≤ M·E) nonce N was dropped from the M newest before N + 2G and never settled.
#[test]
fn a_topic_with_the_longest_accepted_lag_settles() {
	new_test_ext().execute_with(|| {
		let g = 4 * E;
		assert_noop!(
			set_lag(g + 1),
			pallet_topics::Error::<Test>::InvalidTopicField {
				field: pallet_topics::TopicField::GroundTruthLag
			}
		);
		assert_ok!(set_lag(g));
		let mut submitted = false;
		let mut k = 0;
		while N1 + k * E <= N1 + 2 * g + E {
			worker_round(N1 + k * E);
			let now = System::block_number();
			if !submitted && now >= N1 + g {
				for (r, b) in bundles() {
					assert_ok!(submit(r, TOPIC, N1, b));
				}
				submitted = true;
			}
			k += 1;
		}
		assert!(submitted);
		run_to_block(N1 + 2 * g + E + 2);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::ReputerNonceClosed { topic_id: TOPIC, nonce: N1, reputers: 3, .. }
		)));
		Reputation::do_try_state().unwrap();
	});
}

/// Issue 12, finding 5: a nonce that governance's lower `max_unfulfilled_reputer_requests`
/// pushes out of the list before it can close loses its bundles and active set (on the old
/// code they stayed in storage forever).
#[test]
fn a_dropped_reputer_nonce_loses_its_bundles() {
	new_test_ext().execute_with(|| {
		assert_ok!(set_lag(4 * E));
		for k in 0..=4 {
			worker_round(N1 + k * E);
		}
		for (r, b) in bundles() {
			assert_ok!(submit(r, TOPIC, N1, b));
		}
		assert_eq!(ActiveReputers::<Test>::get(TOPIC, N1).len(), 3);
		let update = pallet_topics::ParamsUpdate {
			max_unfulfilled_reputer_requests: Some(4),
			..Default::default()
		};
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(update)));
		worker_round(N1 + 5 * E);
		assert!(!pallet_inference::ReputerNonces::<Test>::get(TOPIC).contains(&N1));
		assert!(ActiveReputers::<Test>::get(TOPIC, N1).is_empty());
		assert_eq!(LossBundles::<Test>::iter_prefix((TOPIC, N1)).count(), 0);
		assert!(events().contains(&Event::ReputerNonceDropped {
			topic_id: TOPIC,
			nonce: N1,
			reason: DropReason::Expired,
		}));
		Reputation::do_try_state().unwrap();
	});
}

/// Review of issue 12: governance lowers `max_unfulfilled_reputer_requests` from 60 to 4 while a
/// topic with a long lag has ~40 reputer nonces waiting. The old window close dropped all but the
/// newest four in one hook (each drop removes up to a full active set of bundles, weighed as one);
/// now a close drops at most two, and the list shrinks to the bound one nonce per epoch.
#[test]
fn a_lowered_nonce_bound_drops_at_most_two_nonces_per_close() {
	new_test_ext().execute_with(|| {
		let bound = |m: u32| {
			let update = pallet_topics::ParamsUpdate {
				max_unfulfilled_reputer_requests: Some(m),
				..Default::default()
			};
			Topics::update_params(RuntimeOrigin::root(), Box::new(update))
		};
		assert_ok!(bound(60));
		assert_ok!(set_lag(20 * E));
		for k in 0..40 {
			worker_round(N1 + k * E);
		}
		let waiting = pallet_inference::ReputerNonces::<Test>::get(TOPIC).len();
		assert!(waiting >= 38, "{waiting}");
		assert_ok!(bound(4));
		// Per epoch at most: two dropped by the close, two pruned as stale at the epoch end and
		// one settled (fix o); one is added.
		let mut k = 40;
		let mut len = waiting;
		while len > 4 {
			worker_round(N1 + k * E);
			let now = pallet_inference::ReputerNonces::<Test>::get(TOPIC).len();
			assert!(now + 4 >= len, "epoch {k}: {len} -> {now}");
			len = now;
			k += 1;
		}
		assert!(k > 45, "shrank in {} epochs", k - 40);
		assert!(k < 40 + waiting as u64);
		Reputation::do_try_state().unwrap();
	});
}

/// Issue 12, finding 6: per-actor state outlived the actor (score EMAs, listening
/// coefficients, inclusion counts were never removed, and a round settled after an actor left
/// wrote them again). Leaving now removes them, and a later settlement does not re-create them.
#[test]
fn actors_that_leave_keep_no_state_even_when_their_round_settles_later() {
	new_test_ext().execute_with(|| {
		let ema = |role, who| pallet_inference::ScoreEmas::<Test>::get((TOPIC, role), who);
		// A settled round gives everyone state.
		worker_round(N1);
		run_to_block(N1 + E);
		for (r, b) in bundles() {
			assert_ok!(submit(r, TOPIC, N1, b));
		}
		let n2 = N1 + E;
		worker_round(n2);
		run_to_block(N1 + 2 * E + 2);
		assert!(ema(Role::Inferer, 3).is_some() && ema(Role::Forecaster, 3).is_some());
		assert!(ema(Role::Reputer, 10).is_some());
		assert!(ListeningCoefficients::<Test>::get(TOPIC, 10).is_some());
		InclusionCounts::<Test>::insert((TOPIC, Role::Inferer), 3, 4);
		InclusionCounts::<Test>::insert((TOPIC, Role::Reputer), 10, 4);

		// Leaving removes it.
		assert_ok!(Inference::unregister_worker(signed(3), TOPIC));
		assert_ok!(Stake::unregister_reputer(signed(10), TOPIC));
		assert!(ema(Role::Inferer, 3).is_none() && ema(Role::Forecaster, 3).is_none());
		assert_eq!(InclusionCounts::<Test>::get((TOPIC, Role::Inferer), 3), 0);
		assert!(!InclusionCounts::<Test>::contains_key((TOPIC, Role::Inferer), 3));
		assert!(ema(Role::Reputer, 10).is_none());
		assert!(ListeningCoefficients::<Test>::get(TOPIC, 10).is_none());
		assert!(!InclusionCounts::<Test>::contains_key((TOPIC, Role::Reputer), 10));

		// Worker 3's inference for n2 and reputer 10's bundle for it still count, but the
		// settlement of n2 writes nothing for them.
		run_to_block(n2 + E);
		assert_ok!(submit(11, TOPIC, n2, full_bundle("-2.1")));
		assert_ok!(submit(12, TOPIC, n2, full_bundle("-1.95")));
		// Reputer 10 submits before leaving this time.
		assert_ok!(Stake::register_reputer(signed(10), TOPIC));
		assert_ok!(Stake::add_stake(signed(10), TOPIC, 10 * ALLO));
		assert_ok!(submit(10, TOPIC, n2, full_bundle("-2")));
		assert_ok!(Stake::unregister_reputer(signed(10), TOPIC));
		run_to_block(n2 + 2 * E + 2);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::ReputerNonceClosed { nonce, reputers: 3, .. } if *nonce == n2
		)));
		let round = Reputation::round_results(TOPIC).unwrap();
		assert!(round.inferer_scores.iter().any(|(w, _)| *w == 3));
		assert!(ema(Role::Inferer, 3).is_none() && ema(Role::Forecaster, 3).is_none());
		assert!(ema(Role::Reputer, 10).is_none());
		assert!(ListeningCoefficients::<Test>::get(TOPIC, 10).is_none());
		assert!(ema(Role::Inferer, 2).is_some_and(|e| e.nonce == n2));
		assert!(ListeningCoefficients::<Test>::get(TOPIC, 11).is_some());
		Reputation::do_try_state().unwrap();
	});
}
