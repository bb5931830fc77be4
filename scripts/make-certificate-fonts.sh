#!/usr/bin/env bash
# make-certificate-fonts.sh — build the two certificate faces bundled into ScoreDesk, as
# renamed subsets (SIL OFL 1.1 Modified Versions):
#
#   assets/fonts/ScoreDeskKaiSC-Regular.ttf  楷体 body: LXGW WenKai Regular (fonts-lxgw-wenkai),
#       every CJK ideograph it has (U+4E00–9FFF, Ext-A, Ext-B–F) plus Latin and punctuation.
#   assets/fonts/ScoreDeskSerifSC-Bold.otf   宋体/明朝 display (the 荣誉证书 title): Noto Serif
#       CJK SC Bold (fonts-noto-cjk), GB2312 plus Latin and punctuation.
#
# A character a face lacks is drawn with the bundled sans font (src/report/font.rs), so a rare
# name character is never dropped; it only changes style.
#
# Idempotent: the same package and fonttools versions give byte-identical files
# (SOURCE_DATE_EPOCH pins head.modified). Needs the Debian packages fonts-lxgw-wenkai and
# fonts-noto-cjk and Python 3 with fonttools (dev-only; INSTALL_DEPS=1 installs them).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAI_SRC="${KAI_SRC:-/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf}"
SERIF_SRC="${SERIF_SRC:-/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc}"
PYTHON="${PYTHON:-python3}"
OUT_DIR="$REPO/assets/fonts"
MAX_TOTAL=26214400   # 25 MiB for every bundled font together (issue 14)
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1674864000}"   # 2023-01-28, the WenKai package

if [[ ! -f "$KAI_SRC" || ! -f "$SERIF_SRC" ]]; then
  if [[ "${INSTALL_DEPS:-0}" == 1 ]]; then
    apt-get update && apt-get install -y fonts-lxgw-wenkai fonts-noto-cjk
  else
    echo "error: $KAI_SRC or $SERIF_SRC missing; apt-get install -y fonts-lxgw-wenkai fonts-noto-cjk (or INSTALL_DEPS=1)" >&2
    exit 1
  fi
fi
if ! "$PYTHON" -c 'import fontTools' 2>/dev/null; then
  if [[ "${INSTALL_DEPS:-0}" == 1 ]]; then
    "$PYTHON" -m pip install fonttools
  else
    echo "error: fonttools missing; pip install fonttools (or INSTALL_DEPS=1)" >&2; exit 1
  fi
fi

"$PYTHON" - "$KAI_SRC" "$SERIF_SRC" "$OUT_DIR" <<'PY'
import os, sys
from fontTools import subset
from fontTools.ttLib import TTFont

kai_src, serif_src, out_dir = sys.argv[1:4]

def gb2312():
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out

BASE = set()
for a, b in [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F),
             (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]:
    BASE |= set(range(a, b + 1))
IDEOGRAPHS = set(range(0x3400, 0x4DC0)) | set(range(0x4E00, 0xA000)) | set(range(0x20000, 0x2FA20))

def build(src, number, family_want, unicodes, family, style, ps, note, dst):
    font = TTFont(src, fontNumber=number)
    have = font["name"].getDebugName(1)
    if have != family_want:
        sys.exit(f"error: {src}#{number} is {have!r}, expected {family_want!r}")
    cmap = font.getBestCmap()
    wanted = sorted(u for u in unicodes if u in cmap)
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "vhea", "vmtx", "VORG"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=wanted)
    sub.subset(font)
    # Rename (OFL: a Modified Version must not use the Reserved Font Names).
    ver = f"{font['head'].fontRevision:.3f}"
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            name.removeNames(nameID=rec.nameID, platformID=rec.platformID,
                             platEncID=rec.platEncID, langID=rec.langID)
    for nid, s in {1: family, 2: style, 3: f"{ver};SCOREDESK;{ps}", 4: f"{family} {style}",
                   6: ps, 16: family, 17: style}.items():
        name.setName(s, nid, 3, 1, 0x409)
    name.setName(name.getDebugName(5) + f"; subset for ScoreDesk from {note}", 5, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        old = cff.fontNames[0]
        cff.fontNames[0] = ps
        td = cff.topDictIndex[0]
        td.FullName, td.FamilyName = f"{family} {style}", family
        for fd in getattr(td, "FDArray", []) or []:
            if getattr(fd, "FontName", None):
                fd.FontName = fd.FontName.replace(old, ps)
    font.save(dst)
    print(f"wrote {dst}: {os.path.getsize(dst)} bytes, {len(wanted)} code points from {note}")

build(kai_src, 0, "LXGW WenKai", BASE | IDEOGRAPHS, "ScoreDesk Kai SC", "Regular",
      "ScoreDeskKaiSC-Regular", "LXGW WenKai Regular 1.250",
      os.path.join(out_dir, "ScoreDeskKaiSC-Regular.ttf"))
build(serif_src, 2, "Noto Serif CJK SC", BASE | gb2312(), "ScoreDesk Serif SC", "Bold",
      "ScoreDeskSerifSC-Bold", "Noto Serif CJK SC Bold 2.001",
      os.path.join(out_dir, "ScoreDeskSerifSC-Bold.otf"))
PY

TOTAL=$(cat "$OUT_DIR"/*.ttf "$OUT_DIR"/*.otf | wc -c)
echo "bundled fonts together: $TOTAL bytes"
if (( TOTAL > MAX_TOTAL )); then echo "error: bundled fonts exceed $MAX_TOTAL bytes" >&2; exit 1; fi
