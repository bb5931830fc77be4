#!/usr/bin/env bash
# The test command (README and CI): installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo test "$@"
