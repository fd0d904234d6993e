//! The node service: client, transaction pool, network, BABE authoring, GRANDPA voting, RPC.
//! With `--dev --dev-block-time MS` the development chain is sealed every MS milliseconds by
//! manual seal instead (BABE pre-digests, one slot per block, each block final at once).

use allora_runtime::{apis::RuntimeApi, opaque::Block};
use futures::{FutureExt, StreamExt};
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_babe::{ImportQueueParams, SlotProportion};
use sc_consensus_grandpa::SharedVoterState;
use sc_consensus_manual_seal::{
	consensus::babe::BabeConsensusDataProvider, EngineCommand, ManualSealParams,
};
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_inherents::CreateInherentDataProviders;
use std::{sync::Arc, time::Duration};

/// The full client: native node logic over the wasm runtime.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type FullGrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;

/// The inherent data every block carries: the BABE slot and the timestamp.
type InherentProviders =
	(sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider);
/// Creates [`InherentProviders`] for a parent block.
type FullCidp =
	Arc<dyn CreateInherentDataProviders<Block, (), InherentDataProviders = InherentProviders>>;
type FullBabeBlockImport = sc_consensus_babe::BabeBlockImport<
	Block,
	FullClient,
	FullGrandpaBlockImport,
	FullCidp,
	FullSelectChain,
>;

/// The minimum period of blocks on which justifications will be imported and generated.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts shared by the full node and the block/chain-ops subcommands.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(
		FullBabeBlockImport,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		sc_consensus_babe::BabeLink<Block>,
		sc_consensus_babe::BabeWorkerHandle<Block>,
		Option<Telemetry>,
	),
>;

/// Inherent data for a block built now: the current slot and the system time.
fn inherent_data_providers(slot_duration: sp_consensus_babe::SlotDuration) -> FullCidp {
	Arc::new(move |_parent, ()| async move {
		let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
		let slot =
			sp_consensus_babe::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
				*timestamp,
				slot_duration,
			);
		Ok((slot, timestamp))
	})
}

/// Inherent data of a block sealed in the fast development mode: the child of `parent` takes
/// the next slot and that slot's start as its timestamp (the child of genesis: the current
/// slot), so chain time advances one slot per block whatever the wall clock says. The sealer
/// and BABE's import check use the same providers, so they always agree.
fn dev_seal_inherent_data_providers(
	client: Arc<FullClient>,
	slot_duration: sp_consensus_babe::SlotDuration,
) -> FullCidp {
	Arc::new(move |parent: <Block as sp_runtime::traits::Block>::Hash, ()| {
		let client = client.clone();
		async move {
			let header = client.header(parent)?.ok_or("dev seal: the parent header is missing")?;
			let slot = if header.number == 0 {
				sp_consensus_babe::Slot::from_timestamp(
					sp_timestamp::Timestamp::current(),
					slot_duration,
				)
			} else {
				let parent_slot = sc_consensus_babe::find_pre_digest::<Block>(&header)
					.map_err(|e| e.to_string())?
					.slot();
				sp_consensus_babe::Slot::from((*parent_slot).saturating_add(1))
			};
			let timestamp = sp_timestamp::InherentDataProvider::new(sp_timestamp::Timestamp::new(
				(*slot).saturating_mul(slot_duration.as_millis()),
			));
			Ok::<_, Box<dyn std::error::Error + Send + Sync>>((
				sp_consensus_babe::inherents::InherentDataProvider::new(slot),
				timestamp,
			))
		}
	})
}

/// A chain sealed with `--dev-block-time` runs its clock ahead of real time (one slot per
/// block); BABE cannot author on it until real time catches up (the timestamp must grow), so
/// a normal start on it is refused with what to do instead.
fn refuse_a_chain_ahead_of_time(
	client: &FullClient,
	slot_duration: sp_consensus_babe::SlotDuration,
) -> Result<(), ServiceError> {
	use sp_blockchain::HeaderBackend;
	let info = client.info();
	if info.best_number == 0 {
		return Ok(());
	}
	let Some(header) =
		client.header(info.best_hash).map_err(|e| ServiceError::Other(e.to_string()))?
	else {
		return Ok(());
	};
	let Ok(pre_digest) = sc_consensus_babe::find_pre_digest::<Block>(&header) else {
		return Ok(());
	};
	let best_time = (*pre_digest.slot()).saturating_mul(slot_duration.as_millis());
	let now = sp_timestamp::Timestamp::current().as_millis();
	if best_time > now.saturating_add(slot_duration.as_millis()) {
		return Err(ServiceError::Other(format!(
			"the chain's best block #{} is timed {} s ahead of now: it was sealed with \
			 --dev-block-time, whose clock runs ahead of real time. Start it with \
			 --dev-block-time again, or start a new chain (another --base-path, or \
			 `allora-node purge-chain` with the same arguments)",
			info.best_number,
			(best_time - now) / 1_000
		)));
	}
	Ok(())
}

