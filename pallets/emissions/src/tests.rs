//! The emission (recalculation, fees first, caps, split), the reward step of a settled round
//! (conservation, compounding, delegators, experience, skips), governance, and a property test
//! over 100 years of monthly recalculations.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use pallet_inference::Role;
use proptest::prelude::*;

/// The first worker nonce of the mock topic (its first epoch end).
const N1: u64 = 13;
/// The block whose `on_finalize` settles (and pays) N1: queued at the epoch end N1 + 2E.
const SETTLED: u64 = N1 + 2 * E + 1;

fn signed(a: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(a)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Emissions(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn element(inferer: u64, value: &str) -> pallet_inference::ForecastElement<u64> {
	pallet_inference::ForecastElement { inferer, value: fx(value) }
}

fn free(a: u64) -> u128 {
	Balances::balance(&a)
}

fn treasury() -> u128 {
	Balances::balance(&Emissions::rewards_account())
}

/// Workers 2-4 infer for N1 (3 and 4 also forecast), the three reputers report, and the
/// chain runs up to (not including) the settlement block's `on_finalize`.
fn round_until_settlement() {
	run_to_block(N1 + 1);
	let values = [("2", "100"), ("3", "101"), ("4", "99.5")];
	for (w, (_, v)) in WORKERS.iter().zip(values) {
		let forecast = match w {
			3 => Some(list(vec![element(2, "0.3"), element(4, "0.1")])),
			4 => Some(list(vec![element(2, "0.2"), element(3, "0.4")])),
			_ => None,
		};
		assert_ok!(Inference::submit_worker_payload(signed(*w), TOPIC, N1, Some(fx(v)), forecast));
	}
	run_to_block(N1 + E);
	for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "-1.95")] {
		assert_ok!(Reputation::submit_loss_bundle(signed(r), TOPIC, N1, Box::new(full_bundle(b))));
	}
	run_to_block(SETTLED);
}

/// Finalizes the settlement block (the reward step runs there).
fn settle() {
	run_to_block(SETTLED + 1);
}

#[test]
fn recalculation_waits_for_stake_then_follows_spec_8_3() {
	genesis_ext().execute_with(|| {
		System::set_block_number(1);
		assert!(Emission::<Test>::get().pending);
		Emissions::on_initialize(1);
		assert_eq!(
			events(),
			vec![Event::EmissionRecalculationDeferred { reason: RecalculationFailure::NoStake }]
		);
		assert_eq!(Emission::<Test>::get().block_emission, 0);
		assert_eq!(RewardBlockEmission::<Test>::get(), 0);
		// Retried every block, reported once.
		System::set_block_number(2);
		Emissions::on_initialize(2);
		assert_eq!(events().len(), 1);

		// 600 ALLO staked: ê_target ≫ ê_max = 0.0095 / (0.25 + 0.75·0.3) = 0.02, the first
		// month's EMA is ê, so 𝓔 = 0.02 · 600 = 12 ALLO and 0.12 ALLO per block.
		pallet_stake::TotalStake::<Test>::put(600 * ALLO);
		System::set_block_number(3);
		Emissions::on_initialize(3);
		let e = Emission::<Test>::get();
		assert!(!e.pending);
		assert_eq!(e.max_per_token, fx("0.02"));
		assert!(e.target_per_token > e.max_per_token);
		assert_eq!(e.per_token, Some(fx("0.02")));
		assert_eq!(e.monthly_emission, 12 * ALLO);
		assert_eq!(e.block_emission, 12 * ALLO / 100);
		assert_eq!(e.last_recalculated, 3);
		// Nothing recalculates mid-month.
		System::set_block_number(4);
		Emissions::on_initialize(4);
		assert_eq!(Emission::<Test>::get().last_recalculated, 3);
	});
}

