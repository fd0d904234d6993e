#!/usr/bin/env bash
# Regenerates the runtime's weights on this machine (the project's reference machine):
#   runtime/src/weights/<pallet>.rs for the polkadot-sdk pallets of runtime/src/benchmarks.rs,
#   pallets/<dir>/src/weights.rs for this project's pallets (template
#   scripts/pallet-weight-template.hbs: the WeightInfo trait, SubstrateWeight and ()),
#   and for pallet_babe, pallet_grandpa and pallet_offences the measured parts of an
#   equivocation report (template scripts/measured-weight-template.hbs), which
#   runtime/src/weights/equivocation.rs composes into BABE's and GRANDPA's WeightInfo.
# Builds allora-node with `--features runtime-benchmarks` (in $BENCH_TARGET_DIR, default the
# shared target directory: that binary replaces the ordinary one until the next ordinary
# build), then runs the FRAME benchmarks.
# STEPS / REPEAT override the sample sizes (defaults 50 / 20, the polkadot-sdk defaults).
# Every pallet runs on the dev chain spec with two changes: the minimum bonds set to 0
# (pallet_staking's benchmarks bond a few existential deposits, below the dev preset's
# 1 000 / 10 ALLO minimums: InsufficientBond) and real-time governance periods (the dev
# preset divides them by 14 400, which ends pallet_referenda's preparing and deciding
# scenarios before they are measured). A failing benchmark does not stop the others; the
# script lists the failures and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${BENCH_TARGET_DIR:-${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}}"
CARGO_TARGET_DIR="$target" cargo build --release --locked -p allora-node --features runtime-benchmarks
bin="$target/release/allora-node"
steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
pallets="${PALLETS:-frame_system frame_system_extensions pallet_balances pallet_timestamp pallet_utility pallet_sudo pallet_topics pallet_inference pallet_stake pallet_reputation pallet_vesting pallet_emissions frame_election_provider_support pallet_bags_list pallet_staking pallet_preimage pallet_scheduler pallet_referenda pallet_conviction_voting pallet_whitelist pallet_collective pallet_treasury pallet_fast_unstake pallet_session pallet_offences pallet_babe pallet_grandpa pallet_transaction_payment}"
mkdir -p runtime/src/weights
spec_dir="$(mktemp -d)"
trap 'rm -rf "$spec_dir"' EXIT
"$bin" build-spec --chain dev > "$spec_dir/dev.json" 2>/dev/null
python3 - "$spec_dir/dev.json" "$spec_dir/bench.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
patch = spec["genesis"]["runtimeGenesis"]["patch"]
patch["staking"]["minValidatorBond"] = 0
patch["staking"]["minNominatorBond"] = 0
patch["timing"]["governanceTimeDivisor"] = 1
json.dump(spec, open(sys.argv[2], "w"))
PY
failed=()
for pallet in $pallets; do
	echo "== benchmark $pallet (steps $steps, repeat $repeat)"
	case "$pallet" in
		pallet_topics) out=(--output pallets/topics/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_inference) out=(--output pallets/inference/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_stake) out=(--output pallets/stake/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_reputation) out=(--output pallets/reputation/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_emissions) out=(--output pallets/emissions/src/weights.rs --template scripts/pallet-weight-template.hbs) ;;
		pallet_babe|pallet_grandpa|pallet_offences) out=(--output "runtime/src/weights/$pallet.rs" --template scripts/measured-weight-template.hbs) ;;
		*) out=(--output "runtime/src/weights/$pallet.rs") ;;
	esac
	if ! "$bin" benchmark pallet --chain "$spec_dir/bench.json" --pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" --wasm-execution compiled \
		--header scripts/weights-header.txt "${out[@]}"; then
		failed+=("$pallet")
	fi
done
if [ "${#failed[@]}" -gt 0 ]; then
	echo "benchmarks failed (their weight files are unchanged): ${failed[*]}" >&2
	exit 1
fi
echo "weights written to runtime/src/weights/ and pallets/*/src/weights.rs"
