//! The runtime APIs: what the node and clients (Polkadot.js, subxt) call through `state_call`.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	traits::{Get, KeyOwnerProofSystem},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_session::OpaqueGeneratedSessionKeys;
use sp_version::RuntimeVersion;

use crate::{
	configs::EpochDuration, AccountId, Babe, Balance, Block, BlockNumber, Executive, Grandpa,
	Historical, Inference, InherentDataExt, Nonce, Runtime, RuntimeCall, RuntimeGenesisConfig,
	SessionKeys, Staking, System, TransactionPayment, BABE_GENESIS_EPOCH_CONFIG, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_babe::BabeApi<Block> for Runtime {
		fn configuration() -> sp_consensus_babe::BabeConfiguration {
			let epoch_config = Babe::epoch_config().unwrap_or(BABE_GENESIS_EPOCH_CONFIG);
			sp_consensus_babe::BabeConfiguration {
				slot_duration: Babe::slot_duration(),
				epoch_length: EpochDuration::get(),
				c: epoch_config.c,
				authorities: Babe::authorities().to_vec(),
				randomness: Babe::randomness(),
				allowed_slots: epoch_config.allowed_slots,
			}
		}

		fn current_epoch_start() -> sp_consensus_babe::Slot {
			Babe::current_epoch_start()
		}

		fn current_epoch() -> sp_consensus_babe::Epoch {
			Babe::current_epoch()
		}

		fn next_epoch() -> sp_consensus_babe::Epoch {
			Babe::next_epoch()
		}

		fn generate_key_ownership_proof(
			_slot: sp_consensus_babe::Slot,
			authority_id: sp_consensus_babe::AuthorityId,
		) -> Option<sp_consensus_babe::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			Historical::prove((sp_consensus_babe::KEY_TYPE, authority_id))
				.map(|p| p.encode())
				.map(sp_consensus_babe::OpaqueKeyOwnershipProof::new)
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_babe::EquivocationProof<<Block as BlockT>::Header>,
			key_owner_proof: sp_consensus_babe::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Babe::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: sp_consensus_grandpa::AuthorityId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|p| p.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl pallet_staking_runtime_api::StakingApi<Block, Balance, AccountId> for Runtime {
		fn nominations_quota(balance: Balance) -> u32 {
			Staking::api_nominations_quota(balance)
		}

		fn eras_stakers_page_count(era: sp_staking::EraIndex, account: AccountId) -> sp_staking::Page {
			Staking::api_eras_stakers_page_count(era, account)
		}

		fn pending_rewards(era: sp_staking::EraIndex, account: AccountId) -> bool {
			Staking::api_pending_rewards(era, account)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	impl pallet_inference_runtime_api::InferenceApi<Block, AccountId, BlockNumber> for Runtime {
		fn network_inference(
			topic_id: pallet_topics::TopicId,
			nonce: Option<BlockNumber>,
		) -> Result<
			pallet_inference::NetworkInferenceBundle<AccountId, BlockNumber>,
			pallet_inference::InferenceQueryError,
		> {
			Inference::network_inference(topic_id, nonce)
		}

		fn topic_info(
			topic_id: pallet_topics::TopicId,
		) -> Option<pallet_inference::TopicInfo<AccountId, BlockNumber>> {
			Inference::topic_info(topic_id)
		}

		fn open_nonces(topic_id: pallet_topics::TopicId) -> pallet_inference::OpenNonces<BlockNumber> {
			Inference::open_nonces(topic_id)
		}

		fn active_topics() -> Vec<pallet_topics::TopicId> {
			crate::Topics::active_topics()
		}

		fn params() -> pallet_topics::NetworkParams {
			crate::Topics::params()
		}
	}

	impl pallet_stake_runtime_api::StakeApi<Block, AccountId> for Runtime {
		fn reputer_stake(
			topic_id: pallet_topics::TopicId,
			reputer: AccountId,
		) -> pallet_stake::ReputerStakeInfo {
			crate::Stake::reputer_stake_info(topic_id, &reputer)
		}

		fn delegation(
			topic_id: pallet_topics::TopicId,
			delegator: AccountId,
			reputer: AccountId,
		) -> pallet_stake::DelegationInfo {
			crate::Stake::delegation_info(topic_id, &delegator, &reputer)
		}

		fn topic_stake(topic_id: pallet_topics::TopicId) -> u128 {
			pallet_stake::TopicStake::<Runtime>::get(topic_id)
		}

		fn total_stake() -> u128 {
			pallet_stake::TotalStake::<Runtime>::get()
		}
	}

	impl pallet_reputation_runtime_api::ReputationApi<Block, AccountId, BlockNumber> for Runtime {
		fn regrets(
			topic_id: pallet_topics::TopicId,
		) -> Option<pallet_reputation::RegretsView<AccountId>> {
			crate::Reputation::regrets_view(topic_id)
		}

		fn latest_round(
			topic_id: pallet_topics::TopicId,
		) -> Option<pallet_reputation::RoundResults<AccountId, BlockNumber>> {
			crate::Reputation::round_results(topic_id)
		}

		fn reputer_nonces(
			topic_id: pallet_topics::TopicId,
		) -> Vec<pallet_reputation::ReputerNonceStatus<AccountId, BlockNumber>> {
			crate::Reputation::reputer_nonces(topic_id)
		}

		fn listening_coefficients(
			topic_id: pallet_topics::TopicId,
		) -> Vec<(AccountId, pallet_reputation::Fixed)> {
			crate::Reputation::listening_coefficients(topic_id)
		}
	}

	impl pallet_emissions_runtime_api::EmissionsApi<Block, AccountId, BlockNumber> for Runtime {
		fn emission() -> pallet_emissions::EmissionInfo<BlockNumber> {
			crate::Emissions::emission_info()
		}

		fn supply() -> pallet_emissions::SupplyInfo {
			crate::Emissions::supply_info()
		}

		fn last_rewards(
			topic_id: pallet_topics::TopicId,
		) -> Option<pallet_emissions::TopicRewardsView<AccountId, BlockNumber>> {
			crate::Emissions::last_rewards(topic_id)
		}
	}

	// A failed check can only be reported by aborting: the try-runtime tool runs these calls
	// off-chain against a state snapshot, and they are compiled into no production build.
	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			#[allow(clippy::panic)]
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("try-runtime on-runtime-upgrade failed: {e:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			#[allow(clippy::panic)]
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|e| panic!("try-runtime execute-block failed: {e:?}"))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::{extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench};
			#[allow(unused_imports)]
			use crate::{Babe, Balances, ConvictionVoting, Emissions, FastUnstake, Grandpa, Inference, Preimage, Referenda, Reputation, Scheduler, Stake, Sudo, TechnicalCommittee, Timestamp, Topics, TransactionPayment, Treasury, Utility, Vesting, VoterList, Whitelist};
			use pallet_election_provider_support_benchmarking::Pallet as ElectionProviderBench;
			use pallet_offences_benchmarking::Pallet as OffencesBench;
			use pallet_session_benchmarking::Pallet as SessionBench;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, crate::AllPalletsWithSystem::storage_info())
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};
			use frame_system_benchmarking::{extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench};
			#[allow(unused_imports)]
			use crate::{Babe, Balances, ConvictionVoting, Emissions, FastUnstake, Grandpa, Inference, Preimage, Referenda, Reputation, Scheduler, Stake, Sudo, TechnicalCommittee, Timestamp, Topics, TransactionPayment, Treasury, Utility, Vesting, VoterList, Whitelist};
			use pallet_election_provider_support_benchmarking::Pallet as ElectionProviderBench;
			use pallet_offences_benchmarking::Pallet as OffencesBench;
			use pallet_session_benchmarking::Pallet as SessionBench;

			let mut whitelist: Vec<TrackedStorageKey> = crate::AllPalletsWithSystem::whitelisted_storage_keys();
			// The ecosystem account receives every transaction fee, and the emission reads and
			// writes it in every block's on_initialize: a transaction finds it in the block's
			// overlay (as Polkadot whitelists its treasury account).
			whitelist.push(
				frame_system::Account::<Runtime>::hashed_key_for(crate::configs::EcosystemAccount::get()).into(),
			);
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}
}
