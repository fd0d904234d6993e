//! Benchmarks (v2) of the reputation pallet at their worst cases: a bundle of the largest size
//! that evicts a member of a full reputer set, the settlement of a nonce with `i` inferers, `f`
//! forecasters and `r` reputers over full regret tables of experienced workers, and an epoch end
//! that queues every unfulfilled nonce.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
use allora_math::Fixed;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_inference::{ForecastElement, Role, ScoreEma, TopicRegrets};
use pallet_topics::{EpochHooks, TopicId};
use sp_runtime::Saturating;

const ALLO: u128 = 1_000_000_000_000_000_000;

fn max_inferers<T: Config>() -> u32 {
	<T as pallet_topics::Config>::MaxActiveInferers::get()
}

fn max_forecasters<T: Config>() -> u32 {
	<T as pallet_topics::Config>::MaxActiveForecasters::get()
}

fn max_reputers<T: Config>() -> u32 {
	<T as pallet_topics::Config>::MaxActiveReputers::get()
}

/// The parameters at their most expensive: a reputer set as large as storage allows and the
/// most gradient-ascent iterations governance may set (issue 12, finding 7).
fn worst_case_params<T: Config>() {
	pallet_topics::Params::<T>::mutate(|p| {
		p.max_top_reputers_to_reward = max_reputers::<T>();
		p.gradient_descent_max_iters = pallet_topics::MAX_GRADIENT_DESCENT_ITERS;
	});
}

/// A pseudo-random loss in (−3, −1) for entry `e` of reputer `m`, so that reputers disagree
/// and the listening-coefficient ascent runs all its iterations.
fn loss(m: u32, e: u32) -> Fixed {
	let x = (m.saturating_mul(7919).saturating_add(e.saturating_mul(104_729))) % 1000;
	Fixed::from_rational(-3000_i128.saturating_add(i128::from(x).saturating_mul(2)), 1000)
		.unwrap_or(Fixed::ONE)
}

/// Sorted accounts.
fn accounts<T: Config>(name: &'static str, n: u32) -> Vec<T::AccountId> {
	let mut v: Vec<T::AccountId> = (0..n).map(|i| account(name, i, 0)).collect();
	v.sort();
	v
}

/// A topic and a closed worker nonce with `i` inferers and `f` forecasters (one element each);
/// its reputer nonce waits behind a full list of other nonces.
fn round<T: Config>(
	i: u32,
	f: u32,
) -> (TopicId, BlockNumberFor<T>, Vec<T::AccountId>, Vec<T::AccountId>) {
	let creator = pallet_topics::benchmarking::funded::<T>("creator", 0);
	let topic_id = pallet_topics::benchmarking::new_topic::<T>(&creator);
	let inferers = accounts::<T>("inferer", i);
	let forecasters = accounts::<T>("forecaster", f);
	let nonce: BlockNumberFor<T> = 1000u32.into();
	let values: Vec<_> = inferers
		.iter()
		.enumerate()
		.map(|(n, a)| (a.clone(), Fixed::from_int(i64::try_from(n).unwrap_or(0))))
		.collect();
	pallet_inference::Inferences::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(values));
	let forecasts: Vec<_> = forecasters
		.iter()
		.zip(inferers.iter().cycle())
		.map(|(k, j)| {
			let element = ForecastElement { inferer: j.clone(), value: Fixed::ONE };
			(k.clone(), BoundedVec::truncate_from(vec![element]))
		})
		.collect();
	pallet_inference::Forecasts::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(forecasts));
	// Closed in the regret mode: every list is produced, so full bundles are admissible.
	let summary = pallet_inference::RoundSummary {
		closed_at: nonce,
		inferers: i,
		forecasters: f,
		mode: Some(pallet_inference::InferenceMode::Regret),
		produced: pallet_inference::ProducedLists::ALL,
	};
	pallet_inference::Rounds::<T>::insert(topic_id, nonce, summary);
	let max = <T as pallet_topics::Config>::MaxUnfulfilledNonces::get();
	let mut nonces: Vec<BlockNumberFor<T>> =
		(1..max).map(|n| (2000u32.saturating_add(n)).into()).collect();
	nonces.push(nonce);
	pallet_inference::ReputerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(nonces));
	(topic_id, nonce, inferers, forecasters)
}

/// A bundle over the snapshot with every list full; losses vary with `m`.
fn full_bundle<T: Config>(
	m: u32,
	inferers: &[T::AccountId],
	forecasters: &[T::AccountId],
) -> LossBundleOf<T> {
	let mut e = 0u32;
	let mut next = || {
		e = e.saturating_add(1);
		loss(m, e)
	};
	let mut pairs = Vec::new();
	for k in forecasters {
		for j in inferers {
			pairs.push((k.clone(), j.clone(), next()));
		}
	}
	LossBundle {
		combined_value: Some(next()),
		naive_value: Some(next()),
		inferer_values: singles(inferers, &mut next),
		forecaster_values: singles(forecasters, &mut next),
		one_out_inferer_values: singles(inferers, &mut next),
		one_out_forecaster_values: singles(forecasters, &mut next),
		one_in_forecaster_values: singles(forecasters, &mut next),
		one_out_inferer_forecaster_values: BoundedVec::truncate_from(pairs),
	}
}

