#!/usr/bin/env bash
# Regenerates the runtime's weights on this machine (the project's reference machine):
#   runtime/src/weights/<pallet>.rs for the polkadot-sdk pallets of runtime/src/benchmarks.rs,
#   pallets/<dir>/src/weights.rs for this project's pallets (template
#   scripts/pallet-weight-template.hbs: the WeightInfo trait, SubstrateWeight and ()).
# Builds allora-node with `--features runtime-benchmarks` (in $BENCH_TARGET_DIR, default the
# shared target directory: that binary replaces the ordinary one until the next ordinary
# build), then runs the FRAME benchmarks.
# STEPS / REPEAT override the sample sizes (defaults 50 / 20, the polkadot-sdk defaults).
# pallet_staking is not in the default list yet: its benchmarks bond amounts below the dev
# preset's minimum bonds and fail with InsufficientBond (runtime/README.md, "Weights").
set -euo pipefail
cd "$(dirname "$0")/.."
target="${BENCH_TARGET_DIR:-${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}}"
CARGO_TARGET_DIR="$target" cargo build --release --locked -p allora-node --features runtime-benchmarks
bin="$target/release/allora-node"
steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
pallets="${PALLETS:-frame_system frame_system_extensions pallet_balances pallet_timestamp pallet_utility pallet_sudo pallet_topics pallet_inference pallet_stake pallet_reputation pallet_vesting pallet_emissions frame_election_provider_support pallet_bags_list}"
mkdir -p runtime/src/weights
for pallet in $pallets; do
	echo "== benchmark $pallet (steps $steps, repeat $repeat)"
	case "$pallet" in
		pallet_topics) out=(--output pallets/topics/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_inference) out=(--output pallets/inference/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_stake) out=(--output pallets/stake/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_reputation) out=(--output pallets/reputation/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_emissions) out=(--output pallets/emissions/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		*) out=(--output "runtime/src/weights/$pallet.rs") ;;
	esac
	"$bin" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" --wasm-execution compiled \
		--header scripts/weights-header.txt "${out[@]}"
done
echo "weights written to runtime/src/weights/"
