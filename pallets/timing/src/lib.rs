//! # Timing pallet
//!
//! The chain's clock, fixed at genesis: the BABE epoch (= session) length in blocks and the
//! sessions per staking era. Production chain specs keep the runtime's defaults (1 hour and
//! 6 hours); a test network (the multi-validator tests of `zombienet/`) sets shorter ones in
//! its chain spec and runs the same node binary. No call changes them: BABE cannot change its
//! epoch length after genesis, and staking's eras are counted in sessions.
//!
//! It also holds the governance time divisor: every governance period (referendum tracks, vote
//! locks, treasury spend periods, committee motions) is its production length divided by it,
//! so a development chain runs a referendum in minutes with the production binary.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests;

pub use pallet::*;

// The FRAME macros expand storage and genesis code with `expect`.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The epoch length of a chain whose genesis does not set one (blocks).
		#[pallet::constant]
		type DefaultEpochDuration: Get<u64>;
		/// The sessions per era of a chain whose genesis does not set them.
		#[pallet::constant]
		type DefaultSessionsPerEra: Get<u32>;
		/// The shortest epoch a genesis may set (blocks): BABE needs a few slots per epoch.
		#[pallet::constant]
		type MinEpochDuration: Get<u64>;
		/// The most sessions per era a genesis may set (storage bounds that count sessions,
		/// e.g. GRANDPA's set-id history, are sized for it).
		#[pallet::constant]
		type MaxSessionsPerEra: Get<u32>;
		/// The largest governance time divisor a genesis may set (one day becomes one block at
		/// 14 400 with 6-second blocks).
		#[pallet::constant]
		type MaxGovernanceTimeDivisor: Get<u32>;
		/// Genesis settings of upstream pallets that have no genesis config of their own (the
		/// runtime sets fast-unstake's eras checked per block here); run after the clock is stored.
		type OnGenesis: frame_support::traits::OnGenesis;
	}

	/// The BABE epoch and session length in blocks (slots).
	#[pallet::storage]
	pub type EpochDuration<T: Config> =
		StorageValue<_, u64, ValueQuery, <T as Config>::DefaultEpochDuration>;

	/// Sessions per staking era.
	#[pallet::storage]
	pub type SessionsPerEra<T: Config> =
		StorageValue<_, u32, ValueQuery, <T as Config>::DefaultSessionsPerEra>;

	/// Every governance period is its production length divided by this (1 = real time).
	#[pallet::storage]
	pub type GovernanceTimeDivisor<T: Config> = StorageValue<_, u32, ValueQuery, ConstU32<1>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The epoch length in blocks; 0 keeps the runtime's default.
		pub epoch_duration: u64,
		/// Sessions per era; 0 keeps the runtime's default.
		pub sessions_per_era: u32,
		/// Governance periods are divided by this; 0 or 1 keeps real time (production).
		pub governance_time_divisor: u32,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			self.check_and_store();
			<T::OnGenesis as frame_support::traits::OnGenesis>::on_genesis();
		}
	}

	impl<T: Config> GenesisConfig<T> {
		/// Stores the clock; a broken chain spec can only be reported by a panic while genesis
		/// is built.
		#[allow(clippy::panic)]
		fn check_and_store(&self) {
			if self.epoch_duration != 0 {
				if self.epoch_duration < T::MinEpochDuration::get() {
					panic!(
						"genesis epoch duration {} is below the minimum {}",
						self.epoch_duration,
						T::MinEpochDuration::get()
					);
				}
				EpochDuration::<T>::put(self.epoch_duration);
			}
			if self.sessions_per_era != 0 {
				if self.sessions_per_era > T::MaxSessionsPerEra::get() {
					panic!(
						"genesis sessions per era {} is above the maximum {}",
						self.sessions_per_era,
						T::MaxSessionsPerEra::get()
					);
				}
				SessionsPerEra::<T>::put(self.sessions_per_era);
			}
			if self.governance_time_divisor > 1 {
				if self.governance_time_divisor > T::MaxGovernanceTimeDivisor::get() {
					panic!(
						"genesis governance time divisor {} is above the maximum {}",
						self.governance_time_divisor,
						T::MaxGovernanceTimeDivisor::get()
					);
				}
				GovernanceTimeDivisor::<T>::put(self.governance_time_divisor);
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// A governance period of `blocks` production blocks on this chain: divided by the
		/// genesis divisor, never shorter than one block.
		pub fn governance_period(blocks: u32) -> u32 {
			let divisor = GovernanceTimeDivisor::<T>::get().max(1);
			blocks.checked_div(divisor).unwrap_or(blocks).max(1)
		}
	}

	/// A production governance period `P` (blocks) scaled for this chain, as a `Get`.
	pub struct GovernancePeriod<T, P>(core::marker::PhantomData<(T, P)>);
	impl<T: Config, P: Get<u32>, B: From<u32>> Get<B> for GovernancePeriod<T, P> {
		fn get() -> B {
			B::from(Pallet::<T>::governance_period(P::get()))
		}
	}

	/// The epoch length as BABE's `EpochDuration`.
	pub struct EpochDurationOf<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<u64> for EpochDurationOf<T> {
		fn get() -> u64 {
			EpochDuration::<T>::get()
		}
	}

	/// The sessions per era as staking's `SessionsPerEra`.
	pub struct SessionsPerEraOf<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<u32> for SessionsPerEraOf<T> {
		fn get() -> u32 {
			SessionsPerEra::<T>::get()
		}
	}
}
