#!/usr/bin/env bash
# Builds the runtime with its `try-runtime` feature for scripts/try-runtime.sh, in the target
# directory of the feature runtimes (shared with scripts/build-upgrade-test-wasm.sh, with the
# same release outer profile, so the crates without the feature are built once; never the
# node's, so the feature never reaches the node's runtime), and prints the path of a copy of the
# uncompacted wasm on stdout (cargo's output goes to stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${FEATURE_RUNTIMES_TARGET_DIR:-$HOME/.cache/allora-feature-runtimes-target}"
# `cargo check` runs the runtime's build script, which builds the wasm with the crate's
# features; the native side is only type-checked.
CARGO_TARGET_DIR="$target" cargo check --release --locked -p allora-runtime --features try-runtime >&2
wasm="$target/release/wbuild/allora-runtime/allora_runtime.wasm"
[ -f "$wasm" ] || { echo "try-runtime wasm not found at $wasm" >&2; exit 1; }
# The next feature build overwrites the wasm builder's output: keep a copy under its own name.
copy="$target/allora_runtime.try-runtime.wasm"
cp "$wasm" "$copy"
echo "$copy"
