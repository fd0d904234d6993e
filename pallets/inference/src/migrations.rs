//! Storage migrations of this pallet, run by the runtime's `Executive` on upgrade.

/// v1 → v2 (issue 12): a worker registration carries its deposit and last activity
/// ([`pallet_topics::Registration`]) instead of `()`.
pub mod v2 {
	use crate::pallet::{Pallet, Workers};
	use frame_support::migrations::VersionedMigration;
	use pallet_topics::{migrations::UnitToRegistration, TopicId};

	/// The versioned migration for the runtime's `Migrations` (runs once, at version 1).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		UnitToRegistration<T, Workers<T>, TopicId, <T as frame_system::Config>::AccountId>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// v2 → v3 (issue 16): a closed round records its synthesis mode and the value lists it
/// produced ([`crate::types::ProducedLists`]), which bound what loss bundles may judge. Rounds
/// closed before keep every list admissible (their mode is unknown), so no honest bundle in
/// flight across the upgrade is refused.
pub mod v3 {
	use crate::{
		pallet::{Config, Pallet, Rounds},
		types::{ProducedLists, RoundSummary},
	};
	use codec::{Decode, Encode};
	use core::marker::PhantomData;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	#[cfg(feature = "try-runtime")]
	use {alloc::vec::Vec, sp_runtime::TryRuntimeError};

	/// A round summary as storage version 2 encoded it.
	#[derive(Encode, Decode)]
	pub struct RoundSummaryV2<BlockNumber> {
		/// The block the window was closed in.
		pub closed_at: BlockNumber,
		/// Inferences in the snapshot.
		pub inferers: u32,
		/// Forecasts in the snapshot.
		pub forecasters: u32,
	}

	/// Translates every stored round summary (one pass: at most `MaxStoredNonces` per topic).
	pub struct RoundsRecordProducedLists<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RoundsRecordProducedLists<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count: u64 = 0;
			Rounds::<T>::translate::<RoundSummaryV2<BlockNumberFor<T>>, _>(|_, _, old| {
				count = count.saturating_add(1);
				Some(RoundSummary {
					closed_at: old.closed_at,
					inferers: old.inferers,
					forecasters: old.forecasters,
					mode: None,
					produced: ProducedLists::ALL,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			Ok((Rounds::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = u64::decode(&mut &state[..])
				.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
			let after = Rounds::<T>::iter().count() as u64;
			frame_support::ensure!(before == after, "a round summary was lost or undecodable");
			Ok(())
		}
	}

	/// The versioned migration for the runtime's `Migrations` (runs once, at version 2).
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		RoundsRecordProducedLists<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
