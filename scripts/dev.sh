#!/usr/bin/env bash
# The README's first command: installs the prerequisites, builds the workspace into the shared
# target directory exactly as the test command (scripts/test.sh) does, starts a development chain
# in the fast mode (a block every 500 ms) and runs the demo network on it (`allora-client demo`:
# a topic on Microsoft's daily moves, five workers, two forecasters, two reputers; its CSV, plot
# and summary land in ./demo-out). The node and the network keep running for Polkadot.js Apps
# until Ctrl-C. `bash scripts/dev.sh --no-demo` starts the plain `--dev` chain (BABE + GRANDPA,
# 6 s blocks) alone; other arguments go to `allora-node`.
# It builds with `cargo test --no-run` rather than `cargo build`: the tests' dev-dependencies
# change the features of about 120 shared crates (networking among them), so a plain
# `cargo build` would make the later test command compile them a second time.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
BIN="$CARGO_TARGET_DIR/release"

bash scripts/setup.sh
cargo test --release --locked --workspace --no-run

if [ "${1:-}" = "--no-demo" ]; then
	shift
	echo "dev: starting $BIN/allora-node --dev (RPC ws://127.0.0.1:9944, Ctrl-C stops it)"
	exec "$BIN/allora-node" --dev "$@"
fi

BASE="$(mktemp -d -t allora-dev-XXXXXX)"
echo "dev: starting $BIN/allora-node --dev --dev-block-time 500 (RPC ws://127.0.0.1:9944; log $BASE/node.log)"
"$BIN/allora-node" --dev --dev-block-time 500 --base-path "$BASE/chain" "$@" >"$BASE/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null; rm -rf "$BASE"' EXIT
trap 'exit 130' INT TERM
echo "dev: starting the demo network (allora-client demo; Ctrl-C stops the network and the node)"
"$BIN/allora-client" demo --series client/demo/msft-daily.csv --out demo-out
