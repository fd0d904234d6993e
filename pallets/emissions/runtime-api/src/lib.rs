//! The `EmissionsApi` runtime API: what dApps and dashboards read about the ALLO emission and
//! the rewards of every topic's latest paid round.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_emissions::{EmissionInfo, SupplyInfo, TopicRewardsView};
pub use pallet_topics::TopicId;

sp_api::decl_runtime_apis! {
	/// Emission and rewards of the Allora network.
	pub trait EmissionsApi<AccountId, BlockNumber> where AccountId: Codec, BlockNumber: Codec {
		/// The current block emission, emission per month and per staked token, the
		/// topic-reward part of this block, the reputer share r and the mint parameters.
		fn emission() -> EmissionInfo<BlockNumber>;
		/// Max supply, total issuance, ecosystem minted and remaining, circulating, staked and
		/// locked supply, the reward treasury and the validator pot (base units).
		fn supply() -> SupplyInfo;
		/// The topic's latest paid round: topic reward, entropies, τ, χ, γ, task totals and
		/// every actor's reward.
		fn last_rewards(topic_id: TopicId) -> Option<TopicRewardsView<AccountId, BlockNumber>>;
	}
}
