//! # Governance origins
//!
//! The origins that referendum tracks dispatch with, besides `Root`: each is what a passed
//! referendum on its track may do, and the runtime gives each pallet the narrowest one
//! (`Parameters` for network, topic and mint parameters, `StakingAdmin` for staking's admin
//! calls such as cancelling deferred slashes, `Treasurer`/`SmallSpender` for treasury spends up to their limits,
//! `ReferendumCanceller`/`ReferendumKiller` for stopping referenda, `WhitelistedCaller` for
//! calls the technical committee whitelisted). The pallet has no storage, calls or hooks.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests;

pub use pallet::*;

// The FRAME macros expand pallet code with `expect`.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use frame_support::{pallet_prelude::*, traits::EnsureOrigin};

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The custom origins of the governance tracks.
	#[derive(
		PartialEq,
		Eq,
		Clone,
		Copy,
		MaxEncodedLen,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// Network parameters (spec 9.1), topic fields and mint parameters.
		Parameters,
		/// Staking administration (`pallet-staking`'s `AdminOrigin`): cancelling deferred slashes,
		/// the minimum commission.
		StakingAdmin,
		/// Treasury spends up to the treasurer limit.
		Treasurer,
		/// Treasury spends up to the small-spender limit.
		SmallSpender,
		/// Cancels a referendum (deposits returned).
		ReferendumCanceller,
		/// Kills a referendum (deposits slashed to the treasury).
		ReferendumKiller,
		/// Dispatches a call the technical committee whitelisted.
		WhitelistedCaller,
	}

	/// Declares a unit `EnsureOrigin` for each listed origin variant.
	macro_rules! decl_unit_ensures {
		($($name:ident),* $(,)?) => { $(
			#[doc = concat!("Ensures the `", stringify!($name), "` origin.")]
			pub struct $name;
			impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
			where
				O: Into<Result<Origin, O>>,
			{
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|o| match o {
						Origin::$name => Ok(()),
						other => Err(O::from(other)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		)* };
	}
	decl_unit_ensures!(
		Parameters,
		StakingAdmin,
		Treasurer,
		SmallSpender,
		ReferendumCanceller,
		ReferendumKiller,
		WhitelistedCaller,
	);

	/// Ensures a treasury spender origin and yields its spend limit: `SmallSpender` gets
	/// `Small`, `Treasurer` gets `Large`.
	pub struct Spender<Balance, Small, Large>(core::marker::PhantomData<(Balance, Small, Large)>);
	impl<O, Balance, Small, Large> EnsureOrigin<O> for Spender<Balance, Small, Large>
	where
		O: OriginTrait + From<Origin> + Into<Result<Origin, O>>,
		Small: Get<Balance>,
		Large: Get<Balance>,
	{
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			o.into().and_then(|o| match o {
				Origin::SmallSpender => Ok(Small::get()),
				Origin::Treasurer => Ok(Large::get()),
				other => Err(O::from(other)),
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::Treasurer))
		}
	}
}
