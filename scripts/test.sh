#!/usr/bin/env bash
# The test command (README and CI): installs what the tests need, then runs every test
# (unit, property, store, CLI, report, UI, kits, venue network; then the judge page in a headless
# Chromium) and prints one closing total.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --lib --tests: the library's unit tests and every file in tests/ (no doc-tests: there are none).
cargo test --lib --tests "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The judge page for phones, in a real browser (selenium + Debian's chromium), on 127.0.0.1.
bin="${CARGO_TARGET_DIR:-target}/debug/scoredesk"
page=0
python3 tests/browser/judge_page.py "$bin" tests/fixtures/samples 2>&1 | tee -a "$log" || page=1
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "total: %d passed, %d failed\n", p, f }' "$log"
exit $(( status != 0 || page != 0 ))
