//! Edge cases through the whole replay (fresh mode), with closed-form expectations: one
//! inferer, no forecasters, one reputer.

use allora_math::Fixed;
use allora_replay::{replay, Mode, Settings, Table};

fn fx(s: &str) -> Fixed {
	s.parse().expect("decimal")
}

/// One inferer, no forecaster, one reputer over three rounds.
///
/// - Row 1: the single inference is the network inference (and the naive one).
/// - Row 2 (losses of row 1): the reputer's losses are the network losses; its score is
///   1/ε_rep = 100 with coefficient 1 and adjusted stake 1; the lone inferer scores 0 and takes
///   every inference reward; F = H = ln 2 / 4 (single actors), G = 0; T_i = 0 with no positive
///   inferer score gives χ = 0.5, τ = 0, γ = 2, so U = W = E/2 and V = 0.
#[test]
fn one_inferer_no_forecasters_one_reputer() {
	let csv = "epoch,inference_0,reputer_stake_0,reputer_0_loss_network_inference,reputer_0_loss_naive_network_inference,reputer_0_loss_inference_0,reputer_0_loss_network_inference_oneout_0,topic_rewards\n\
	           1,0.25,,,,,,\n\
	           2,0.5,1000,-3,-3,-2.5,,10\n\
	           3,0.75,1000,-4,-4,-4,,20\n";
	let input = Table::parse(csv).expect("parses");
	let (out, notes) = replay(&input, Settings::default(), Mode::Fresh).expect("replay");
	assert!(notes.is_empty());
	let get = |row: usize, col: &str| out.get(row, col);

	assert_eq!(get(0, "network_inference"), Some(fx("0.25")));
	assert_eq!(get(0, "network_naive_inference"), Some(fx("0.25")));
	assert_eq!(get(0, "network_loss"), None);

	assert_eq!(get(1, "network_inference"), Some(fx("0.5")));
	assert_eq!(get(1, "network_loss"), Some(fx("-3")));
	assert_eq!(get(1, "inference_loss_0"), Some(fx("-2.5")));
	// R_0 = 0.1 · (−3 − (−2.5)) + 0.9 · 0
	assert_eq!(get(1, "inference_regret_worker_0"), Some(fx("-0.05")));
	assert_eq!(get(1, "naive_inference_regret_worker_0"), Some(fx("-0.05")));
	assert_eq!(get(1, "reputer_score_0"), Some(fx("100")));
	assert_eq!(get(1, "reputer_listening_coefficient_0"), Some(Fixed::ONE));
	assert_eq!(get(1, "reputer_adjusted_stake_0"), Some(Fixed::ONE));
	assert_eq!(get(1, "inferer_score_0"), Some(Fixed::ZERO));
	assert_eq!(get(1, "inferer_reward_fraction_0"), Some(Fixed::ONE));
	assert_eq!(get(1, "reputer_reward_fraction_0"), Some(Fixed::ONE));
	let single = allora_synthesis::fractions::SINGLE_ACTOR_ENTROPY;
	assert_eq!(get(1, "inferers_entropy"), Some(single));
	assert_eq!(get(1, "forecasters_entropy"), Some(Fixed::ZERO));
	assert_eq!(get(1, "reputers_entropy"), Some(single));
	assert_eq!(get(1, "forecaster_task_score"), Some(Fixed::ZERO));
	assert_eq!(get(1, "forecaster_score_ratio"), Some(Fixed::ZERO));
	assert_eq!(get(1, "forecasters_utility"), Some(fx("0.5")));
	let half = |e: &str| fx(e).checked_div_int(2).expect("half");
	let close = |a: Option<Fixed>, b: Fixed| {
		a.is_some_and(|a| a.checked_sub(b).is_ok_and(|d| d.abs() <= Fixed::from_raw(10)))
	};
	assert!(close(get(1, "inferer_reward_0"), half("10")), "{:?}", get(1, "inferer_reward_0"));
	assert!(close(get(1, "reputer_reward_0"), half("10")), "{:?}", get(1, "reputer_reward_0"));
	assert!(close(get(1, "forecasters_reward_fraction"), Fixed::ZERO));

	// Row 3: the regret EMA continues from row 2's value.
	// R_0 = 0.1 · (−4 − (−4)) + 0.9 · (−0.05)
	assert_eq!(get(2, "inference_regret_worker_0"), Some(fx("-0.045")));
	assert!(close(get(2, "reputer_reward_0"), half("20")));
}

