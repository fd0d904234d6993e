//! The `allora-node` binary: an Allora appchain node (BABE + GRANDPA).

#![warn(missing_docs)]

mod allora_rpc;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
mod try_runtime;

fn main() {
	if let Err(e) = command::run() {
		// One line on stderr and a non-zero exit, for operators and scripts alike.
		let message = e.to_string().replace('\n', " ");
		eprintln!("Error: {message}");
		std::process::exit(1);
	}
}
