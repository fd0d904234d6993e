#!/usr/bin/env bash
# Prints the `[profile.release.package]` entries of the root Cargo.toml: one `opt-level = 0`
# line for every crate (name:version) that only the multi-validator tests' orchestration
# (zombienet/, through zombienet-sdk) builds, and no other member of the workspace (the node,
# the runtime, the client, the pallets, their tests and benchmarks). A node built alone
# (`cargo build --release -p allora-node`) builds none of them.
# With --check, fails if the root Cargo.toml's list differs (the test command runs this).
set -euo pipefail
cd "$(dirname "$0")/.."

crates() {
	cargo tree --locked -e normal,build,dev --prefix none "$@" 2>/dev/null |
		sed 's/ (\*)//; s/ (proc-macro)//' | awk '{ print $1 " " $2 }' | sort -u
}
base="$(mktemp)"
trap 'rm -f "$base"' EXIT
# Everything any other member of the workspace builds (tests and benchmarks included) keeps the
# release profile.
crates --workspace --exclude allora-zombienet > "$base"
list="$(crates -p allora-zombienet | comm -23 - "$base" | grep -v '^allora-zombienet ' |
	awk '{ v = $2; sub(/^v/, "", v); printf "\"%s:%s\" = { opt-level = 0 }\n", $1, v }')"
[ -n "$list" ] || { echo "zombienet-only-crates: cargo tree found nothing (is the registry fetched?)" >&2; exit 1; }

if [ "${1:-}" = "--check" ]; then
	current="$(sed -n '/^\[profile\.release\.package\]$/,/^\[/p' Cargo.toml | grep '^"')"
	if [ "$current" != "$list" ]; then
		echo "Cargo.toml's [profile.release.package] list is stale; replace it with the output of" >&2
		echo "bash scripts/zombienet-only-crates.sh. Differences (< Cargo.toml, > now):" >&2
		diff <(echo "$current") <(echo "$list") >&2 || true
		exit 1
	fi
	echo "zombienet-only-crates: Cargo.toml's list is current ($(echo "$list" | wc -l) crates)"
else
	echo "$list"
fi