/// One loss per account.
fn singles<A: Clone, S: Get<u32>>(
	list: &[A],
	next: &mut dyn FnMut() -> Fixed,
) -> BoundedVec<(A, Fixed), S> {
	BoundedVec::truncate_from(list.iter().map(|a| (a.clone(), next())).collect::<Vec<_>>())
}

/// A registered reputer with 1 000 ALLO of stake.
fn reputer<T: Config>(topic_id: TopicId, index: u32) -> T::AccountId {
	let who = pallet_topics::benchmarking::funded::<T>("reputer", index);
	let origin = || RawOrigin::Signed(who.clone());
	assert!(pallet_stake::Pallet::<T>::register_reputer(origin().into(), topic_id).is_ok());
	assert!(pallet_stake::Pallet::<T>::add_stake(origin().into(), topic_id, 1_000 * ALLO).is_ok());
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A bundle with every list full evicts the lowest member of a full reputer set.
	#[benchmark]
	fn submit_loss_bundle() {
		worst_case_params::<T>();
		let (topic_id, nonce, inferers, forecasters) =
			round::<T>(max_inferers::<T>(), max_forecasters::<T>());
		let g = pallet_topics::Topics::<T>::get(topic_id).map(|t| t.config.ground_truth_lag);
		frame_system::Pallet::<T>::set_block_number(nonce.saturating_add(g.unwrap_or_default()));
		let mut members = Vec::new();
		for m in 0..max_reputers::<T>() {
			let who = reputer::<T>(topic_id, m);
			LossBundles::<T>::insert(
				(topic_id, nonce),
				&who,
				full_bundle::<T>(m, &inferers, &forecasters),
			);
			members.push(who);
		}
		members.sort();
		ActiveReputers::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(members));
		let newcomer = reputer::<T>(topic_id, 1000);
		let ema = ScoreEma { nonce: 1u32.into(), score: Fixed::ONE };
		pallet_inference::Pallet::<T>::set_score_ema(topic_id, Role::Reputer, &newcomer, ema);
		let bundle = alloc::boxed::Box::new(full_bundle::<T>(1000, &inferers, &forecasters));
		#[extrinsic_call]
		_(RawOrigin::Signed(newcomer.clone()), topic_id, nonce, bundle);
		assert!(ActiveReputers::<T>::get(topic_id, nonce).contains(&newcomer));
	}

	/// Settling a nonce with `i` inferers, `f` forecasters and `r` reputers whose full bundles
	/// disagree, over full regret tables of experienced workers.
	#[benchmark]
	fn close_reputer_nonce(
		i: Linear<1, { max_inferers::<T>() }>,
		f: Linear<0, { max_forecasters::<T>() }>,
		r: Linear<1, { max_reputers::<T>() }>,
	) {
		worst_case_params::<T>();
		let (topic_id, nonce, inferers, forecasters) = round::<T>(i, f);
		let mut members = Vec::new();
		for m in 0..r {
			let who = reputer::<T>(topic_id, m);
			LossBundles::<T>::insert(
				(topic_id, nonce),
				&who,
				full_bundle::<T>(m, &inferers, &forecasters),
			);
			members.push(who);
		}
		members.sort();
		ActiveReputers::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(members));
		let mut workers = accounts::<T>("inferer", max_inferers::<T>());
		workers.extend(accounts::<T>("forecaster", max_forecasters::<T>()));
		<Pallet<T> as TopicRegrets<T::AccountId>>::set_worst_case(topic_id, &workers);
		for w in &workers {
			for role in [Role::Inferer, Role::Forecaster] {
				InclusionCounts::<T>::insert((topic_id, role), w, 100);
			}
		}
		let now = nonce.saturating_add(100u32.into());
		// The reward step succeeds: nothing of the settlement's work is rolled back.
		T::OnRoundSettled::fund_reward_step(topic_id);
		#[block]
		{
			Pallet::<T>::close_reputer_nonce(topic_id, nonce, now, Fixed::ONE);
		}
		let round = LatestRound::<T>::get(topic_id);
		assert_eq!(round.as_ref().map(|o| o.nonce), Some(nonce));
		assert_eq!(round.map(|o| o.reputers.len()), Some(r as usize), "the reward step ran");
	}

	/// An epoch end that finds every unfulfilled reputer nonce due and queues as many as fit.
	#[benchmark]
	fn queue_due_closes() {
		let (topic_id, _, _, _) = round::<T>(1, 0);
		let topic = pallet_topics::Topics::<T>::get(topic_id);
		let now: BlockNumberFor<T> = 100_000u32.into();
		#[block]
		{
			if let Some(topic) = &topic {
				<Pallet<T> as EpochHooks<T::AccountId, BlockNumberFor<T>>>::on_epoch_end(
					topic_id, topic, now,
				);
			}
		}
		assert!(!CloseQueue::<T>::get().is_empty());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