#[test]
fn fees_are_spent_before_minting_and_validators_get_a_quarter() {
	new_test_ext().execute_with(|| {
		let eco = Emissions::ecosystem_account();
		let fees = Balances::reducible_balance(
			&eco,
			frame_support::traits::tokens::Preservation::Preserve,
			frame_support::traits::tokens::Fortitude::Polite,
		);
		assert!(fees > 0);
		let issuance = Balances::total_issuance();
		let pot = Balances::balance(&Emissions::validator_pot());
		let rewards = treasury();
		run_to_block(2);
		let e = Emission::<Test>::get().block_emission;
		assert_eq!(e, 12 * ALLO / 100);
		assert!(fees < e);
		// Only the part the fees do not cover is minted.
		assert_eq!(EcosystemMinted::<Test>::get(), e - fees);
		assert_eq!(Balances::total_issuance(), issuance + e - fees);
		assert_eq!(Balances::balance(&Emissions::validator_pot()) - pot, e / 4);
		assert_eq!(treasury() - rewards, e - e / 4);
		assert_eq!(RewardBlockEmission::<Test>::get(), e - e / 4);
		// The next block mints the whole emission.
		run_to_block(3);
		assert_eq!(EcosystemMinted::<Test>::get(), 2 * e - fees);
		Emissions::do_try_state().unwrap();
	});
}

#[test]
fn minting_stops_at_the_ecosystem_share_and_at_the_max_supply() {
	new_test_ext().execute_with(|| {
		run_to_block(2);
		let e = Emission::<Test>::get().block_emission;
		let cap = Params::<Test>::get().ecosystem_cap();
		EcosystemMinted::<Test>::put(cap - e / 3);
		run_to_block(3);
		assert_eq!(EcosystemMinted::<Test>::get(), cap);
		// The ecosystem paid what it had, split as usual.
		assert_eq!(RewardBlockEmission::<Test>::get(), e / 3 - e / 3 / 4);
		run_to_block(4);
		assert_eq!(EcosystemMinted::<Test>::get(), cap);
		assert_eq!(RewardBlockEmission::<Test>::get(), 0);
		Emissions::do_try_state().unwrap();

		// A max supply just above the issuance binds before the ecosystem share does.
		EcosystemMinted::<Test>::put(0);
		let max = Balances::total_issuance() + e / 2;
		let params = MintParams { max_supply: max, ..Params::<Test>::get() };
		assert_ok!(Emissions::update_params(RuntimeOrigin::root(), params, false));
		// The cap can never be raised past 10^27 nor lowered below the issuance.
		for bad in [HARD_CAP + 1, Balances::total_issuance() - 1] {
			let params = MintParams { max_supply: bad, ..Params::<Test>::get() };
			assert_noop!(
				Emissions::update_params(RuntimeOrigin::root(), params, false),
				Error::<Test>::InvalidMintParam { param: MintParam::MaxSupply }
			);
		}
		run_to_block(6);
		assert_eq!(Balances::total_issuance(), max);
		assert_eq!(EcosystemMinted::<Test>::get(), e / 2);
		Emissions::do_try_state().unwrap();
	});
}

/// Issue 12, finding 3: the topic leaves the weight sum between the block that queued its
/// close and the payment (displaced; a tiny topic remains). The old code divided w_t by the new
/// sum, a share of w/(W − w) ≫ 1 that drained the reward treasury; the share is now the one of
/// the queueing block (here 1: the only topic).
#[test]
fn a_topic_displaced_between_queueing_and_payment_keeps_its_share() {
	new_test_ext().execute_with(|| {
		round_until_settlement();
		let queued = pallet_reputation::CloseQueue::<Test>::get();
		assert_eq!(queued.len(), 1);
		assert_eq!(queued[0].3, Fixed::ONE);
		let w = pallet_topics::PreviousTopicWeight::<Test>::get(TOPIC).expect("weight");
		let tiny = w.checked_div_int(1_000).unwrap();
		pallet_topics::TotalSumPreviousTopicWeights::<Test>::put(tiny);
		let e_blk = RewardBlockEmission::<Test>::get();
		let treasury_before = treasury();
		assert!(treasury_before > 3 * e_blk * E as u128, "a treasury the old share would drain");
		settle();
		let r = LastRewards::<Test>::get(TOPIC).expect("paid");
		assert_eq!(r.topic_reward, e_blk * E as u128);
		assert_eq!(treasury_before + RewardBlockEmission::<Test>::get() - treasury(), r.paid);
		Emissions::do_try_state().unwrap();
	});
}

