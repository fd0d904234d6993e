//! Command-line interface: the `run` flags of sc-cli plus the standard subcommands.

use sc_cli::RunCmd;

/// The node's subcommands (without one, the node runs).
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys into the keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated upstream: prefer `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification (plain, or raw with `--raw`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Sub-commands concerned with benchmarking (only in a node built with
	/// `--features runtime-benchmarks`, as `scripts/benchmark-runtime.sh` does).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Runs a try-runtime build of the runtime against a state snapshot: the runtime upgrade
	/// with its checks, or blocks with state-root checks and every pallet's `try_state`.
	TryRuntime(crate::try_runtime::TryRuntimeCmd),
}

/// The node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// The flags of `run`.
	#[clap(flatten)]
	pub run: RunCmd,

	/// Development only (with `--dev`): seal a block every MS milliseconds with manual seal
	/// (BABE digests, one slot per block, each block final at once) instead of BABE authoring
	/// and GRANDPA voting, so that an epoch of the chain takes seconds.
	#[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(50..))]
	pub dev_block_time: Option<u64>,
}
