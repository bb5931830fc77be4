#!/usr/bin/env bash
# Installs the system packages ScoreDesk's build, tests and screenshots need (Debian/Ubuntu).
# Safe to run again. Needs root (or sudo).
set -euo pipefail
packages=(
  pkg-config        # -sys crates' build scripts
  poppler-utils     # pdftotext / pdftoppm: PDF text-extraction tests
  qpdf              # qpdf --check in the PDF tests
  fonts-dejavu-core # a system font with glyphs the bundled font lacks (the fallback test)
  chromium          # the judge page in a real (headless) browser
  chromium-driver   # … driven by selenium
  fonts-wqy-microhei # Chinese text in the browser's screenshots
  python3-pip       # selenium from PyPI
  zbar-tools        # zbarimg: the printed join QR codes are read back in a test
)
if [[ "${1:-}" == "--gui" ]]; then
  # A real window under Xvfb (and screenshots of it).
  packages+=(xvfb xauth libgl1-mesa-dri libegl1 libxkbcommon-x11-0 imagemagick)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# selenium (PyPI) drives the headless Chromium in the judge-page test.
if ! python3 -c "import selenium" 2>/dev/null; then
  python3 -m pip install -q selenium
fi