#[test]
fn a_settled_round_pays_every_actor_and_conserves_the_topic_reward() {
	new_test_ext().execute_with(|| {
		round_until_settlement();
		let before: Vec<u128> = WORKERS.iter().map(|w| free(*w)).collect();
		let stakes: Vec<u128> = REPUTERS
			.iter()
			.map(|r| pallet_stake::StakeReputerAuthority::<Test>::get(TOPIC, r))
			.collect();
		let treasury_before = treasury();
		let e_blk = RewardBlockEmission::<Test>::get();
		settle();

		let r = LastRewards::<Test>::get(TOPIC).expect("paid");
		assert_eq!(r.nonce, N1);
		assert_eq!(r.paid_at, SETTLED);
		// One topic holds the whole weight: E_t = e_blk · E (spec 7.2).
		assert_eq!(r.topic_reward, e_blk * E as u128);
		assert_eq!(r.paid + r.dust, r.topic_reward);
		assert!(r.dust < 16, "dust {}", r.dust);
		// The treasury paid exactly `paid`, then received the next block's share.
		assert_eq!(treasury_before + RewardBlockEmission::<Test>::get() - treasury(), r.paid);
		assert!(events().contains(&Event::RewardsPaid {
			topic_id: TOPIC,
			nonce: N1,
			topic_reward: r.topic_reward,
			paid: r.paid,
			dust: r.dust,
		}));
		// U + V + W = E_t up to truncation; every role's fractions sum to 1.
		let tasks: u128 = r.task_rewards.iter().sum();
		assert!(
			r.topic_reward.abs_diff(tasks) <= r.topic_reward / 1_000_000_000_000_000,
			"{tasks}"
		);
		for role in [&r.inferers[..], &r.forecasters[..], &r.reputers[..]] {
			let sum = Fixed::checked_sum(role.iter().map(|a| a.fraction)).unwrap();
			assert!(sum.checked_sub(Fixed::ONE).unwrap().abs() <= Fixed::from_raw(10), "{sum}");
		}
		assert_eq!(r.inferers.len(), 3);
		assert_eq!(r.forecasters.len(), 2);
		assert_eq!(r.reputers.len(), 3);

		// Workers hold their rewards (inferer and forecaster parts) and gained experience.
		for (w, b) in WORKERS.iter().zip(before) {
			let earned: u128 = r
				.inferers
				.iter()
				.chain(r.forecasters.iter())
				.filter(|a| a.who == *w)
				.map(|a| a.paid)
				.sum();
			assert!(earned > 0);
			assert_eq!(free(*w) - b, earned);
			assert_eq!(
				pallet_reputation::InclusionCounts::<Test>::get((TOPIC, Role::Inferer), w),
				1
			);
		}
		// Reputers' rewards compound into their held stake.
		for (m, s) in REPUTERS.iter().zip(stakes) {
			let a = r.reputers.iter().find(|a| a.who == *m).unwrap();
			assert!(a.paid > 0 && a.delegators == 0);
			assert_eq!(pallet_stake::StakeReputerAuthority::<Test>::get(TOPIC, m), s + a.paid);
			assert_eq!(
				Balances::balance_on_hold(&pallet_stake::HoldReason::ReputerStake.into(), m),
				s + a.paid
			);
		}
		// Next round's state: τ, smoothed fractions of every role, the σ history.
		assert_eq!(ForecasterScoreRatio::<Test>::get(TOPIC), r.tau);
		for (role, n) in [(Role::Inferer, 3), (Role::Forecaster, 2), (Role::Reputer, 3)] {
			assert_eq!(SmoothedFractions::<Test>::get((TOPIC, role)).len(), n);
		}
		assert_eq!(ScoreHistory::<Test>::get((TOPIC, Role::Inferer)).len(), 3);
		assert_eq!(MonthlyRewards::<Test>::get(), (r.topic_reward, r.task_rewards[2]));
		Emissions::do_try_state().unwrap();
		Stake::do_try_state().unwrap();
	});
}

