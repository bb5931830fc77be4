#!/usr/bin/env bash
# Certificate benchmark (dev-only; not a timed test): `scoredesk export certificates` — opening
# the competition file and computing the results included — against reportlab drawing the same
# pages from the award list with a CJK TrueType font. Prints both times, the ratio, the PDF
# sizes and ScoreDesk's peak memory. Targets (issue 14): ≥ 3× reportlab at about 1,000
# certificates, ≥ 5× at about 15,000, peak memory < 200 MB, ≤ 1.2 MB per 1,000 certificates.
# `SCOREDESK_TIMING=1 scoredesk export …` prints the phases (load, layout, pdf) of one run.
#
# Needs: a release build (built here if missing), python3 with reportlab (pip install reportlab),
# poppler-utils (pdfinfo). reportlab uses FONT (default: the bundled 楷体 face, TrueType — the
# face ScoreDesk sets the certificate body in).
# Env: CONTESTANTS (default 120 → about 1,000 awards), RUNS (default 3; the best run counts),
#   EVENT (e.g. 综合: only the overall certificates — 1,080 of them at CONTESTANTS=1800).
# Venue size (issue 14): CONTESTANTS=1800 EVENT=综合 (1,080 certificates) and CONTESTANTS=1800
#   (all, about 15,000). Peak memory of the ScoreDesk run is printed too. Without reportlab
#   (or the font) only ScoreDesk's figures are printed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FONT="${FONT:-$REPO/assets/fonts/ScoreDeskKaiSC-Regular.ttf}"
CONTESTANTS="${CONTESTANTS:-120}"
RUNS="${RUNS:-3}"
EVENT="${EVENT:-}"
BIN="$REPO/target/release/scoredesk"

REPORTLAB=1
[[ -f "$FONT" ]] || { echo "note: TrueType CJK font $FONT missing (set FONT=…): ScoreDesk only" >&2; REPORTLAB=0; }
python3 -c 'import reportlab' 2>/dev/null || { echo "note: reportlab missing (pip install reportlab): ScoreDesk only" >&2; REPORTLAB=0; }
(cd "$REPO" && cargo build --release --quiet --bin scoredesk)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$BIN" demo "$WORK/big.sqlite" --contestants "$CONTESTANTS" --seed 2025 >/dev/null
"$BIN" export csv "$WORK/big.sqlite" --out "$WORK/csv" >/dev/null 2>&1

now() { python3 -c 'import time; print(time.perf_counter())'; }
best() { python3 -c 'import sys; print(min(float(x) for x in sys.argv[1:]))' "$@"; }

sd_times=()
rl_times=()
EVENT_ARGS=()
[[ -n "$EVENT" ]] && EVENT_ARGS=(--event "$EVENT")
# reportlab draws the same certificates: the award list's rows (only the overall's with EVENT=综合).
AWARDS_CSV="$WORK/csv/公示名单.csv"
if [[ -n "$EVENT" ]]; then
  python3 - "$AWARDS_CSV" "$WORK/selected.csv" "$EVENT" <<'PY'
import csv, sys
src, dst, event = sys.argv[1:]
with open(src, encoding="utf-8-sig") as f, open(dst, "w", encoding="utf-8-sig", newline="") as g:
    r = csv.reader(f); w = csv.writer(g)
    header = next(r); w.writerow(header)
    col = next((i for i, h in enumerate(header) if h in ("项目", "奖项")), None)
    for row in r:
        if col is None or event in row[col]:
            w.writerow(row)
PY
  AWARDS_CSV="$WORK/selected.csv"
fi
peak_kb=0
for ((i = 0; i < RUNS; i++)); do
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/mem" \
    "$BIN" export certificates "$WORK/big.sqlite" "${EVENT_ARGS[@]}" --out "$WORK/scoredesk.pdf" >/dev/null 2>&1
  t1=$(date +%s.%N)
  peak_kb=$(cat "$WORK/mem")
  if [[ $REPORTLAB == 1 ]]; then
    python3 "$REPO/benches/reportlab_certificates.py" "$AWARDS_CSV" "$FONT" \
      "$WORK/reportlab.pdf" 2>/dev/null
  fi
  t2=$(date +%s.%N)
  sd_times+=("$(python3 -c "print($t1 - $t0)")")
  rl_times+=("$(python3 -c "print($t2 - $t1)")")
done
if [[ $REPORTLAB == 0 ]]; then
  sd=$(best "${sd_times[@]}")
  pages_sd=$(pdfinfo "$WORK/scoredesk.pdf" | awk '/^Pages:/ {print $2}')
  size_sd=$(stat -c %s "$WORK/scoredesk.pdf")
  echo "scoredesk export certificates: $pages_sd pages in ${sd} s, $((size_sd / 1000)) kB, peak $((peak_kb / 1024)) MB"
  exit 0
fi
sd=$(best "${sd_times[@]}")
rl=$(best "${rl_times[@]}")
pages_sd=$(pdfinfo "$WORK/scoredesk.pdf" | awk '/^Pages:/ {print $2}')
pages_rl=$(pdfinfo "$WORK/reportlab.pdf" | awk '/^Pages:/ {print $2}')
size_sd=$(stat -c %s "$WORK/scoredesk.pdf")
size_rl=$(stat -c %s "$WORK/reportlab.pdf")
python3 - "$sd" "$rl" "$pages_sd" "$pages_rl" "$size_sd" "$size_rl" "$peak_kb" <<'PY'
import sys
sd, rl = float(sys.argv[1]), float(sys.argv[2])
p_sd, p_rl, s_sd, s_rl, peak = map(int, sys.argv[3:])
target = 5 if p_sd >= 10_000 else 3
per_1000 = s_sd / 1e6 / max(p_sd, 1) * 1000
print(f"scoredesk export certificates: {p_sd} pages in {sd:.3f} s (load + results + layout + PDF), {s_sd / 1e6:.2f} MB, peak memory {peak / 1024:.0f} MB")
print(f"reportlab (CJK TTF):           {p_rl} pages in {rl:.3f} s, {s_rl / 1e6:.2f} MB")
print(f"ratio: scoredesk is {rl / sd:.1f}x faster (target >= {target}x); {per_1000:.2f} MB per 1,000 (target <= 1.2); peak {peak / 1024:.0f} MB (target < 200 MB at 15,000)")
PY
