#!/usr/bin/env bash
# The README's first command: installs the prerequisites, builds the workspace into the shared
# target directory with the same package and feature selection as the test command
# (scripts/test.sh), so that a later `bash scripts/test.sh` reuses this build, and starts a
# single-validator development chain. Arguments are passed to `allora-node` after `--dev`.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

bash scripts/setup.sh
cargo build --release --locked --workspace
echo "dev: starting $CARGO_TARGET_DIR/release/allora-node --dev (RPC ws://127.0.0.1:9944, Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/allora-node" --dev "$@"
