#!/usr/bin/env bash
# try-runtime against a snapshot of a chain that ran: builds the runtime with its `try-runtime`
# feature (wasm, scripts/build-feature-runtime.sh: never in the node's target directory),
# exports the chain's state and blocks with `allora-node`, then with `allora-node try-runtime`:
#   1. on-runtime-upgrade on the state of the best block (migrations' pre/post checks, every
#      pallet's try_state, the upgrade fits a block, a second run changes nothing);
#   2. execute-blocks: the chain's last blocks (up to 200) replayed in the wasm on the state of
#      their parent, each with its state root and signatures checked and every try_state run.
#
# Usage: bash scripts/try-runtime.sh <flags that select a stopped node's chain database>
#   e.g. bash scripts/try-runtime.sh --dev --base-path /tmp/my-dev-chain
# The test command runs it on the chain the end-to-end inference test leaves behind.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/try-runtime.sh --dev --base-path DIR (a stopped node's chain)" >&2
  exit 2
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/allora-target}"
node_bin="${ALLORA_NODE:-$CARGO_TARGET_DIR/release/allora-node}"
[ -x "$node_bin" ] || { echo "allora-node not found at $node_bin: build it with cargo build --release -p allora-node" >&2; exit 1; }

# The try-runtime wasm: $ALLORA_TRY_RUNTIME_WASM if set (the test command builds it while the
# end-to-end tests run), else built now.
wasm="${ALLORA_TRY_RUNTIME_WASM:-}"
if [ -z "$wasm" ]; then
  echo "== try-runtime: building the runtime with --features try-runtime"
  wasm="$(bash scripts/build-feature-runtime.sh try-runtime)"
fi
[ -f "$wasm" ] || { echo "try-runtime wasm not found at $wasm" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

best="$("$node_bin" chain-info "$@" 2>/dev/null | sed -n 's/.*"best_number": *\([0-9]*\).*/\1/p')"
[ -n "$best" ] || { echo "cannot read the chain's best block (is the node stopped?)" >&2; exit 1; }
[ "$best" -ge 1 ] || { echo "the chain has no block beyond genesis" >&2; exit 1; }
# The default pruning keeps the state of the last 256 blocks.
first=$(( best > 200 ? best - 199 : 1 ))
echo "== try-runtime: chain at block #$best; snapshots of #$best and #$(( first - 1 )), blocks #$first..#$best"

"$node_bin" export-state "$@" "$best" > "$work/state-best.json" 2>"$work/export.log"
"$node_bin" export-state "$@" "$(( first - 1 ))" > "$work/state-parent.json" 2>>"$work/export.log"
"$node_bin" export-blocks "$@" --from "$first" --to "$best" --binary "$work/blocks.bin" 2>>"$work/export.log"

echo "== try-runtime: on-runtime-upgrade (snapshot of #$best)"
"$node_bin" try-runtime --runtime "$wasm" --snapshot "$work/state-best.json" on-runtime-upgrade

echo "== try-runtime: execute-blocks #$first..#$best"
"$node_bin" try-runtime --runtime "$wasm" --snapshot "$work/state-parent.json" \
  execute-blocks --blocks "$work/blocks.bin"

# The check must be able to fail: the same blocks on a snapshot whose total issuance was changed
# by one unit must stop at the first block's state root.
echo "== try-runtime: a tampered snapshot must fail"
node -e '
const fs = require("fs");
const [src, dst] = process.argv.slice(1);
const spec = JSON.parse(fs.readFileSync(src, "utf8"));
const key = "0xc2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80"; // Balances::TotalIssuance
const value = Buffer.from(spec.genesis.raw.top[key].slice(2), "hex");
value[0] ^= 1;
spec.genesis.raw.top[key] = "0x" + value.toString("hex");
fs.writeFileSync(dst, JSON.stringify(spec));
' "$work/state-parent.json" "$work/state-tampered.json"
if "$node_bin" try-runtime --runtime "$wasm" --snapshot "$work/state-tampered.json" \
  execute-blocks --blocks "$work/blocks.bin" > "$work/tampered.log" 2>&1; then
  echo "try-runtime accepted a tampered snapshot: the check cannot fail" >&2
  exit 1
fi
if ! grep -q "Storage root must match" "$work/tampered.log"; then
  echo "try-runtime failed on the tampered snapshot for another reason:" >&2
  tail -5 "$work/tampered.log" >&2
  exit 1
fi
echo "try-runtime: the tampered snapshot was refused (state root mismatch); all checks passed"
