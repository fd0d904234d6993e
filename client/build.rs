//! Rebuilds the client when its committed metadata changes: the subxt macro reads
//! `metadata/allora.scale` without telling cargo, so a regenerated file alone kept the old
//! typed API (and its call hashes) compiled in.
fn main() {
	println!("cargo:rerun-if-changed=metadata/allora.scale");
}
