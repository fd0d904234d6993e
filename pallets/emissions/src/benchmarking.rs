//! Benchmarks (v2) of the emissions pallet at their worst cases: a block whose emission must be
//! minted (fees do not cover it) and split, a monthly recalculation, and the reward step of a
//! round with `i` inferers, `f` forecasters and `r` reputers, each reputer with delegators (both
//! payout parts), full σ histories and full smoothed-fraction lists that must evict.

use super::*;
use crate::pallet::*;
use alloc::vec::Vec;
use allora_math::Fixed;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_inference::Role;
use pallet_reputation::{OnRoundSettled, RegretValue, SettledRound};
use pallet_topics::TopicId;

const ALLO: u128 = 1_000_000_000_000_000_000;

/// Sorted, funded accounts.
fn accounts<T: Config>(name: &'static str, n: u32) -> Vec<T::AccountId> {
	let mut v: Vec<T::AccountId> =
		(0..n).map(|i| pallet_topics::benchmarking::funded::<T>(name, i)).collect();
	v.sort();
	v
}

/// A score that differs per actor (so the fractions are not equal).
fn score(i: u32) -> Fixed {
	Fixed::from_rational(i128::from(i % 17).saturating_sub(8), 100).unwrap_or(Fixed::ONE)
}

/// Every (topic, role) σ history and smoothed-fraction list full of other actors.
fn full_history<T: Config>(topic_id: TopicId) {
	let samples: Vec<Fixed> = (0..T::MaxScoreSamples::get()).map(score).collect();
	let others = accounts::<T>("old", T::MaxTrackedActors::get());
	for role in [Role::Inferer, Role::Forecaster, Role::Reputer] {
		ScoreHistory::<T>::insert((topic_id, role), BoundedVec::truncate_from(samples.clone()));
		let list: Vec<_> = others
			.iter()
			.map(|a| {
				let v = RegretValue {
					value: Fixed::from_rational(1, 100).unwrap_or(Fixed::ONE),
					nonce: 1u32.into(),
				};
				(a.clone(), v)
			})
			.collect();
		SmoothedFractions::<T>::insert((topic_id, role), BoundedVec::truncate_from(list));
	}
}

/// A topic holding all the weight, a treasury with rewards, and a settled round with `i`
/// inferers, `f` forecasters and `r` staked reputers, each with a delegator.
fn settled_round<T: Config>(i: u32, f: u32, r: u32) -> (TopicId, SettledRound<T::AccountId>) {
	let creator = pallet_topics::benchmarking::funded::<T>("creator", 0);
	let topic_id = pallet_topics::benchmarking::new_topic::<T>(&creator);
	pallet_topics::PreviousTopicWeight::<T>::insert(topic_id, Fixed::ONE);
	pallet_topics::TotalSumPreviousTopicWeights::<T>::put(Fixed::ONE);
	assert!(
		<T as Config>::Currency::mint_into(&Pallet::<T>::rewards_account(), 1_000 * ALLO).is_ok()
	);
	RewardBlockEmission::<T>::put(ALLO);
	full_history::<T>(topic_id);
	let inferers = accounts::<T>("inferer", i);
	let forecasters = accounts::<T>("forecaster", f);
	let mut reputers = Vec::new();
	for (m, who) in accounts::<T>("reputer", r).into_iter().enumerate() {
		let m = u32::try_from(m).unwrap_or(0);
		let origin = || RawOrigin::Signed(who.clone());
		assert!(pallet_stake::Pallet::<T>::register_reputer(origin().into(), topic_id).is_ok());
		assert!(
			pallet_stake::Pallet::<T>::add_stake(origin().into(), topic_id, 1_000 * ALLO).is_ok()
		);
		let delegator = pallet_topics::benchmarking::funded::<T>("delegator", m);
		let placed = pallet_stake::Pallet::<T>::delegate_stake(
			RawOrigin::Signed(delegator).into(),
			topic_id,
			who.clone(),
			100 * ALLO,
		);
		assert!(placed.is_ok());
		reputers.push((who, 1_100 * ALLO, Fixed::from_int(i64::from(m % 5).saturating_add(1))));
	}
	let round = SettledRound {
		network_loss: Fixed::from_int(-3),
		naive_loss: Fixed::from_rational(-29, 10).unwrap_or(Fixed::ONE),
		inferer_scores: inferers.into_iter().zip(0..).map(|(a, n)| (a, score(n))).collect(),
		forecaster_scores: forecasters.into_iter().zip(5..).map(|(a, n)| (a, score(n))).collect(),
		reputers,
		reward_share: Fixed::ONE,
	};
	(topic_id, round)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn update_params() -> Result<(), BenchmarkError> {
		let origin = <T as Config>::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let params = MintParams::default();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone(), true);
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	#[benchmark]
	fn recalculate_emission() -> Result<(), BenchmarkError> {
		let origin = <T as Config>::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		Emission::<T>::mutate(|e| e.pending = false);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);
		assert!(Emission::<T>::get().pending);
		Ok(())
	}

	/// The ecosystem holds nothing: the whole block emission is minted, then split.
	#[benchmark]
	fn emit_block() {
		Emission::<T>::mutate(|e| e.block_emission = 1_000 * ALLO);
		let v = pallet_topics::Pallet::<T>::params().validators_vs_allora_percent_reward;
		let minted = EcosystemMinted::<T>::get();
		#[block]
		{
			Pallet::<T>::emit(v);
		}
		assert_eq!(EcosystemMinted::<T>::get(), minted.saturating_add(1_000 * ALLO));
		assert!(RewardBlockEmission::<T>::get() > 0);
	}

	/// A month's start with last month's sums to turn into r.
	#[benchmark]
	fn recalculate() {
		pallet_stake::TotalStake::<T>::put(1_000_000 * ALLO);
		MonthlyRewards::<T>::put((1_000 * ALLO, 300 * ALLO));
		let net = pallet_topics::Pallet::<T>::params();
		let now: BlockNumberFor<T> = net.blocks_per_month.saturating_add(1).into();
		#[block]
		{
			Pallet::<T>::recalculate(now, true, &net);
		}
		assert!(!Emission::<T>::get().pending);
		assert!(Emission::<T>::get().block_emission > 0);
	}

	/// The reward step of a round with `i` inferers, `f` forecasters and `r` reputers.
	#[benchmark]
	fn pay_round(
		i: Linear<1, { <T as pallet_topics::Config>::MaxActiveInferers::get() }>,
		f: Linear<0, { <T as pallet_topics::Config>::MaxActiveForecasters::get() }>,
		r: Linear<1, { <T as pallet_topics::Config>::MaxActiveReputers::get() }>,
	) {
		let (topic_id, round) = settled_round::<T>(i, f, r);
		let nonce: BlockNumberFor<T> = 1000u32.into();
		#[block]
		{
			let outcome = frame_support::storage::with_storage_layer(|| {
				<Pallet<T> as OnRoundSettled<T::AccountId, BlockNumberFor<T>>>::reward_step(
					topic_id, nonce, &round,
				)
			});
			<Pallet<T> as OnRoundSettled<T::AccountId, BlockNumberFor<T>>>::report(
				topic_id, nonce, outcome,
			);
		}
		assert!(LastRewards::<T>::get(topic_id).is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::genesis_ext(), crate::mock::Test);
}
