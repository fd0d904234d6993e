//! Benchmarks (v2) of the inference pallet, each at its worst case: full active sets with an
//! eviction in both roles, forecasts of the largest size, and window closes at every size.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
use allora_math::Fixed;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::One, Saturating};

const ALLO: u128 = 1_000_000_000_000_000_000;

fn max_inferers<T: Config>() -> u32 {
	<T as pallet_topics::Config>::MaxActiveInferers::get()
}
fn max_forecasters<T: Config>() -> u32 {
	<T as pallet_topics::Config>::MaxActiveForecasters::get()
}
fn max_elements<T: Config>() -> u32 {
	<T as pallet_topics::Config>::MaxForecastElements::get()
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let _ = <T as pallet_topics::Config>::Currency::mint_into(&who, 1_000_000 * ALLO);
	who
}

/// A topic (E = 12, W = 8) whose active sets and forecasts may use every storage slot, with
/// weights from revenue alone so that it activates without stake.
fn topic<T: Config>() -> TopicId {
	pallet_topics::Params::<T>::mutate(|p| {
		p.topic_reward_stake_importance = Fixed::ZERO;
		p.max_top_inferers_to_reward = max_inferers::<T>();
		p.max_top_forecasters_to_reward = max_forecasters::<T>();
		p.max_elements_per_forecast = max_elements::<T>();
	});
	let creator = pallet_topics::benchmarking::funded::<T>("creator", 0);
	pallet_topics::benchmarking::new_topic::<T>(&creator)
}

/// `n` registered workers of the topic, ascending.
fn workers<T: Config>(topic_id: TopicId, n: u32) -> Vec<T::AccountId> {
	let mut all: Vec<T::AccountId> = (0..n).map(|i| funded::<T>("worker", i)).collect();
	all.sort();
	for w in &all {
		let registration = pallet_topics::Pallet::<T>::new_registration(w);
		assert!(registration.is_ok());
		if let Ok(registration) = registration {
			Workers::<T>::insert(topic_id, w, registration);
		}
	}
	WorkerCount::<T>::insert(topic_id, n);
	all
}

/// The whitelisted caller, funded and registered as a worker of the topic: the account the
/// transaction extensions already read and write, so its storage is not counted again.
fn registered_caller<T: Config>(topic_id: TopicId) -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let _ = <T as pallet_topics::Config>::Currency::mint_into(&who, 1_000_000 * ALLO);
	let registration = pallet_topics::Pallet::<T>::new_registration(&who);
	assert!(registration.is_ok());
	if let Ok(registration) = registration {
		Workers::<T>::insert(topic_id, &who, registration);
	}
	WorkerCount::<T>::mutate(topic_id, |n| *n = n.saturating_add(1));
	who
}

/// The active sets' worth of registered workers (ascending) and `MaxForecastElements` more
/// registered workers outside them, whom a worst-case forecast names (every registration read).
fn workers_and_outsiders<T: Config>(topic_id: TopicId) -> (Vec<T::AccountId>, Vec<T::AccountId>) {
	let registered =
		max_inferers::<T>().max(max_forecasters::<T>()).saturating_add(max_elements::<T>());
	let mut members = workers::<T>(topic_id, registered);
	let outside = members.split_off(members.len().saturating_sub(max_elements::<T>() as usize));
	(members, outside)
}

/// The whitelisted caller registered on the topic and having paid a fee (the topic active),
/// and worker nonce 100 open at block 101.
fn active_caller_at_open_nonce<T: Config>(topic_id: TopicId) -> (T::AccountId, BlockNumberFor<T>) {
	let caller = registered_caller::<T>(topic_id);
	assert!(pallet_topics::Pallet::<T>::pay_fee(&caller, topic_id, ALLO).is_ok());
	assert!(pallet_topics::Pallet::<T>::is_active(topic_id));
	let nonce: BlockNumberFor<T> = 100u32.into();
	frame_system::Pallet::<T>::set_block_number(nonce.saturating_add(One::one()));
	open::<T>(topic_id, nonce);
	(caller, nonce)
}

/// A forecast about the first `n` inferers.
fn elements<T: Config>(inferers: &[T::AccountId], n: u32) -> ElementsOf<T> {
	BoundedVec::truncate_from(
		inferers
			.iter()
			.take(n as usize)
			.enumerate()
			.map(|(i, j)| ForecastElement {
				inferer: j.clone(),
				value: Fixed::from_rational(i as i128 + 1, 7).unwrap_or(Fixed::ONE),
			})
			.collect(),
	)
}

