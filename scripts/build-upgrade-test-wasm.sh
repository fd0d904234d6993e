#!/usr/bin/env bash
# Builds the runtime with its `upgrade-test` feature for the end-to-end runtime-upgrade test and
# prints the path of its compressed wasm (scripts/build-feature-runtime.sh upgrade-test).
set -euo pipefail
exec bash "$(dirname "$0")/build-feature-runtime.sh" upgrade-test