#[test]
fn delegators_share_a_reputers_reward_and_never_claim_more_than_it() {
	new_test_ext().execute_with(|| {
		// Three delegators with odd amounts on reputer 12 (300 ALLO own).
		let placements = [(30u64, 7 * ALLO + 13), (31, 100 * ALLO + 1), (32, 3 * ALLO / 7)];
		for (d, amount) in placements {
			assert_ok!(Stake::delegate_stake(signed(d), TOPIC, 12, amount));
		}
		round_until_settlement();
		let pending_account = Stake::pending_rewards_account();
		let pending_before = Balances::balance(&pending_account);
		settle();
		let r = LastRewards::<Test>::get(TOPIC).unwrap();
		let a = r.reputers.iter().find(|a| a.who == 12).unwrap();
		let delegated: u128 = placements.iter().map(|(_, x)| x).sum();
		let stake =
			pallet_stake::StakeReputerAuthority::<Test>::get(TOPIC, 12) - (a.paid - a.delegators);
		// trunc(X · D / S) with S the stake when paid.
		assert_eq!(a.delegators, a.reward * delegated / stake);
		assert!(a.delegators > 0);
		assert_eq!(Balances::balance(&pending_account) - pending_before, a.delegators);
		let mut claimed = 0;
		for (d, _) in placements {
			let owed = Stake::pending_delegator_reward(TOPIC, &d, &12);
			let b = free(d);
			assert_ok!(Stake::claim_delegator_reward(signed(d), TOPIC, 12));
			assert_eq!(free(d) - b, owed);
			// Nothing more to claim.
			assert_eq!(Stake::pending_delegator_reward(TOPIC, &d, &12), 0);
			claimed += owed;
		}
		assert!(claimed <= a.delegators);
		// Rounding (spec 1.3, down in favour of the pool): the accumulator loses less than
		// D/10^18 + 1 base units, each claim's floor less than one.
		let bound = delegated / 1_000_000_000_000_000_000 + 1 + placements.len() as u128;
		assert!(a.delegators - claimed <= bound, "rounding loss {}", a.delegators - claimed);
		Stake::do_try_state().unwrap();
	});
}

/// Everything the reward step writes (spec README decision 10), encoded: listening
/// coefficients, inclusion counts, score EMAs and quantiles, the σ history, smoothed fractions,
/// τ, the last rewards and the monthly sums.
fn reward_step_state() -> Vec<Vec<u8>> {
	use codec::Encode;
	vec![
		pallet_reputation::ListeningCoefficients::<Test>::iter().collect::<Vec<_>>().encode(),
		pallet_reputation::InclusionCounts::<Test>::iter().collect::<Vec<_>>().encode(),
		pallet_inference::ScoreEmas::<Test>::iter().collect::<Vec<_>>().encode(),
		pallet_inference::PreviousQuantileScore::<Test>::iter().collect::<Vec<_>>().encode(),
		ScoreHistory::<Test>::iter().collect::<Vec<_>>().encode(),
		SmoothedFractions::<Test>::iter().collect::<Vec<_>>().encode(),
		ForecasterScoreRatio::<Test>::iter().collect::<Vec<_>>().encode(),
		LastRewards::<Test>::iter().collect::<Vec<_>>().encode(),
		MonthlyRewards::<Test>::get().encode(),
	]
}

/// The settlement a skipped reward step keeps: network losses, regrets, `LatestRound` without
/// scores (spec README decision 10).
fn assert_only_the_settlement_was_kept(before: &[Vec<u8>]) {
	assert_eq!(reward_step_state(), before, "the skipped reward step left state behind");
	assert_eq!(pallet_reputation::NetworkLosses::<Test>::get(TOPIC).map(|(n, _)| n), Some(N1));
	assert!(pallet_reputation::SingleRegrets::<Test>::iter().count() > 0, "regrets are kept");
	let latest = pallet_reputation::LatestRound::<Test>::get(TOPIC).unwrap();
	assert_eq!(latest.nonce, N1);
	assert!(latest.inferer_scores.is_empty() && latest.reputers.is_empty());
}

#[test]
fn fix_m_a_round_without_reward_is_skipped_and_keeps_only_the_settlement() {
	new_test_ext().execute_with(|| {
		round_until_settlement();
		// No emission this block: E_t = 0.
		RewardBlockEmission::<Test>::put(0);
		let t = treasury();
		let before = reward_step_state();
		assert!(pallet_reputation::SingleRegrets::<Test>::iter().next().is_none());
		settle();
		assert!(events().contains(&Event::RewardsSkipped {
			topic_id: TOPIC,
			nonce: N1,
			reason: SkipReason::NoReward
		}));
		// Neither half of the reward step kept anything: no scores in the σ history, no
		// listening coefficients, EMAs, smoothed fractions or τ (the old code kept the first
		// three).
		assert_only_the_settlement_was_kept(&before);
		assert_eq!(treasury(), t + RewardBlockEmission::<Test>::get());
	});
}