/// Builds the client, the import queue and the consensus block imports (`dev_seal`: blocks
/// are checked with the fast development mode's inherent data).
pub fn new_partial(config: &Configuration, dev_seal: bool) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;
	let justification_import = grandpa_block_import.clone();

	let babe_config = sc_consensus_babe::configuration(&*client)?;
	let slot_duration = babe_config.slot_duration();
	let import_inherent_data = if dev_seal {
		dev_seal_inherent_data_providers(client.clone(), slot_duration)
	} else {
		inherent_data_providers(slot_duration)
	};
	let (block_import, babe_link) = sc_consensus_babe::block_import(
		babe_config,
		grandpa_block_import,
		client.clone(),
		import_inherent_data,
		select_chain.clone(),
		OffchainTransactionPoolFactory::new(transaction_pool.clone()),
	)?;

	let (import_queue, babe_worker_handle) = sc_consensus_babe::import_queue(ImportQueueParams {
		link: babe_link.clone(),
		block_import: block_import.clone(),
		justification_import: Some(Box::new(justification_import)),
		client: client.clone(),
		slot_duration,
		spawner: &task_manager.spawn_essential_handle(),
		registry: config.prometheus_registry(),
		telemetry: telemetry.as_ref().map(|x| x.handle()),
	})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, babe_link, babe_worker_handle, telemetry),
	})
}

/// Builds and starts a full node (an authority when started with `--validator` or `--dev`);
/// with `dev_block_time` (milliseconds), blocks are sealed on that clock by manual seal and
/// finalized at once, without GRANDPA voting.
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	config: Configuration,
	dev_block_time: Option<u64>,
) -> Result<TaskManager, ServiceError> {
	if dev_block_time.is_some() && !config.role.is_authority() {
		return Err(ServiceError::Other("--dev-block-time needs an authority (--dev)".into()));
	}
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, babe_link, babe_worker_handle, mut telemetry),
	} = new_partial(&config, dev_block_time.is_some())?;
	if dev_block_time.is_none() && config.role.is_authority() {
		refuse_a_chain_ahead_of_time(&client, babe_link.config().slot_duration())?;
	}

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the genesis block is missing".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let backoff_authoring_blocks: Option<()> = None;
	let name = config.network.node_name.clone();
	// Sealed blocks are final at once: no GRANDPA voter in the fast development mode.
	let enable_grandpa = !config.disable_grandpa && dev_block_time.is_none();
	let prometheus_registry = config.prometheus_registry().cloned();

	let shared_voter_state = SharedVoterState::empty();
	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let select_chain = select_chain.clone();
		let keystore = keystore_container.keystore();
		let shared_voter_state = shared_voter_state.clone();
		let shared_authority_set = grandpa_link.shared_authority_set().clone();
		let justification_stream = grandpa_link.justification_stream();
		let finality_provider = sc_consensus_grandpa::FinalityProofProvider::new_for_service(
			backend.clone(),
			Some(shared_authority_set.clone()),
		);

		Box::new(move |subscription_executor: sc_rpc::SubscriptionTaskExecutor| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				select_chain: select_chain.clone(),
				babe: crate::rpc::BabeDeps {
					babe_worker_handle: babe_worker_handle.clone(),
					keystore: keystore.clone(),
				},
				grandpa: crate::rpc::GrandpaDeps {
					shared_voter_state: shared_voter_state.clone(),
					shared_authority_set: shared_authority_set.clone(),
					justification_stream: justification_stream.clone(),
					subscription_executor,
					finality_provider: finality_provider.clone(),
				},
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let proposer_factory = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry.as_ref(),
		telemetry.as_ref().map(|x| x.handle()),
	);
	if let Some(block_time) = dev_block_time {
		let slot_duration = babe_link.config().slot_duration();
		let digests = BabeConsensusDataProvider::new(
			client.clone(),
			keystore_container.keystore(),
			babe_link.epoch_changes().clone(),
			babe_link.config().authorities.clone(),
		)
		.map_err(|e| ServiceError::Other(e.to_string()))?;
		let mut clock = tokio::time::interval(Duration::from_millis(block_time));
		clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		let commands_stream = tokio_stream::wrappers::IntervalStream::new(clock).map(|_| {
			EngineCommand::SealNewBlock {
				create_empty: true,
				finalize: true,
				parent_hash: None,
				sender: None,
			}
		});
		let sealing = sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
			block_import,
			env: proposer_factory,
			client: client.clone(),
			pool: transaction_pool.clone(),
			commands_stream,
			select_chain,
			consensus_data_provider: Some(Box::new(digests)),
			create_inherent_data_providers: dev_seal_inherent_data_providers(
				client.clone(),
				slot_duration,
			),
		});
		// The sealing task is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"manual-seal",
			Some("block-authoring"),
			sealing,
		);
	} else if role.is_authority() {
		let slot_duration = babe_link.config().slot_duration();
		let babe = sc_consensus_babe::start_babe(sc_consensus_babe::BabeParams {
			keystore: keystore_container.keystore(),
			client: client.clone(),
			select_chain,
			env: proposer_factory,
			block_import,
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			create_inherent_data_providers: inherent_data_providers(slot_duration),
			force_authoring,
			backoff_authoring_blocks,
			babe_link,
			block_proposal_slot_portion: SlotProportion::new(0.5),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
		})?;

		// The BABE authoring task is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"babe-proposer",
			Some("block-authoring"),
			babe,
		);
	}

	if enable_grandpa {
		// A node that does not take part in consensus needs no keystore for GRANDPA.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		// The GRANDPA voter is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
