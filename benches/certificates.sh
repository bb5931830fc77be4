#!/usr/bin/env bash
# Certificate benchmark (dev-only; not a timed test): `scoredesk export certificates` for about
# 1,000 certificates — loading the competition file and computing the results included — against
# reportlab drawing the same pages with a CJK TrueType font. Prints both times, the ratio and
# the PDF sizes. Target: ScoreDesk ≥ 3× faster than reportlab, PDF ≤ 2 MB.
#
# Needs: a release build (built here if missing), python3 with reportlab (pip install reportlab),
# poppler-utils (pdfinfo), and a TrueType-outline CJK font for reportlab:
#   FONT=/path/to/NotoSansSC-ScoreDesk.ttf   (default /tmp/font-exp/NotoSansSC-ScoreDesk.ttf; make
#   one from assets/fonts/*.otf with fonttools' otf2ttf if missing)
# Env: CONTESTANTS (default 120 → about 1,000 awards), RUNS (default 3; the best run counts).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FONT="${FONT:-/tmp/font-exp/NotoSansSC-ScoreDesk.ttf}"
CONTESTANTS="${CONTESTANTS:-120}"
RUNS="${RUNS:-3}"
BIN="$REPO/target/release/scoredesk"

[[ -f "$FONT" ]] || { echo "error: TrueType CJK font $FONT missing (set FONT=…)" >&2; exit 1; }
python3 -c 'import reportlab' 2>/dev/null || { echo "error: pip install reportlab" >&2; exit 1; }
(cd "$REPO" && cargo build --release --quiet --bin scoredesk)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$BIN" demo "$WORK/big.sqlite" --contestants "$CONTESTANTS" --seed 2025 >/dev/null
"$BIN" export csv "$WORK/big.sqlite" --out "$WORK/csv" >/dev/null 2>&1

now() { python3 -c 'import time; print(time.perf_counter())'; }
best() { python3 -c 'import sys; print(min(float(x) for x in sys.argv[1:]))' "$@"; }

sd_times=()
rl_times=()
for ((i = 0; i < RUNS; i++)); do
  t0=$(date +%s.%N)
  "$BIN" export certificates "$WORK/big.sqlite" --out "$WORK/scoredesk.pdf" >/dev/null 2>&1
  t1=$(date +%s.%N)
  python3 "$REPO/benches/reportlab_certificates.py" "$WORK/csv/公示名单.csv" "$FONT" \
    "$WORK/reportlab.pdf" 2>/dev/null
  t2=$(date +%s.%N)
  sd_times+=("$(python3 -c "print($t1 - $t0)")")
  rl_times+=("$(python3 -c "print($t2 - $t1)")")
done
sd=$(best "${sd_times[@]}")
rl=$(best "${rl_times[@]}")
pages_sd=$(pdfinfo "$WORK/scoredesk.pdf" | awk '/^Pages:/ {print $2}')
pages_rl=$(pdfinfo "$WORK/reportlab.pdf" | awk '/^Pages:/ {print $2}')
size_sd=$(stat -c %s "$WORK/scoredesk.pdf")
size_rl=$(stat -c %s "$WORK/reportlab.pdf")
python3 - "$sd" "$rl" "$pages_sd" "$pages_rl" "$size_sd" "$size_rl" <<'PY'
import sys
sd, rl = float(sys.argv[1]), float(sys.argv[2])
p_sd, p_rl, s_sd, s_rl = map(int, sys.argv[3:])
print(f"scoredesk export certificates: {p_sd} pages in {sd:.3f} s (load + results + layout + PDF), {s_sd / 1e6:.2f} MB")
print(f"reportlab (CJK TTF):           {p_rl} pages in {rl:.3f} s, {s_rl / 1e6:.2f} MB")
print(f"ratio: scoredesk is {rl / sd:.1f}x faster (target >= 3x); size {'ok' if s_sd <= 2_000_000 else 'OVER 2 MB'}")
PY
