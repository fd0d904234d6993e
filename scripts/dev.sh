#!/usr/bin/env bash
# The README's first command: installs the prerequisites, builds the workspace into the shared
# target directory exactly as the test command (scripts/test.sh) does, and starts a
# single-validator development chain. Arguments are passed to `allora-node` after `--dev`.
# It builds with `cargo test --no-run` rather than `cargo build`: the tests' dev-dependencies
# change the features of about 120 shared crates (networking among them), so a plain
# `cargo build` would make the later test command compile them a second time.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

bash scripts/setup.sh
cargo test --release --locked --workspace --no-run
echo "dev: starting $CARGO_TARGET_DIR/release/allora-node --dev (RPC ws://127.0.0.1:9944, Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/allora-node" --dev "$@"
