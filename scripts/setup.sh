#!/usr/bin/env bash
# Installs what building and testing the project needs on a fresh Debian machine, and nothing
# that is already there: protoc and clang (apt), the pinned Rust toolchain with its wasm targets
# and rust-src (rust-toolchain.toml, through rustup), OpenSSL's headers and pkg-config (the
# multi-validator tests' zombienet-sdk links OpenSSL), and the end-to-end tests' npm packages
# (npm ci from e2e/package-lock.json). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
if [ "${#need_apt[@]}" -gt 0 ]; then
	sudo_cmd=""
	[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
	echo "setup: installing ${need_apt[*]}"
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# rustup installs the channel, components and targets listed in rust-toolchain.toml.
if ! command -v rustup >/dev/null 2>&1; then
	echo "setup: rustup is required (https://rustup.rs)" >&2
	exit 1
fi
rustup toolchain install >/dev/null

for dir in e2e; do
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		echo "setup: npm ci ($dir)"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done
echo "setup: done"
