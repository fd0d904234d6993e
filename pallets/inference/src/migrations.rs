//! Storage migrations of this pallet, run by the runtime's `Executive` on upgrade.

/// v1 → v2 (issue 12): a worker registration carries its deposit and last activity
/// ([`pallet_topics::Registration`]) instead of `()`.
pub mod v2 {
	use crate::pallet::{Config, Pallet, Workers};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use pallet_topics::Registration;
	#[cfg(feature = "try-runtime")]
	use {alloc::vec::Vec, codec::Encode, sp_runtime::TryRuntimeError};

	/// Registrations made before deposits existed hold none (nothing is taken from an account
	/// without its consent) and count as active from the upgrade on. One pass over the
	/// registrations: at most `MaxTopics × MaxInferencePerTopic` entries, fine before launch
	/// when there are few; a live network with many would use a multi-block migration.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let now = frame_system::Pallet::<T>::block_number();
			let mut count: u64 = 0;
			Workers::<T>::translate::<(), _>(|_, _, ()| {
				count = count.saturating_add(1);
				Some(Registration { deposit: 0, last_active: now })
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			Ok((Workers::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = <u64 as codec::Decode>::decode(&mut &state[..])
				.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
			let after = Workers::<T>::iter().count() as u64;
			frame_support::ensure!(before == after, "a registration was lost or undecodable");
			Ok(())
		}
	}

	/// The versioned migration for the runtime's `Migrations` (runs once, at version 1).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
