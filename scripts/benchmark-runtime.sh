#!/usr/bin/env bash
# Regenerates the runtime's weights on this machine (the project's reference machine):
#   runtime/src/weights/<pallet>.rs for every pallet of runtime/src/benchmarks.rs.
# Builds allora-node with `--features runtime-benchmarks` (in $BENCH_TARGET_DIR, default the
# shared target directory: that binary replaces the ordinary one until the next ordinary
# build), then runs the FRAME benchmarks.
# STEPS / REPEAT override the sample sizes (defaults 50 / 20, the polkadot-sdk defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${BENCH_TARGET_DIR:-${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}}"
CARGO_TARGET_DIR="$target" cargo build --release --locked -p allora-node --features runtime-benchmarks
bin="$target/release/allora-node"
steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
pallets="${PALLETS:-frame_system frame_system_extensions pallet_balances pallet_timestamp pallet_utility pallet_sudo}"
mkdir -p runtime/src/weights
for pallet in $pallets; do
	echo "== benchmark $pallet (steps $steps, repeat $repeat)"
	"$bin" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" --wasm-execution compiled \
		--header scripts/weights-header.txt --output "runtime/src/weights/$pallet.rs"
done
echo "weights written to runtime/src/weights/"
