#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (unit, runtime and node tests, and the
# multi-validator network tests of zombienet/, which spawn the release node with zombienet-sdk)
# and the end-to-end tests that drive a release `allora-node --dev` with Polkadot.js.
# This is the README's test command; `.ci/run` calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

bash scripts/setup.sh

# Shared data (the research simulator's vectors) lives beside the checkout.
export ALLORA_SHARED_DIR="${ALLORA_SHARED_DIR:-$(cd .. && pwd)/shared}"

# One cargo invocation builds everything (the node binary included, which the node's
# integration tests need): a second invocation with another package selection would unify
# features differently and rebuild large parts of the tree.
echo "== cargo test (release, whole workspace)"
cargo test --release --locked --workspace

# The runtime-facing mechanism crates must satisfy the workspace lints (no unwrap/expect/panic,
# no unchecked indexing or arithmetic, no floats) mechanically.
echo "== clippy (mechanism crates and pallets, lints as errors)"
cargo clippy --release --locked -p allora-math -p allora-synthesis -p pallet-topics -p pallet-inference -p pallet-stake -p pallet-reputation -p pallet-emissions -p pallet-timing -p pallet-governance-origins -- -D warnings

# The runtime the end-to-end upgrade test upgrades the dev chain to (spec_version + 1).
echo "== the upgrade-test runtime (its own target directory)"
upgrade_wasm="$(bash scripts/build-upgrade-test-wasm.sh)"
export ALLORA_UPGRADE_WASM="$upgrade_wasm"

echo "== end-to-end (Polkadot.js against allora-node --dev)"
export ALLORA_NODE="$CARGO_TARGET_DIR/release/allora-node"
# The inference test's chain is kept for the try-runtime step.
chains="$(mktemp -d)"
trap 'rm -rf "$chains"' EXIT
(cd e2e && ALLORA_E2E_KEEP_CHAINS="$chains" npm test)

# try-runtime (its own target directory: the feature must not reach the node's runtime): the
# runtime upgrade and every block of the chain the end-to-end inference test ran, in the wasm.
echo "== try-runtime (against the end-to-end inference test's dev chain)"
bash scripts/try-runtime.sh --dev --base-path "$chains/inference"