/// A reputer that reports losses without the combined value is rejected with a one-line error
/// naming the row, the reputer and the column.
#[test]
fn a_bundle_without_the_combined_loss_is_rejected() {
	let csv = "epoch,inference_0,reputer_stake_0,reputer_0_loss_network_inference,reputer_0_loss_naive_network_inference,reputer_0_loss_inference_0,reputer_0_loss_network_inference_oneout_0,topic_rewards\n\
	           1,0.25,,,,,,\n\
	           2,0.5,1000,,-3,-2.5,,10\n";
	let input = Table::parse(csv).expect("parses");
	let err = replay(&input, Settings::default(), Mode::Fresh).err().expect("rejected");
	assert_eq!(err, "row 2: reputer 0 reported losses but not `reputer_0_loss_network_inference`");
}

/// A fresh topic with two inferers (issue 16): rows 1 and 2 are synthesised in the median mode
/// (no regrets yet), which has no one-out values, so the reward steps of rows 2 and 3 (judging
/// them) are skipped with the chain's reason and keep only the settlement; the replay goes on
/// and row 4 (judging row 3, all-new mode) is paid from an untouched reward state.
#[test]
fn a_fresh_topic_skips_the_reward_steps_of_median_rounds_and_goes_on() {
	let csv = "epoch,inference_0,inference_1,reputer_stake_0,reputer_0_loss_network_inference,reputer_0_loss_naive_network_inference,reputer_0_loss_inference_0,reputer_0_loss_inference_1,reputer_0_loss_network_inference_oneout_0,reputer_0_loss_network_inference_oneout_1,topic_rewards\n\
	           1,0.25,0.35,,,,,,,,\n\
	           2,0.5,0.45,1000,-3,-3,-2.5,-3.5,,,10\n\
	           3,0.75,0.7,1000,-4,-4,-4.2,-3.9,,,20\n\
	           4,0.8,0.9,1000,-3.5,-3.4,-3.6,-3.3,-3.45,-3.55,30\n";
	let input = Table::parse(csv).expect("parses");
	let (out, notes) = replay(&input, Settings::default(), Mode::Fresh).expect("replay");
	assert_eq!(
		notes,
		vec![
			"row 2: reward step skipped: NoScoredInferers (no inferer has a one-out value)",
			"row 3: reward step skipped: NoScoredInferers (no inferer has a one-out value)",
		]
	);
	let get = |row: usize, col: &str| out.get(row, col);
	// Skipped rows keep the settlement (network losses, regrets) and nothing of the reward step.
	for row in [1, 2] {
		assert!(get(row, "network_loss").is_some());
		assert!(get(row, "inference_regret_worker_0").is_some());
		for col in ["reputer_score_0", "reputer_listening_coefficient_0", "inferers_entropy"] {
			assert_eq!(get(row, col), None, "row {} {col}", row + 1);
		}
	}
	// R_0 after row 3 = 0.1 · (−4 − (−4.2)) + 0.9 · (0.1 · (−3 − (−2.5))) = 0.02 − 0.045.
	assert_eq!(get(2, "inference_regret_worker_0"), Some(fx("-0.025")));
	// Row 4 is paid, from the default listening coefficient (nothing kept from rows 2-3).
	assert!(get(3, "inferer_score_0").is_some());
	assert!(get(3, "reputer_reward_0").is_some_and(|x| x.is_positive()));
	assert_eq!(get(3, "reputer_adjusted_stake_0"), Some(Fixed::ONE));
}