#[test]
fn a_round_without_inferer_scores_is_skipped_with_its_reason() {
	new_test_ext().execute_with(|| {
		run_to_block(N1 + 1);
		for (w, v) in WORKERS.iter().zip(["100", "101", "99.5"]) {
			assert_ok!(Inference::submit_worker_payload(signed(*w), TOPIC, N1, Some(fx(v)), None));
		}
		run_to_block(N1 + E);
		// A fresh topic's first round is synthesised in the median mode: the bundles judge the
		// combined, naive and inferer values only, so no worker has a one-out score.
		for (r, b) in [(10, "-2"), (11, "-2.1"), (12, "-1.95")] {
			let mut bundle = full_bundle(b);
			bundle.forecaster_values = list(vec![]);
			bundle.one_out_inferer_values = list(vec![]);
			bundle.one_out_forecaster_values = list(vec![]);
			bundle.one_in_forecaster_values = list(vec![]);
			bundle.one_out_inferer_forecaster_values = list(vec![]);
			assert_ok!(Reputation::submit_loss_bundle(signed(r), TOPIC, N1, Box::new(bundle)));
		}
		run_to_block(SETTLED);
		let before = reward_step_state();
		settle();
		assert!(events().contains(&Event::RewardsSkipped {
			topic_id: TOPIC,
			nonce: N1,
			reason: SkipReason::NoScoredInferers
		}));
		assert_only_the_settlement_was_kept(&before);
	});
}

#[test]
fn fix_n_the_reputer_share_is_the_ratio_of_last_months_sums() {
	new_test_ext().execute_with(|| {
		round_until_settlement();
		settle();
		let r = LastRewards::<Test>::get(TOPIC).unwrap();
		assert_eq!(ReputerShare::<Test>::get(), fx("0.3"));
		// Block 101 starts the second month.
		run_to_block(BLOCKS_PER_MONTH as u64 + 1);
		let (total, w) = (r.topic_reward, r.task_rewards[2]);
		let want = Fixed::from_base_units(w)
			.unwrap()
			.checked_div(Fixed::from_base_units(total).unwrap())
			.unwrap();
		assert_eq!(ReputerShare::<Test>::get(), want);
		assert_eq!(MonthlyRewards::<Test>::get(), (0, 0));
		assert_eq!(Emission::<Test>::get().last_recalculated, BLOCKS_PER_MONTH as u64 + 1);
	});
}

