//! `allora-node try-runtime`: runs a try-runtime build of the runtime (wasm) against a state
//! snapshot of a chain, as Parity's standalone try-runtime CLI does, without a network.
//!
//! The snapshot is a raw chain spec written by `allora-node export-state`; the blocks are a file
//! written by `allora-node export-blocks --binary`. The runtime must be built with
//! `--features try-runtime` (its `TryRuntime` API); `scripts/try-runtime.sh` does all of it.

use codec::{Decode, Encode};
use sc_cli::RuntimeVersion;
use sc_executor::{HeapAllocStrategy, WasmExecutor};
use sp_core::traits::{CallContext, RuntimeCode, WrappedRuntimeCode};
use sp_runtime::{
	generic::SignedBlock,
	traits::{BlakeTwo256, Block as BlockT, Hash as HashT, Header as HeaderT},
	BuildStorage, StateVersion, Weight,
};
use sp_state_machine::{InMemoryBackend, OverlayedChanges, StateMachine};
use std::path::{Path, PathBuf};

use allora_runtime::opaque::Block;

/// The in-memory state the runtime runs on: the snapshot as a trie.
type SnapshotBackend = InMemoryBackend<BlakeTwo256>;

/// The host functions of a try-runtime wasm: the node's own.
type HostFunctions = sp_io::SubstrateHostFunctions;

/// Mirrors `frame_support::traits::UpgradeCheckSelect` (SCALE-identical; the node does not build
/// frame-support with its `try-runtime` feature).
#[derive(Encode)]
#[allow(dead_code)]
enum UpgradeCheckSelect {
	/// No checks.
	None,
	/// Pre- and post-upgrade hooks and every pallet's `try_state`.
	All,
}

/// Mirrors `frame_support::traits::TryStateSelect` (SCALE-identical, first two variants).
#[derive(Encode)]
#[allow(dead_code)]
enum TryStateSelect {
	/// No `try_state` hooks.
	None,
	/// Every pallet's `try_state` hook.
	All,
}

/// Runs a try-runtime wasm against a snapshot of a chain's state.
#[derive(Debug, clap::Parser)]
pub struct TryRuntimeCmd {
	/// The runtime to try: a wasm built with `--features try-runtime`.
	#[arg(long, value_name = "WASM")]
	pub runtime: PathBuf,

	/// The state to run on: a raw chain spec written by `allora-node export-state [BLOCK]`.
	#[arg(long, value_name = "CHAIN_SPEC")]
	pub snapshot: PathBuf,

	/// What to run.
	#[command(subcommand)]
	pub check: TryRuntimeCheck,
}

/// The try-runtime checks.
#[derive(Debug, clap::Subcommand)]
pub enum TryRuntimeCheck {
	/// Runs the runtime upgrade on the snapshot: every migration with its pre- and post-upgrade
	/// checks, then every pallet's `try_state`; checks that the upgrade fits a block and that
	/// running it a second time changes nothing.
	OnRuntimeUpgrade,

	/// Executes blocks in order on top of the snapshot (the state of the first block's parent),
	/// checking each block's state root and signatures and running every pallet's `try_state`
	/// after each block.
	ExecuteBlocks {
		/// The blocks: a file written by `allora-node export-blocks --binary`.
		#[arg(long, value_name = "FILE")]
		blocks: PathBuf,
	},
}

/// The snapshot and the runtime under test, ready to be called.
struct Session {
	backend: SnapshotBackend,
	overlay: OverlayedChanges<BlakeTwo256>,
	executor: WasmExecutor<HostFunctions>,
	code: Vec<u8>,
	state_version: StateVersion,
}

impl TryRuntimeCmd {
	/// Runs the chosen check; any failed check (a panic in the runtime) is an error.
	pub fn run(&self) -> sc_cli::Result<()> {
		sc_cli::LoggerBuilder::new("").init()?;
		let mut session = Session::open(&self.runtime, &self.snapshot)?;
		match &self.check {
			TryRuntimeCheck::OnRuntimeUpgrade => session.on_runtime_upgrade(),
			TryRuntimeCheck::ExecuteBlocks { blocks } => session.execute_blocks(blocks),
		}
	}
}

impl Session {
	/// Loads the snapshot's storage into a trie and the runtime's code; reports both versions.
	fn open(runtime: &Path, snapshot: &Path) -> sc_cli::Result<Self> {
		let code = std::fs::read(runtime)
			.map_err(|e| format!("cannot read the runtime {}: {e}", runtime.display()))?;
		let spec = crate::chain_spec::ChainSpec::from_json_file(snapshot.to_path_buf())
			.map_err(|e| format!("cannot load the snapshot {}: {e}", snapshot.display()))?;
		let storage =
			spec.build_storage().map_err(|e| format!("cannot read the snapshot's state: {e}"))?;
		let on_chain_code = storage
			.top
			.get(sp_core::storage::well_known_keys::CODE)
			.cloned()
			.ok_or("the snapshot has no runtime code (`:code`): is it a raw chain spec?")?;
		let executor = WasmExecutor::<HostFunctions>::builder()
			.with_onchain_heap_alloc_strategy(HeapAllocStrategy::Dynamic { maximum_pages: None })
			.with_offchain_heap_alloc_strategy(HeapAllocStrategy::Dynamic { maximum_pages: None })
			.build();

		// The trie is built with the state version of the chain's runtime, as the chain built it.
		let mut probe = Self {
			backend: (storage.clone(), StateVersion::V1).into(),
			overlay: OverlayedChanges::default(),
			executor,
			code: on_chain_code,
			state_version: StateVersion::V1,
		};
		let on_chain = probe.version()?;
		let state_version = on_chain.state_version();
		probe.code = code;
		let candidate = probe.version()?;
		if candidate.spec_name != on_chain.spec_name {
			return Err(format!(
				"the runtime is `{}`, the snapshot's chain runs `{}`",
				candidate.spec_name, on_chain.spec_name
			)
			.into());
		}
		log::info!(
			target: "try-runtime",
			"snapshot at spec_version {} (state version {:?}), runtime under test at spec_version {}",
			on_chain.spec_version,
			state_version,
			candidate.spec_version,
		);
		Ok(Self {
			backend: (storage, state_version).into(),
			overlay: OverlayedChanges::default(),
			executor: probe.executor,
			code: probe.code,
			state_version,
		})
	}

