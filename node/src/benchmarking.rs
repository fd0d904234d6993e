//! Inputs of the `benchmark block/extrinsic/overhead` subcommands.

use sp_inherents::{InherentData, InherentDataProvider};
use std::time::Duration;

/// Inherent data of a benchmark block: a timestamp at the unix epoch.
pub fn inherent_benchmark_data() -> sc_cli::Result<InherentData> {
	let mut inherent_data = InherentData::new();
	let timestamp = sp_timestamp::InherentDataProvider::new(Duration::ZERO.into());

	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|e| format!("creating inherent data: {e:?}"))?;
	Ok(inherent_data)
}
