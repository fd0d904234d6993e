#!/usr/bin/env bash
# Builds the runtime with its `upgrade-test` feature (spec_version + 1 and a migration that
# writes the `:allora:upgrade-test` marker) for the end-to-end runtime-upgrade test, in its own
# target directory so the feature never reaches the node's runtime, and prints the path of the
# compressed wasm on stdout (cargo's output goes to stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${UPGRADE_TEST_TARGET_DIR:-$HOME/.cache/allora-upgrade-target}"
# `cargo check` runs the runtime's build script, which builds the wasm with the crate's
# features; the native side is only type-checked. `--release` makes the wasm builder compact
# and compress the blob (a debug outer profile leaves only the bloaty wasm, too big for a block).
CARGO_TARGET_DIR="$target" cargo check --release --locked -p allora-runtime --features upgrade-test >&2
wasm="$target/release/wbuild/allora-runtime/allora_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || { echo "upgrade-test wasm not found at $wasm" >&2; exit 1; }
echo "$wasm"
