#!/usr/bin/env bash
# make-font.sh — build assets/fonts/NotoSansSC-ScoreDesk.otf, the CJK font bundled
# into ScoreDesk, as a renamed subset of Noto Sans CJK SC (SIL OFL 1.1).
#
# Idempotent: every run rebuilds the font from the same inputs; with the same
# fonts-noto-cjk and fonttools versions the output is byte-identical
# (SOURCE_DATE_EPOCH pins head.modified).
#
# Needs: Debian package fonts-noto-cjk, Python 3 with fonttools (dev-only tool).
#   apt-get install -y fonts-noto-cjk && pip install fonttools
# Set INSTALL_DEPS=1 to have this script install them if missing.
#
# Env overrides:
#   SRC_TTC      source collection  (default: Debian's NotoSansCJK-Regular.ttc)
#   FACE_INDEX   face in the TTC    (default 2 = Noto Sans CJK SC; checked below)
#   SAMPLES_DIR  extra characters are taken from *.csv here (default tests/fixtures/samples)
#   PYTHON       python interpreter (default python3)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC_TTC="${SRC_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
FACE_INDEX="${FACE_INDEX:-2}"
SAMPLES_DIR="${SAMPLES_DIR:-$REPO/tests/fixtures/samples}"
PYTHON="${PYTHON:-python3}"
OUT_DIR="$REPO/assets/fonts"
OUT="$OUT_DIR/NotoSansSC-ScoreDesk.otf"
MAX_BYTES=12582912                     # 12 MiB hard limit
EXPECTED_PKG_VERSION="1:20220127+repack1-1"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1643241600}"   # 2022-01-27, the source release

# ---- dependencies ---------------------------------------------------------
if [[ ! -f "$SRC_TTC" ]]; then
  if [[ "${INSTALL_DEPS:-0}" == 1 ]]; then
    apt-get update && apt-get install -y fonts-noto-cjk
  else
    echo "error: $SRC_TTC missing; apt-get install -y fonts-noto-cjk (or INSTALL_DEPS=1)" >&2; exit 1
  fi
fi
if ! "$PYTHON" -c 'import fontTools' 2>/dev/null; then
  if [[ "${INSTALL_DEPS:-0}" == 1 ]]; then
    "$PYTHON" -m pip install fonttools
  else
    echo "error: fonttools missing; pip install fonttools (or INSTALL_DEPS=1)" >&2; exit 1
  fi
fi
PKG_VERSION="$(dpkg-query -W -f='${Version}' fonts-noto-cjk 2>/dev/null || echo unknown)"
if [[ "$PKG_VERSION" != "$EXPECTED_PKG_VERSION" ]]; then
  echo "warning: fonts-noto-cjk is $PKG_VERSION, README documents $EXPECTED_PKG_VERSION" >&2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT_DIR"

# ---- check the face, collect code points -----------------------------------
# Writes $WORK/base.txt (BMP ranges + sample characters) and $WORK/extb.txt
# (CJK Ext-B..F + compatibility supplement, U+20000-2FA1F, as covered by the face).
"$PYTHON" - "$SRC_TTC" "$FACE_INDEX" "$SAMPLES_DIR" "$WORK" <<'PY'
import glob, os, sys, zipfile
from fontTools.ttLib import TTFont
src, face, samples, work = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
f = TTFont(src, fontNumber=face, lazy=True)
fam = f["name"].getDebugName(1)
if fam != "Noto Sans CJK SC":
    sys.exit(f"error: face {face} of {src} is {fam!r}, expected 'Noto Sans CJK SC'")
cmap = f.getBestCmap()

ranges = [(0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x218F),
          (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0x3400, 0x4DBF),
          (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)]
base = {u for a, b in ranges for u in range(a, b + 1)}

def text_of(path):
    data = open(path, "rb").read()
    if "gbk" in os.path.basename(path).lower():
        return data.decode("gb18030")
    return data.decode("utf-8-sig")

sample = set()
if os.path.isdir(samples):
    for p in sorted(glob.glob(os.path.join(samples, "*.csv"))):
        sample |= {ord(c) for c in text_of(p)}
    for p in sorted(glob.glob(os.path.join(samples, "*.xlsx"))):   # bonus: xlsx strings
        with zipfile.ZipFile(p) as z:
            for n in z.namelist():
                if n.endswith(".xml"):
                    sample |= {ord(c) for c in z.read(n).decode("utf-8")}
