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