#[test]
fn governance_validates_and_forces_a_recalculation() {
	new_test_ext().execute_with(|| {
		run_to_block(2);
		let good = Params::<Test>::get();
		assert_noop!(
			Emissions::update_params(signed(1), good.clone(), true),
			sp_runtime::DispatchError::BadOrigin
		);
		let bad = MintParams { team_percent_of_total_supply: fx("0.2"), ..good.clone() };
		assert_noop!(
			Emissions::update_params(RuntimeOrigin::root(), bad, true),
			Error::<Test>::InvalidMintParam { param: MintParam::SharesSum }
		);
		let bad = MintParams { f_emission: Fixed::ZERO, ..good.clone() };
		assert_noop!(
			Emissions::update_params(RuntimeOrigin::root(), bad, true),
			Error::<Test>::InvalidMintParam { param: MintParam::FEmission }
		);
		// Half the yield cap: 0.01 per staked token from the next block.
		let half = MintParams { maximum_monthly_percentage_yield: fx("0.00475"), ..good };
		assert_ok!(Emissions::update_params(RuntimeOrigin::root(), half.clone(), true));
		assert_eq!(Params::<Test>::get(), half);
		run_to_block(3);
		let e = Emission::<Test>::get();
		assert_eq!(e.max_per_token, fx("0.01"));
		// EMA: 0.1 · 0.01 + 0.9 · 0.02.
		assert_eq!(e.per_token, Some(fx("0.019")));
		assert_eq!(e.last_recalculated, 3);
		assert_noop!(
			Emissions::recalculate_emission(signed(1)),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Emissions::recalculate_emission(RuntimeOrigin::root()));
		assert!(Emission::<Test>::get().pending);
	});
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

	/// 100 years of monthly recalculations (two blocks a month) with a random staking level
	/// each month for the first ten years, then a stable one: the ecosystem never mints past
	/// its share, total issuance never exceeds the max supply, and once staking is stable the
	/// emission per month decreases (year over year, after the EMA settled).
	#[test]
	fn a_century_of_emission_never_crosses_the_cap(
		levels in proptest::collection::vec(1u128..600_000_000u128, 120),
		stable in 50_000_000u128..600_000_000u128,
	) {
		genesis_ext().execute_with(|| {
			pallet_topics::Params::<Test>::mutate(|p| p.blocks_per_month = 2);
			let cap = Params::<Test>::get().ecosystem_cap();
			let max = Params::<Test>::get().max_supply;
			let mut monthly = Vec::new();
			for month in 0u64..1200 {
				let level = if month < 120 { levels[month as usize] } else { stable };
				pallet_stake::TotalStake::<Test>::put(level * ALLO);
				for b in [2 * month + 1, 2 * month + 2] {
					System::set_block_number(b);
					Emissions::on_initialize(b);
					prop_assert!(EcosystemMinted::<Test>::get() <= cap);
					prop_assert!(Balances::total_issuance() <= max);
				}
				monthly.push(Emission::<Test>::get().monthly_emission);
			}
			Emissions::do_try_state().unwrap();
			// Stable from month 120; the EMA settles within ten years.
			let yearly: Vec<u128> = monthly[240..].chunks(12).map(|y| y.iter().sum()).collect();
			for w in yearly.windows(2) {
				prop_assert!(w[1] <= w[0] + w[0] / 10_000, "{} after {}", w[1], w[0]);
			}
			prop_assert!(yearly.last().unwrap() < yearly.first().unwrap());
			Ok(())
		})?;
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

	/// Any number of delegators with odd amounts on any reputers: the round conserves its
	/// reward (paid + dust = E_t, the treasury paid exactly `paid`), no delegator can claim
	/// more than its reputer's delegators were given, and the stake invariants hold.
	#[test]
	fn delegated_rounds_conserve_and_never_overpay(
		placements in proptest::collection::vec((0usize..3, 1u128..50_000_000_000_000_000_000u128), 1..8),
	) {
		new_test_ext().execute_with(|| {
			for (d, (r, amount)) in placements.iter().enumerate() {
				let delegator = 20 + d as u64;
				prop_assert!(Stake::delegate_stake(signed(delegator), TOPIC, REPUTERS[*r], *amount).is_ok());
			}
			round_until_settlement();
			let before = treasury();
			settle();
			let round = LastRewards::<Test>::get(TOPIC).unwrap();
			prop_assert_eq!(round.paid + round.dust, round.topic_reward);
			prop_assert_eq!(before + RewardBlockEmission::<Test>::get() - treasury(), round.paid);
			for reputer in REPUTERS {
				let given = round.reputers.iter().find(|a| a.who == reputer).map(|a| a.delegators).unwrap();
				let mut claimed = 0;
				for (d, (r, _)) in placements.iter().enumerate() {
					if REPUTERS[*r] != reputer {
						continue;
					}
					let delegator = 20 + d as u64;
					let owed = Stake::pending_delegator_reward(TOPIC, &delegator, &reputer);
					let b = free(delegator);
					prop_assert!(Stake::claim_delegator_reward(signed(delegator), TOPIC, reputer).is_ok());
					prop_assert_eq!(free(delegator) - b, owed);
					claimed += owed;
				}
				prop_assert!(claimed <= given, "{} claimed of {}", claimed, given);
			}
			Stake::do_try_state().unwrap();
			Emissions::do_try_state().unwrap();
			Ok(())
		})?;
	}
}

/// Every storage map entry of the project's pallets (keys longer than a pallet and item
/// prefix).
fn map_keys() -> std::collections::BTreeSet<Vec<u8>> {
	let mut keys = std::collections::BTreeSet::new();
	for pallet in ["Topics", "Inference", "Stake", "Reputation", "Emissions"] {
		let prefix = sp_io::hashing::twox_128(pallet.as_bytes());
		let mut key = prefix.to_vec();
		while let Some(next) = sp_io::storage::next_key(&key) {
			if !next.starts_with(&prefix) {
				break;
			}
			if next.len() > 32 {
				keys.insert(next.clone());
			}
			key = next;
		}
	}
	keys
}

/// Issue 12, finding 6: a topic and everything kept on it lived forever. An abandoned topic
/// (inactive for `TopicInactivityEpochs`, workers and reputers pruned, stake withdrawn) is
/// removed by anyone for its deposit, and no map entry of the five pallets is left behind:
/// the storage is back to what it was before the topic was created.
#[test]
fn an_abandoned_topic_is_removed_with_all_its_state_for_its_deposit() {
	genesis_ext().execute_with(|| {
		System::set_block_number(1);
		let before = map_keys();
		create_mock_topic();
		assert_eq!(
			Balances::balance_on_hold(
				&RuntimeHoldReason::Topics(pallet_topics::HoldReason::TopicDeposit),
				&1
			),
			TOPIC_DEPOSIT
		);
		assert_ok!(Stake::delegate_stake(signed(30), TOPIC, 12, 5 * ALLO));
		round_until_settlement();
		settle();
		assert!(LastRewards::<Test>::get(TOPIC).is_some());
		assert_ok!(Stake::claim_delegator_reward(signed(30), TOPIC, 12));
		assert_noop!(
			Topics::remove_topic(signed(40), TOPIC),
			pallet_topics::Error::<Test>::TopicStillActive
		);

		// Everyone withdraws: without stake the topic's weight falls and it goes inactive.
		let delay = pallet_topics::ParamsUpdate {
			remove_stake_delay_window: Some(2),
			..Default::default()
		};
		assert_ok!(Topics::update_params(RuntimeOrigin::root(), Box::new(delay)));
		for r in REPUTERS {
			let own = Stake::own_stake(TOPIC, &r);
			assert_ok!(Stake::remove_stake(signed(r), TOPIC, own));
		}
		let delegated = pallet_stake::DelegatedStakes::<Test>::get((TOPIC, 30, 12)).amount;
		assert_ok!(Stake::remove_delegate_stake(signed(30), TOPIC, 12, delegated));
		let mut now = System::block_number();
		while Topics::is_active(TOPIC) {
			now += 1;
			run_to_block(now);
			assert!(now < 1_000, "the topic never went inactive");
		}
		assert_eq!(pallet_stake::TopicStake::<Test>::get(TOPIC), 0);
		assert_noop!(
			Topics::remove_topic(signed(40), TOPIC),
			pallet_topics::Error::<Test>::TopicStillActive
		);
		run_to_block(now + 10 * E);
		assert_noop!(
			Topics::remove_topic(signed(40), TOPIC),
			pallet_inference::Error::<Test>::TopicHasWorkers
		);
		for w in WORKERS {
			assert_ok!(Inference::prune_worker(signed(40), TOPIC, w));
		}
		assert_noop!(
			Topics::remove_topic(signed(40), TOPIC),
			pallet_stake::Error::<Test>::TopicHasReputers
		);
		for r in REPUTERS {
			assert_ok!(Stake::prune_reputer(signed(40), TOPIC, r));
		}
		let before_removal = free(40);
		assert_ok!(Topics::remove_topic(signed(40), TOPIC));
		assert_eq!(free(40), before_removal + TOPIC_DEPOSIT);
		assert_eq!(Balances::total_balance_on_hold(&1), 0);
		for who in WORKERS.iter().chain(&REPUTERS).chain(&[30]) {
			assert_eq!(Balances::total_balance_on_hold(who), 0, "account {who}");
		}
		let left: Vec<_> = map_keys()
			.difference(&before)
			.map(|k| sp_core::hexdisplay::HexDisplay::from(k).to_string())
			.collect();
		assert!(left.is_empty(), "entries left after the removal: {left:?}");
		assert_noop!(
			Topics::remove_topic(signed(40), TOPIC),
			pallet_topics::Error::<Test>::TopicNotFound
		);
		Topics::do_try_state().unwrap();
		Inference::do_try_state().unwrap();
		Stake::do_try_state().unwrap();
		Reputation::do_try_state().unwrap();
	});
}

/// A staking payout as `pallet-staking` makes it: a deposit to `who` and the resulting debt
/// handed to the `Reward` handler.
fn staking_payout(who: u64, amount: u128) {
	use frame_support::traits::{fungible::Balanced, tokens::Precision, OnUnbalanced};
	let debt = <Balances as Balanced<u64>>::deposit(&who, amount, Precision::Exact).unwrap();
	PayFromPot::<Test>::on_unbalanced(debt);
}

fn pot() -> u128 {
	Balances::balance(&Emissions::validator_pot())
}

/// Issue 13: an era's payout is the pot's uncommitted part; payouts come out of the pot
/// (total issuance unchanged); expired unpaid parts return to the next era's payout.
#[test]
fn validator_eras_are_paid_from_the_pot_and_nothing_is_minted() {
	use sp_staking::EraPayout;
	new_test_ext().execute_with(|| {
		run_to_block(5);
		let ed = ExistentialDeposit::get();
		let available = pot() - ed;
		assert!(available > 0);
		ActiveEra::set(Some(7));
		let (payout, rest) = PotEraPayout::<Test>::era_payout(0, 0, 0);
		assert_eq!((payout, rest), (available, 0));
		assert!(events().contains(&Event::ValidatorEraPayout {
			era: 7,
			amount: available,
			outstanding: 0
		}));
		// A second era without new emission has nothing to pay: the first is still owed.
		ActiveEra::set(Some(8));
		assert_eq!(PotEraPayout::<Test>::era_payout(0, 0, 0).0, 0);
		assert_eq!(Emissions::validator_rewards_outstanding(), available);

		// Staking pays 60 % of era 7 to account 50: the pot pays, issuance does not move.
		let issuance = Balances::total_issuance();
		let paid = available * 6 / 10;
		staking_payout(50, paid);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(free(50), paid);
		assert_eq!(pot(), ed + available - paid);
		assert_eq!(Emissions::validator_rewards_outstanding(), available - paid);
		Emissions::do_try_state().unwrap();

		// Era 9 commits nothing new; era 10 pushes era 7 out of the 3-era window: its unpaid
		// 40 % is released and committed to era 10.
		ActiveEra::set(Some(9));
		assert_eq!(PotEraPayout::<Test>::era_payout(0, 0, 0).0, 0);
		ActiveEra::set(Some(10));
		let released = available - paid;
		assert_eq!(PotEraPayout::<Test>::era_payout(0, 0, 0).0, released);
		assert!(events().contains(&Event::ValidatorRewardsExpired { era: 7, unpaid: released }));
		let eras: Vec<u32> = ValidatorEraCommitments::<Test>::get().iter().map(|c| c.era).collect();
		assert_eq!(eras, vec![8, 9, 10]);
		// All of it can be paid, and nothing beyond it is ever in the pot's reach.
		staking_payout(51, released);
		assert_eq!(free(51), released);
		assert_eq!(pot(), ed);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Emissions::validator_rewards_outstanding(), 0);
		Emissions::do_try_state().unwrap();
	});
}

