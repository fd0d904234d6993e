#!/usr/bin/env bash
# Builds the runtime with one test-only feature and prints the path of a copy of its wasm on
# stdout (cargo's output goes to stderr):
#   upgrade-test  spec_version + 1 and a migration that writes the `:allora:upgrade-test` marker,
#                 for the end-to-end runtime-upgrade test (the compressed wasm a chain accepts);
#   try-runtime   the TryRuntime API and every pallet's try_state, for scripts/try-runtime.sh
#                 (the uncompacted wasm).
# Both build in the feature runtimes' target directory with the release outer profile, so the
# crates without the feature (native and wasm, wasm-opt's C++ build) are built once for both;
# never in the node's target directory, so the feature never reaches the node's runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
feature="${1:-}"
case "$feature" in
	upgrade-test) blob="allora_runtime.compact.compressed.wasm" ;;
	try-runtime) blob="allora_runtime.wasm" ;;
	*) echo "usage: bash scripts/build-feature-runtime.sh upgrade-test|try-runtime" >&2; exit 2 ;;
esac
target="${FEATURE_RUNTIMES_TARGET_DIR:-$HOME/.cache/allora-feature-runtimes-target}"
# `cargo check` runs the runtime's build script, which builds the wasm with the crate's
# features; the native side is only type-checked. `--release` makes the wasm builder compact
# and compress the blob (a debug outer profile leaves only the bloaty wasm, too big for a block).
CARGO_TARGET_DIR="$target" cargo check --release --locked -p allora-runtime --features "$feature" >&2
wasm="$target/release/wbuild/allora-runtime/$blob"
[ -f "$wasm" ] || { echo "$feature wasm not found at $wasm" >&2; exit 1; }
# The next feature build overwrites the wasm builder's output: keep a copy under its own name.
copy="$target/${blob/allora_runtime/allora_runtime.$feature}"
cp "$wasm" "$copy"
echo "$copy"
