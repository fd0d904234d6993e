#!/usr/bin/env bash
# The payload load benchmark (issue 11): builds the workspace with the test command's package
# and feature selection (so it reuses that build), then runs `load` (benchmarks/src/bin/load.rs):
# its own development node, many topics and worker accounts, every worker's payload at every
# nonce; prints payloads per block, inclusion latency, rejected and lost payloads.
#   bash benchmarks/load.sh                       # 16 topics x 125 workers, 3 epochs, 6 s blocks
#   bash benchmarks/load.sh --burst               # the same, each round sent at once: full blocks
#   bash benchmarks/load.sh --help                # the options
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
load="$CARGO_TARGET_DIR/release/load"
# The options need no build when the program is there already.
case " $* " in
*" --help "* | *" -h "*) [ -x "$load" ] && exec "$load" --help ;;
esac
bash scripts/setup.sh >/dev/null
echo "load: building the workspace (the test command's build; long on a cold target)" >&2
cargo test --release --locked --workspace --no-run >/dev/null 2>&1 ||
	cargo test --release --locked --workspace --no-run
exec "$load" "$@"