/// Issue 13: payouts are attributed first in, first out, so an expiring era never releases
/// more than it left unpaid, even when a later era was paid first.
#[test]
fn fifo_attribution_never_releases_what_a_later_era_still_owes() {
	use sp_staking::EraPayout;
	new_test_ext().execute_with(|| {
		run_to_block(3);
		ActiveEra::set(Some(1));
		let c1 = PotEraPayout::<Test>::era_payout(0, 0, 0).0;
		run_to_block(5);
		ActiveEra::set(Some(2));
		let c2 = PotEraPayout::<Test>::era_payout(0, 0, 0).0;
		assert!(c1 > 0 && c2 > 0);
		// Era 2's validators claim everything first; era 1's never claim.
		staking_payout(60, c2);
		// Two more eras push era 1 out: what it releases leaves era 2's claims covered.
		ActiveEra::set(Some(3));
		PotEraPayout::<Test>::era_payout(0, 0, 0);
		ActiveEra::set(Some(4));
		PotEraPayout::<Test>::era_payout(0, 0, 0);
		assert!(Emissions::validator_pot_available() >= Emissions::validator_rewards_outstanding());
		// The whole pot reached the validators or is still committed: nothing was lost.
		let committed: u128 =
			ValidatorEraCommitments::<Test>::get().iter().map(|c| c.committed - c.paid).sum();
		assert_eq!(committed, Emissions::validator_pot_available());
		assert_eq!(committed, c1);
		Emissions::do_try_state().unwrap();
	});
}

/// Issue 13: the validators' and nominators' stake counts in N_staked (spec 8.3).
#[test]
fn validator_stake_counts_in_the_staked_supply() {
	new_test_ext().execute_with(|| {
		let params = Params::<Test>::get();
		let bpm = pallet_topics::Pallet::<Test>::params().blocks_per_month;
		let before = Emissions::supply_snapshot(1, &params, bpm).staked;
		ValidatorStake::set(5 * ALLO);
		assert_eq!(Emissions::supply_snapshot(1, &params, bpm).staked, before + 5 * ALLO);
		assert_eq!(before, pallet_stake::TotalStake::<Test>::get());
	});
}
