#!/usr/bin/env bash
# The test command (README and CI): installs what the tests need, then runs every test
# (unit, property, store, CLI, report and UI tests) and prints one closing total.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --lib --tests: the library's unit tests and every file in tests/ (no doc-tests: there are none).
cargo test --lib --tests "$@" 2>&1 | tee "$log"
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "total: %d passed, %d failed\n", p, f }' "$log"