	/// Calls `method` of the runtime under test on the current state (snapshot plus changes).
	fn call(&mut self, method: &str, data: &[u8]) -> sc_cli::Result<Vec<u8>> {
		let fetcher = WrappedRuntimeCode(self.code.as_slice().into());
		let runtime_code = RuntimeCode {
			code_fetcher: &fetcher,
			heap_pages: None,
			hash: <BlakeTwo256 as HashT>::hash(&self.code).as_bytes().to_vec(),
		};
		let mut extensions = Default::default();
		let result = StateMachine::new(
			&self.backend,
			&mut self.overlay,
			&self.executor,
			method,
			data,
			&mut extensions,
			&runtime_code,
			CallContext::Onchain { import: true },
		)
		.execute();
		result.map_err(|e| format!("{method} failed: {e}").into())
	}

	/// The version of the code in `self.code`.
	fn version(&mut self) -> sc_cli::Result<RuntimeVersion> {
		let out = self.call("Core_version", &[])?;
		RuntimeVersion::decode(&mut out.as_slice())
			.map_err(|e| format!("cannot decode the runtime version: {e}").into())
	}

	/// The state root of the snapshot with every change made so far.
	fn root(&mut self) -> sp_core::H256 {
		self.overlay.storage_root(&self.backend, self.state_version).0
	}

	/// `TryRuntime_on_runtime_upgrade` with all checks, then again without: the second run must
	/// leave the state root unchanged (migrations are idempotent).
	fn on_runtime_upgrade(&mut self) -> sc_cli::Result<()> {
		let before = self.root();
		let out = self.call("TryRuntime_on_runtime_upgrade", &UpgradeCheckSelect::All.encode())?;
		let (weight, max_block) = <(Weight, Weight)>::decode(&mut out.as_slice())
			.map_err(|e| format!("cannot decode the upgrade's weight: {e}"))?;
		let after = self.root();
		log::info!(
			target: "try-runtime",
			"on-runtime-upgrade: checks passed; weight {weight:?} of {max_block:?} per block; \
			 state root {before:?} -> {after:?}",
		);
		if weight.any_gt(max_block) {
			return Err(format!(
				"the upgrade's weight {weight:?} exceeds the block's maximum {max_block:?}"
			)
			.into());
		}
		self.call("TryRuntime_on_runtime_upgrade", &UpgradeCheckSelect::None.encode())?;
		let again = self.root();
		if again != after {
			return Err(format!(
				"the upgrade is not idempotent: a second run moved the state root {after:?} -> {again:?}"
			)
			.into());
		}
		log::info!(target: "try-runtime", "on-runtime-upgrade: a second run changes nothing");
		Ok(())
	}

	/// `TryRuntime_execute_block` for every block of the file, in order, each on the state the
	/// previous one left; the state root and signature checks and every `try_state` are on.
	fn execute_blocks(&mut self, path: &Path) -> sc_cli::Result<()> {
		let bytes = std::fs::read(path)
			.map_err(|e| format!("cannot read the blocks {}: {e}", path.display()))?;
		let mut input = bytes.as_slice();
		let count = u64::decode(&mut input).map_err(|e| format!("bad blocks file: {e}"))?;
		if count == 0 {
			return Err("the blocks file holds no block".into());
		}
		let mut total = Weight::zero();
		for _ in 0..count {
			let signed = SignedBlock::<Block>::decode(&mut input)
				.map_err(|e| format!("bad blocks file: {e}"))?;
			let block = signed.block;
			let (number, extrinsics) = (*block.header().number(), block.extrinsics().len());
			let data = (block, true, true, TryStateSelect::All).encode();
			let out = self.call("TryRuntime_execute_block", &data)?;
			let weight = Weight::decode(&mut out.as_slice())
				.map_err(|e| format!("cannot decode block #{number}'s weight: {e}"))?;
			total = total.saturating_add(weight);
			log::info!(
				target: "try-runtime",
				"execute-block #{number}: {extrinsics} extrinsics, state root and try_state ok, \
				 weight {weight:?}",
			);
		}
		if !input.is_empty() {
			return Err(format!("{} bytes after the last block of the file", input.len()).into());
		}
		log::info!(target: "try-runtime", "execute-blocks: {count} blocks passed, total weight {total:?}");
		Ok(())
	}
}
