#!/usr/bin/env bash
# Regenerates the committed chain specs from the current runtime:
#   chain-specs/dev.json, chain-specs/local.json  (plain, from the runtime's genesis presets)
#   chain-specs/testnet-raw.json                  (raw, the public test network; TEST KEYS)
# The node test `committed_chain_specs_match_the_runtime` fails when they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
bin="${ALLORA_NODE:-$target/release/allora-node}"
[ -x "$bin" ] || cargo build --release --locked --workspace
mkdir -p chain-specs
"$bin" export-chain-spec --chain dev > chain-specs/dev.json
"$bin" export-chain-spec --chain local > chain-specs/local.json
"$bin" export-chain-spec --chain testnet --raw > chain-specs/testnet-raw.json
echo "chain specs regenerated in chain-specs/"
