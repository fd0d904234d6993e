//! The client's committed metadata (`client/metadata/allora.scale`), from which `allora-client`'s
//! typed interface is generated, must be this runtime's: a change to a call, storage item, event
//! or runtime API fails here until the file is regenerated with
//! `ALLORA_UPDATE_METADATA=1 cargo test --release --locked --workspace -- client_metadata`
//! (then rebuild the client against it). Constants read from storage take the development
//! chain's values.

use super::ext_for_preset;
use crate::Runtime;
use std::path::PathBuf;

#[test]
fn the_clients_committed_metadata_is_this_runtimes() {
	let path = PathBuf::from(
		std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../client/metadata/allora.scale");
	// Some constants (BABE's epoch duration, staking's eras) are read from the chain's clock
	// (pallet-timing) in storage: the metadata is the development chain's, as `--dev` serves it.
	let runtime = ext_for_preset(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.execute_with(|| Runtime::metadata_at_version(16).map(|m| m.to_vec()).unwrap_or_default());
	assert!(runtime.starts_with(b"meta"), "the runtime serves metadata V16");
	if std::env::var_os("ALLORA_UPDATE_METADATA").is_some() {
		let written = std::fs::write(&path, &runtime);
		assert!(written.is_ok(), "writing {}: {written:?}", path.display());
	}
	let committed = std::fs::read(&path).unwrap_or_default();
	assert!(
		committed == runtime,
		"{} ({} bytes) is not the runtime's metadata ({} bytes): regenerate it with \
		 `ALLORA_UPDATE_METADATA=1 cargo test --release --locked --workspace -- client_metadata`",
		path.display(),
		committed.len(),
		runtime.len()
	);
}
