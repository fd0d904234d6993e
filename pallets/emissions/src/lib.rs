//! # Emissions pallet
//!
//! The economic loop of the network (spec 6.4-6.8, 7.2, 8):
//!
//! - **Emission** (`on_initialize`, spec 8.2-8.3): once a month (block h with
//!   h mod `BlocksPerMonth` = 1, or when governance forces it, or while no stake exists yet) the
//!   per-block emission is recalculated from the ecosystem treasury, the staked and
//!   circulating supply, the yield cap and the monthly EMA. Every block, what the ecosystem
//!   account holds (fees first) is topped up by minting, never past the ecosystem's share of
//!   the max supply nor past the max supply itself, and the block emission is split: the
//!   validators' share v to the validator pot, the rest to the reward treasury.
//! - **Rewards** (the reputation pallet's [`pallet_reputation::OnRoundSettled`], spec 6.1
//!   steps 5-9): when a round is settled, the topic's reward E_t (spec 7.2) is split by
//!   entropy into the inference, forecasting and reputation tasks and paid by score: workers
//!   receive ALLO, reputers' rewards compound into their stake, delegators' shares go to the
//!   per-share accumulator of `pallet-stake` (claimed with `claim_delegator_reward`). Each
//!   topic's step is transactional (fix m); dust stays in the treasury and is recorded.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod mint;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod mock;
mod payout;
pub mod rewards;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
mod topic_removal;
pub mod types;
pub mod validator_rewards;
pub mod weights;

pub use allora_math::Fixed;
pub use pallet::*;
pub use types::*;
pub use validator_rewards::{PayFromPot, PotEraPayout};
pub use weights::WeightInfo;