/// Fills the nonce's active sets: `i` inferences (distinct values) and `f` forecasts with
/// `MaxForecastElements` elements each.
fn fill_round<T: Config>(
	topic_id: TopicId,
	nonce: BlockNumberFor<T>,
	inferers: &[T::AccountId],
	i: u32,
	f: u32,
) {
	let inferences: Vec<_> = inferers
		.iter()
		.take(i as usize)
		.enumerate()
		.map(|(n, j)| (j.clone(), Fixed::from_int(n as i64 + 1)))
		.collect();
	Inferences::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(inferences));
	let forecasts: Vec<_> = inferers
		.iter()
		.take(f as usize)
		.map(|k| (k.clone(), elements::<T>(inferers, max_elements::<T>().min(i))))
		.collect();
	Forecasts::<T>::insert(topic_id, nonce, BoundedVec::truncate_from(forecasts));
}

/// Opens worker nonce `nonce` as an epoch end would, without scheduling its close.
fn open<T: Config>(topic_id: TopicId, nonce: BlockNumberFor<T>) {
	OpenWorkerNonces::<T>::insert(topic_id, BoundedVec::truncate_from(vec![nonce]));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_worker() {
		let id = topic::<T>();
		let worker = funded::<T>("worker", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(worker.clone()), id);
		assert!(Workers::<T>::contains_key(id, &worker));
	}

	#[benchmark]
	fn unregister_worker() {
		let id = topic::<T>();
		let worker = workers::<T>(id, 1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(worker.clone()), id);
		assert!(!Workers::<T>::contains_key(id, &worker));
	}

	/// An inactive worker with score EMAs in both roles, pruned by another account.
	#[benchmark]
	fn prune_worker() {
		let id = topic::<T>();
		let worker = workers::<T>(id, 1).remove(0);
		for role in [Role::Inferer, Role::Forecaster] {
			let ema = ScoreEma { nonce: One::one(), score: Fixed::ONE };
			Pallet::<T>::set_score_ema(id, role, &worker, ema);
		}
		let epochs = <T as pallet_topics::Config>::RegistrationInactivityEpochs::get();
		pallet_topics::benchmarking::pass_epochs::<T>(id, epochs);
		let pruner = funded::<T>("pruner", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(pruner), id, worker.clone());
		assert!(!Workers::<T>::contains_key(id, &worker));
		assert!(ScoreEmas::<T>::get((id, Role::Inferer), &worker).is_none());
	}

	/// Both active sets full; the submitter's EMAs beat every member, so it evicts one in
	/// each role (two passive EMA updates); its forecast has the largest size, every element
	/// about a registered worker outside the inferer set (every registration read).
	#[benchmark]
	fn submit_worker_payload() {
		let id = topic::<T>();
		let inferers = max_inferers::<T>();
		let (members, outside) = workers_and_outsiders::<T>(id);
		let newcomer = registered_caller::<T>(id);
		let nonce: BlockNumberFor<T> = 100u32.into();
		frame_system::Pallet::<T>::set_block_number(nonce.saturating_add(One::one()));
		open::<T>(id, nonce);
		fill_round::<T>(id, nonce, &members, inferers, max_forecasters::<T>());
		for role in [Role::Inferer, Role::Forecaster] {
			Pallet::<T>::set_score_ema(
				id,
				role,
				&newcomer,
				ScoreEma { nonce: 1u32.into(), score: Fixed::ONE },
			);
		}
		let forecast = elements::<T>(&outside, max_elements::<T>());
		#[extrinsic_call]
		_(RawOrigin::Signed(newcomer.clone()), id, nonce, Some(Fixed::ONE), Some(forecast));
		assert!(Inferences::<T>::get(id, nonce).iter().any(|(a, _)| *a == newcomer));
		assert!(Forecasts::<T>::get(id, nonce).iter().any(|(a, _)| *a == newcomer));
	}

	/// Both active sets one short of full on an active topic: the submitter joins both
	/// without merit sortition; its forecast has `e` elements, each about a registered
	/// worker outside the nonce's inferer set (every registration read, the set scanned).
	/// The weight returned after dispatch when neither set was full.
	#[benchmark]
	fn submit_worker_payload_admitted(e: Linear<1, { max_elements::<T>() }>) {
		let id = topic::<T>();
		let inferers = max_inferers::<T>();
		let forecasters = max_forecasters::<T>();
		let (members, outside) = workers_and_outsiders::<T>(id);
		let (newcomer, nonce) = active_caller_at_open_nonce::<T>(id);
		let (i, f) = (inferers.saturating_sub(1), forecasters.saturating_sub(1));
		fill_round::<T>(id, nonce, &members, i, f);
		let forecast = elements::<T>(&outside, e);
		#[extrinsic_call]
		submit_worker_payload(
			RawOrigin::Signed(newcomer.clone()),
			id,
			nonce,
			Some(Fixed::ONE),
			Some(forecast),
		);
		assert_eq!(Inferences::<T>::decode_len(id, nonce), Some(inferers as usize));
		assert_eq!(Forecasts::<T>::decode_len(id, nonce), Some(forecasters as usize));
	}

	/// An inference alone into an inferer set one short of full on an active topic (the
	/// forecaster set full, untouched): the weight returned after dispatch for it.
	#[benchmark]
	fn submit_worker_payload_admitted_inference() {
		let id = topic::<T>();
		let inferers = max_inferers::<T>();
		let forecasters = max_forecasters::<T>();
		let members = &workers::<T>(id, inferers.max(forecasters))[..];
		let (newcomer, nonce) = active_caller_at_open_nonce::<T>(id);
		fill_round::<T>(id, nonce, members, inferers.saturating_sub(1), forecasters);
		#[extrinsic_call]
		submit_worker_payload(
			RawOrigin::Signed(newcomer.clone()),
			id,
			nonce,
			Some(Fixed::ONE),
			None,
		);
		assert_eq!(Inferences::<T>::decode_len(id, nonce), Some(inferers as usize));
		assert!(Inferences::<T>::get(id, nonce).iter().any(|(a, _)| *a == newcomer));
	}

	/// Closing a window with `i` inferences and `f` full forecasts, on the regret-weighted
	/// synthesis path where the reputer side provides regrets.
	#[benchmark]
	fn close_worker_window(
		i: Linear<1, { max_inferers::<T>() }>,
		f: Linear<0, { max_forecasters::<T>() }>,
	) {
		let id = topic::<T>();
		let all = workers::<T>(id, max_inferers::<T>());
		let nonce: BlockNumberFor<T> = 100u32.into();
		open::<T>(id, nonce);
		fill_round::<T>(id, nonce, &all, i, f);
		T::Regrets::set_worst_case(id, &all);
		#[block]
		{
			Pallet::<T>::close_worker_nonce(id, nonce, nonce.saturating_add(8u32.into()));
		}
		assert!(LatestNetworkInference::<T>::contains_key(id));
	}

	/// An epoch end that closes a window left open at the largest size, probes every
	/// deferral block for its window close and prunes two snapshots.
	#[benchmark]
	fn open_worker_nonce() -> Result<(), BenchmarkError> {
		let id = topic::<T>();
		let all = workers::<T>(id, max_inferers::<T>());
		T::Regrets::set_worst_case(id, &all);
		let e: BlockNumberFor<T> = 12u32.into();
		let now: BlockNumberFor<T> = 12_000u32.into();
		let previous = now.saturating_sub(e);
		open::<T>(id, previous);
		fill_round::<T>(id, previous, &all, max_inferers::<T>(), max_forecasters::<T>());
		for old in [1u32, 2] {
			let old: BlockNumberFor<T> = old.into();
			fill_round::<T>(id, old, &all, max_inferers::<T>(), max_forecasters::<T>());
			Rounds::<T>::insert(
				id,
				old,
				RoundSummary {
					closed_at: old,
					inferers: 0,
					forecasters: 0,
					mode: None,
					produced: ProducedLists::ALL,
				},
			);
			RetainedNonces::<T>::mutate(id, |r| r.try_push(old).is_ok());
		}
		let mut block = now.saturating_add(8u32.into());
		for _ in 0..=<T as pallet_topics::Config>::MaxScheduleDeferral::get() {
			let full = vec![(u64::MAX, now); T::MaxWindowsPerBlock::get() as usize];
			WindowCloses::<T>::insert(block, BoundedVec::truncate_from(full));
			block = block.saturating_add(One::one());
		}
		let topic = pallet_topics::Topics::<T>::get(id).ok_or(BenchmarkError::Weightless)?;
		#[block]
		{
			Pallet::<T>::open_worker_nonce(id, &topic, now);
		}
		assert_eq!(OpenWorkerNonces::<T>::get(id).to_vec(), vec![now]);
		assert!(Rounds::<T>::contains_key(id, previous));
		assert!(!Rounds::<T>::contains_key(id, BlockNumberFor::<T>::from(1u32)));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
