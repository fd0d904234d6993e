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

# The crates only the multi-validator tests build are listed in Cargo.toml to be built without
# optimisation; the list must follow Cargo.lock.
bash scripts/zombienet-only-crates.sh --check

# The runtime the end-to-end upgrade test upgrades the dev chain to (spec_version + 1).
echo "== the upgrade-test runtime (the feature runtimes' target directory)"
upgrade_wasm="$(bash scripts/build-upgrade-test-wasm.sh)"
export ALLORA_UPGRADE_WASM="$upgrade_wasm"

# The inference test's chain is kept for the try-runtime step.
chains="$(mktemp -d)"
try_build=""
# Stops a process and everything it started (the background build if a step fails).
kill_tree() {
	local child
	for child in $(pgrep -P "$1" || true); do kill_tree "$child"; done
	kill "$1" 2>/dev/null || true
}
cleanup() {
	[ -n "$try_build" ] && kill_tree "$try_build"
	rm -rf "$chains"
}
trap cleanup EXIT

# The try-runtime runtime is built while the end-to-end tests run (their nodes mostly wait for
# blocks and referendum periods), at the lowest CPU priority so the nodes keep theirs. It uses
# the feature runtimes' target directory, which no other step uses meanwhile.
echo "== the try-runtime runtime (background, nice 19; log in the try-runtime step)"
nice -n 19 bash scripts/build-feature-runtime.sh try-runtime > "$chains/try-runtime-wasm.path" 2> "$chains/try-runtime-build.log" &
try_build=$!

echo "== end-to-end (Polkadot.js against allora-node --dev)"
export ALLORA_NODE="$CARGO_TARGET_DIR/release/allora-node"
(cd e2e && ALLORA_E2E_KEEP_CHAINS="$chains" npm test)

# try-runtime: the runtime upgrade and every block of the chain the end-to-end inference test
# ran, in the wasm.
echo "== try-runtime (against the end-to-end inference test's dev chain)"
if ! wait "$try_build"; then
	try_build=""
	echo "the try-runtime runtime's build failed:" >&2
	tail -40 "$chains/try-runtime-build.log" >&2
	exit 1
fi
try_build=""
echo "the try-runtime runtime was built while the end-to-end tests ran (last lines of its log):"
tail -2 "$chains/try-runtime-build.log"
ALLORA_TRY_RUNTIME_WASM="$(cat "$chains/try-runtime-wasm.path")" \
	bash scripts/try-runtime.sh --dev --base-path "$chains/inference"