// The FRAME macros expand storage and genesis code with `expect`; the lint stays denied in
// every other module of this crate, where the logic lives.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Balanced, Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use pallet_inference::Role;
	use pallet_reputation::RegretValue;
	use pallet_topics::TopicId;
	use sp_runtime::traits::AccountIdConversion;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>> + pallet_reputation::Config
	{
		/// The ALLO currency (base units).
		type Currency: Mutate<Self::AccountId, Balance = u128> + Balanced<Self::AccountId>;
		/// Who may change the mint parameters and force a recalculation (Root until
		/// referenda).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Derives the reward treasury (`allorarewards`): topic rewards wait there.
		#[pallet::constant]
		type RewardsPalletId: Get<PalletId>;
		/// Derives the validator pot: the validators' share of every block emission.
		#[pallet::constant]
		type ValidatorPotPalletId: Get<PalletId>;
		/// The validators' and nominators' stake: counted in N_staked (spec 8.3) beside the
		/// reputers' stake.
		type ValidatorStake: Get<u128>;
		/// The staking era in progress (for the events of the validator rewards).
		type ActiveEra: Get<Option<u32>>;
		/// How many ended eras can still be paid (`pallet-staking`'s history depth + 1): the
		/// validator pot keeps each era's payout that long. At least 1.
		#[pallet::constant]
		type ClaimableEras: Get<u32>;
		/// Storage bound: scores kept per (topic, role) for the σ window of spec 6.4.
		#[pallet::constant]
		type MaxScoreSamples: Get<u32>;
		/// Storage bound: smoothed fractions kept per (topic, role); the least recently
		/// updated make room.
		#[pallet::constant]
		type MaxTrackedActors: Get<u32>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
	}

	/// A topic's latest paid round with the runtime's bounds.
	pub type TopicRewardsOf<T> = TopicRewards<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as pallet_topics::Config>::MaxActiveInferers,
		<T as pallet_topics::Config>::MaxActiveForecasters,
		<T as pallet_topics::Config>::MaxActiveReputers,
	>;

	/// The mint parameters (spec 8.1).
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, MintParams, ValueQuery>;

	/// The emission of the last recalculation.
	#[pallet::storage]
	pub type Emission<T: Config> = StorageValue<_, EmissionState<BlockNumberFor<T>>, ValueQuery>;

	/// Base units the ecosystem has minted so far (never above its share of the max supply).
	#[pallet::storage]
	pub type EcosystemMinted<T> = StorageValue<_, u128, ValueQuery>;

	/// e_blk: the topic-reward part of this block's emission (spec 7.2).
	#[pallet::storage]
	pub type RewardBlockEmission<T> = StorageValue<_, u128, ValueQuery>;

	/// r: the share of topic rewards that went to reputers last month (fix n; 0.3 at
	/// genesis).
	#[pallet::storage]
	pub type ReputerShare<T> = StorageValue<_, Fixed, ValueQuery>;

	/// Σ of this month's topic rewards and of their reputation parts W (fix n).
	#[pallet::storage]
	pub type MonthlyRewards<T> = StorageValue<_, (u128, u128), ValueQuery>;

	/// The newest instant scores of a (topic, role), newest round first, each round in account
	/// order: the σ window of spec 6.4.
	#[pallet::storage]
	pub type ScoreHistory<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		(TopicId, Role),
		BoundedVec<Fixed, T::MaxScoreSamples>,
		ValueQuery,
	>;

	/// The normalised smoothed fraction of each actor of a (topic, role) (spec 6.5), ascending
	/// by account, with the nonce that last set it.
	#[pallet::storage]
	pub type SmoothedFractions<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		(TopicId, Role),
		BoundedVec<(T::AccountId, RegretValue<BlockNumberFor<T>>), T::MaxTrackedActors>,
		ValueQuery,
	>;

	/// τ: the topic's forecaster score ratio (spec 6.6), 0 at first.
	#[pallet::storage]
	pub type ForecasterScoreRatio<T> = StorageMap<_, Blake2_128Concat, TopicId, Fixed, ValueQuery>;

	/// The validator pot's payout of each era still claimable, oldest first, with what
	/// `payout_stakers` has paid of it (attributed first in, first out).
	#[pallet::storage]
	pub type ValidatorEraCommitments<T: Config> =
		StorageValue<_, BoundedVec<EraCommitment, T::ClaimableEras>, ValueQuery>;

	/// The topic's latest paid round.
	#[pallet::storage]
	pub type LastRewards<T: Config> = StorageMap<_, Blake2_128Concat, TopicId, TopicRewardsOf<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The mint parameters.
		pub params: MintParams,
		/// r at genesis (the reference's 0.3).
		pub reputer_share: Fixed,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(param) = self.params.validate() {
				// Genesis is built by the chain-spec builder, where a panic is the only
				// way to report a broken configuration.
				#[allow(clippy::panic)]
				{
					panic!("invalid genesis mint parameter: {param:?}");
				}
			}
			Params::<T>::put(self.params.clone());
			ReputerShare::<T>::put(self.reputer_share);
			Emission::<T>::mutate(|e| e.pending = true);
			// The treasury and the pot receive amounts below the existential deposit: they
			// exist from genesis on.
			let ed = <T as Config>::Currency::minimum_balance();
			for a in [Pallet::<T>::rewards_account(), Pallet::<T>::validator_pot()] {
				if <T as Config>::Currency::balance(&a) < ed {
					let _ = <T as Config>::Currency::mint_into(&a, ed);
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The monthly recalculation set a new emission (base units).
		EmissionRecalculated {
			block_emission: u128,
			monthly_emission: u128,
			per_token: Fixed,
			target_per_token: Fixed,
			max_per_token: Fixed,
			reputer_share: Fixed,
		},
		/// A recalculation could not run (no stake yet, or the supply is inconsistent): the
		/// previous emission stays and it is tried again next block.
		EmissionRecalculationDeferred { reason: RecalculationFailure },
		/// Governance changed the mint parameters.
		ParamsUpdated,
		/// A settled round was paid: E_t = `topic_reward` = `paid` + `dust`.
		RewardsPaid {
			topic_id: TopicId,
			nonce: BlockNumberFor<T>,
			topic_reward: u128,
			paid: u128,
			dust: u128,
		},
		/// A settled round was not paid (nothing was changed by the reward step).
		RewardsSkipped { topic_id: TopicId, nonce: BlockNumberFor<T>, reason: SkipReason },
		/// An era ended: `amount` of the validator pot is its payout (`payout_stakers`);
		/// `outstanding` stays reserved for earlier eras still claimable.
		ValidatorEraPayout { era: u32, amount: u128, outstanding: u128 },
		/// An era's payout left the claimable window with `unpaid` not paid (rounding dust,
		/// unclaimed rewards): it stays in the pot and goes to the next era's payout.
		ValidatorRewardsExpired { era: u32, unpaid: u128 },
		/// A staking payout could not be withdrawn from the pot (never expected: the
		/// commitments reserve every claimable payout); the deposit stands.
		ValidatorPotShortfall { amount: u128 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A mint parameter is out of range (the parameter is named).
		InvalidMintParam { param: MintParam },
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Spec 8.2: the monthly (or pending) recalculation, then this block's emission.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::begin_block(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::ClaimableEras::get() >= 1, "ClaimableEras must be at least 1");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Governance: replaces the mint parameters (validated: ranges of spec 8.1, the six
		/// shares summing to 1) and, with `recalculate`, recalculates the emission in the next
		/// block.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::update_params())]
		pub fn update_params(
			origin: OriginFor<T>,
			params: MintParams,
			recalculate: bool,
		) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			params.validate().map_err(|param| Error::<T>::InvalidMintParam { param })?;
			// A cap below what already exists would make the supply invariants unsatisfiable.
			ensure!(
				params.max_supply >= <T as Config>::Currency::total_issuance(),
				Error::<T>::InvalidMintParam { param: MintParam::MaxSupply }
			);
			Params::<T>::put(params);
			if recalculate {
				Emission::<T>::mutate(|e| e.pending = true);
			}
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}

		/// Governance: recalculates the emission in the next block (spec 1.7
		/// `RecalculateTargetEmission`).
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::recalculate_emission())]
		pub fn recalculate_emission(origin: OriginFor<T>) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			Emission::<T>::mutate(|e| e.pending = true);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The reward treasury (`allorarewards`).
		pub fn rewards_account() -> T::AccountId {
			T::RewardsPalletId::get().into_account_truncating()
		}

		/// The validators' pot.
		pub fn validator_pot() -> T::AccountId {
			T::ValidatorPotPalletId::get().into_account_truncating()
		}

		/// The ecosystem account (fees and minted emission).
		pub fn ecosystem_account() -> T::AccountId {
			pallet_topics::Pallet::<T>::ecosystem_account()
		}

		/// The emission for clients.
		pub fn emission_info() -> EmissionInfo<BlockNumberFor<T>> {
			EmissionInfo {
				state: Emission::<T>::get(),
				reward_block_emission: RewardBlockEmission::<T>::get(),
				reputer_share: ReputerShare::<T>::get(),
				params: Params::<T>::get(),
			}
		}

		/// The supply as the emission sees it, for clients.
		pub fn supply_info() -> SupplyInfo {
			let params = Params::<T>::get();
			let snapshot = Self::supply_snapshot(
				frame_system::Pallet::<T>::block_number(),
				&params,
				pallet_topics::Pallet::<T>::params().blocks_per_month,
			);
			let treasury = mint::treasury(&params, &snapshot);
			let balance = |a: &T::AccountId| <T as Config>::Currency::balance(a);
			SupplyInfo {
				max_supply: params.max_supply,
				total_issuance: <T as Config>::Currency::total_issuance(),
				ecosystem_minted: snapshot.minted,
				ecosystem_remaining: params.ecosystem_cap().saturating_sub(snapshot.minted),
				ecosystem_treasury: treasury,
				staked: snapshot.staked,
				locked: snapshot.locked,
				circulating: params
					.max_supply
					.saturating_sub(snapshot.locked)
					.saturating_sub(treasury),
				reward_treasury: balance(&Self::rewards_account()),
				validator_pot: balance(&Self::validator_pot()),
			}
		}

		/// A topic's latest paid round for clients.
		pub fn last_rewards(
			topic_id: TopicId,
		) -> Option<TopicRewardsView<T::AccountId, BlockNumberFor<T>>> {
			let r = LastRewards::<T>::get(topic_id)?;
			Some(TopicRewardsView {
				nonce: r.nonce,
				paid_at: r.paid_at,
				topic_reward: r.topic_reward,
				entropies: r.entropies,
				forecaster_task_score: r.forecaster_task_score,
				tau: r.tau,
				chi: r.chi,
				gamma: r.gamma,
				task_rewards: r.task_rewards,
				inferers: r.inferers.into_inner(),
				forecasters: r.forecasters.into_inner(),
				reputers: r.reputers.into_inner(),
				paid: r.paid,
				dust: r.dust,
			})
		}

		/// Checks the cap (the ecosystem never minted past its share, total issuance never
		/// above the max supply) and that every stored list is sorted.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let params = Params::<T>::get();
			ensure!(
				EcosystemMinted::<T>::get() <= params.ecosystem_cap(),
				"the ecosystem minted past its share"
			);
			ensure!(
				<T as Config>::Currency::total_issuance() <= params.max_supply,
				"total issuance above the max supply"
			);
			for (_, list) in SmoothedFractions::<T>::iter() {
				ensure!(list.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "unsorted");
			}
			for (_, r) in LastRewards::<T>::iter() {
				ensure!(r.paid.saturating_add(r.dust) == r.topic_reward, "reward not conserved");
			}
			ensure!(
				Self::validator_pot_available() >= Self::validator_rewards_outstanding(),
				"the validator pot holds less than the claimable era payouts"
			);
			Ok(())
		}
	}
}
