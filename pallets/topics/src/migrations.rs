//! Storage migrations shared by the pallets that keep registrations (inference, stake).

use crate::Registration;
use codec::FullCodec;
use core::marker::PhantomData;
use frame_support::{
	storage::IterableStorageDoubleMap,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
#[cfg(feature = "try-runtime")]
use {alloc::vec::Vec, codec::Encode, sp_runtime::TryRuntimeError};

/// v1 → v2 of a registration map `(topic, account) → ()` (issue 12): each entry becomes a
/// [`Registration`] without a deposit (nothing is taken from an account without its consent),
/// active from the upgrade on. One pass over the map: fine before launch, when registrations
/// are few; a live network with many would use a multi-block migration. The pallet wraps it in
/// a `VersionedMigration` so that it runs once.
pub struct UnitToRegistration<T, Map, K1, K2>(PhantomData<(T, Map, K1, K2)>);

impl<T, Map, K1, K2> UncheckedOnRuntimeUpgrade for UnitToRegistration<T, Map, K1, K2>
where
	T: frame_system::Config,
	K1: FullCodec,
	K2: FullCodec,
	Map: IterableStorageDoubleMap<K1, K2, Registration<BlockNumberFor<T>>>,
{
	fn on_runtime_upgrade() -> Weight {
		let now = frame_system::Pallet::<T>::block_number();
		let mut count: u64 = 0;
		Map::translate::<(), _>(|_, _, ()| {
			count = count.saturating_add(1);
			Some(Registration { deposit: 0, last_active: now })
		});
		T::DbWeight::get().reads_writes(count, count)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		Ok((Map::iter_keys().count() as u64).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		let before = <u64 as codec::Decode>::decode(&mut &state[..])
			.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
		let after = Map::iter().count() as u64;
		frame_support::ensure!(before == after, "a registration was lost or undecodable");
		Ok(())
	}
}
