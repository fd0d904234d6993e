#!/usr/bin/env bash
# Builds the runtime with its `upgrade-test` feature (spec_version + 1 and a migration that
# writes the `:allora:upgrade-test` marker) for the end-to-end runtime-upgrade test, in the
# target directory of the feature runtimes (shared with scripts/try-runtime.sh; never the node's,
# so the feature never reaches the node's runtime), and prints the path of a copy of the
# compressed wasm on stdout (cargo's output goes to stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
# One target directory for both feature runtimes, with the same (release) outer profile: the
# crates without the feature (native and wasm, wasm-opt's C++ build) are built once for both.
target="${FEATURE_RUNTIMES_TARGET_DIR:-$HOME/.cache/allora-feature-runtimes-target}"
# `cargo check` runs the runtime's build script, which builds the wasm with the crate's
# features; the native side is only type-checked. `--release` makes the wasm builder compact
# and compress the blob (a debug outer profile leaves only the bloaty wasm, too big for a block).
CARGO_TARGET_DIR="$target" cargo check --release --locked -p allora-runtime --features upgrade-test >&2
wasm="$target/release/wbuild/allora-runtime/allora_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || { echo "upgrade-test wasm not found at $wasm" >&2; exit 1; }
# The next feature build overwrites the wasm builder's output: keep a copy under its own name.
copy="$target/allora_runtime.upgrade-test.compact.compressed.wasm"
cp "$wasm" "$copy"
echo "$copy"