else:
    print(f"warning: {samples} not found; using the ranges only", file=sys.stderr)
# characters the app is known to need whatever the samples hold
sample |= {ord(c) for c in "䶮\U0002CB4E\U0002C317堃喆·"}
sample = {u for u in sample if u >= 0x20}
missing = sorted(u for u in sample if u not in cmap)
if missing:
    print("warning: the source face lacks " + " ".join(f"U+{u:04X}" for u in missing), file=sys.stderr)

extb = {u for u in cmap if 0x20000 <= u <= 0x2FA1F}
def write(name, cps):
    with open(os.path.join(work, name), "w") as fh:
        fh.write("\n".join(f"U+{u:04X}" for u in sorted(cps)) + "\n")
write("base.txt", base | sample)
write("extb.txt", base | sample | extb)
print(f"face {face}: {fam}; sample chars {len(sample)}; Ext-B..F chars in face {len(extb)}")
PY

# ---- subset ----------------------------------------------------------------
subset() {  # $1 = unicodes file, $2 = output, rest = extra options
  local uni="$1" out="$2"; shift 2
  "$PYTHON" -m fontTools.subset "$SRC_TTC" \
    --font-number="$FACE_INDEX" \
    --unicodes-file="$uni" \
    --layout-features='' \
    --no-hinting \
    --name-IDs='*' \
    --notdef-outline \
    --output-file="$out" "$@"
}
size_of() { stat -c %s "$1"; }

pick_smaller() {  # $1 = unicodes file, $2 = result path
  subset "$1" "$WORK/plain.otf"
  subset "$1" "$WORK/desub.otf" --desubroutinize
  local a b; a=$(size_of "$WORK/plain.otf"); b=$(size_of "$WORK/desub.otf")
  echo "  subroutinized: $a bytes, desubroutinized: $b bytes"
  if (( b < a )); then mv "$WORK/desub.otf" "$2"; else mv "$WORK/plain.otf" "$2"; fi
}

echo "subsetting with CJK Ext-B..F (U+20000-2FA1F) ..."
pick_smaller "$WORK/extb.txt" "$WORK/subset.otf"
if (( $(size_of "$WORK/subset.otf") > MAX_BYTES )); then
  echo "  too big; falling back to BMP ranges + sample characters only"
  pick_smaller "$WORK/base.txt" "$WORK/subset.otf"
  COVERAGE="bmp+samples"
else
  COVERAGE="bmp+extB-F"
fi

# ---- rename (OFL Modified Version) ------------------------------------------
"$PYTHON" - "$WORK/subset.otf" "$WORK/final.otf" <<'PY'
import sys
from fontTools.ttLib import TTFont
src, dst = sys.argv[1], sys.argv[2]
f = TTFont(src)
family, style, ps = "ScoreDesk Sans SC", "Regular", "ScoreDeskSansSC-Regular"
ver = f"{f['head'].fontRevision:.3f}"
name = f["name"]
for rec in list(name.names):       # drop any non-English leftovers of the old name
    if rec.nameID in (1, 3, 4, 6, 16, 17, 21, 22) and not (rec.platformID == 3 and rec.langID == 0x409):
        name.removeNames(nameID=rec.nameID, platformID=rec.platformID,
                         platEncID=rec.platEncID, langID=rec.langID)
new = {1: family, 2: style, 3: f"{ver};SCOREDESK;{ps}", 4: f"{family} {style}", 6: ps,
       16: family, 17: style}
for nid, s in new.items():
    name.setName(s, nid, 3, 1, 0x409)
name.setName(name.getDebugName(5) + "; subset for ScoreDesk from Noto Sans CJK SC", 5, 3, 1, 0x409)
if "CFF " in f:
    cff = f["CFF "].cff
    old = cff.fontNames[0]
    cff.fontNames[0] = ps
    td = cff.topDictIndex[0]
    td.FullName, td.FamilyName = f"{family} {style}", family
    if hasattr(td, "FDArray"):
        for fd in td.FDArray:
            if getattr(fd, "FontName", None):
                fd.FontName = fd.FontName.replace(old, ps)
f.save(dst)
PY

mv "$WORK/final.otf" "$OUT"
SIZE=$(size_of "$OUT")
echo "wrote $OUT: $SIZE bytes ($COVERAGE), fonts-noto-cjk $PKG_VERSION"
if (( SIZE > MAX_BYTES )); then echo "error: $OUT exceeds $MAX_BYTES bytes" >&2; exit 1; fi
