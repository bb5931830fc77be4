#!/usr/bin/env bash
# Cross-builds scoredesk.exe for Windows (x86_64-pc-windows-gnu) with Debian's mingw-w64.
#   scripts/build-windows.sh            → target/x86_64-pc-windows-gnu/release/scoredesk.exe
#   scripts/build-windows.sh --check    → also starts it under wine (+ Xvfb) to prove it runs
# The check needs ../shared/tools/winstub (a test-only shim for Wine 8; never ship it).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
need=(gcc-mingw-w64-x86-64)
[[ "${1:-}" == "--check" ]] && need+=(wine wine64 xvfb xauth imagemagick libgl1-mesa-dri)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi
rustup target add x86_64-pc-windows-gnu >/dev/null
cargo build --release --target x86_64-pc-windows-gnu
exe=target/x86_64-pc-windows-gnu/release/scoredesk.exe
ls -la "$exe"
[[ "${1:-}" == "--check" ]] || exit 0

# Run it under wine from a scratch folder holding the exe and the test-only shim.
run=$(mktemp -d)
cp "$exe" "$run/"
../shared/tools/winstub/build.sh "$run/bcryptprimitives.dll" >/dev/null
export WINEDEBUG=-all WINEPREFIX="$run/prefix"
(cd "$run" && wine scoredesk.exe --version)
(cd "$run" && wine scoredesk.exe demo demo.sqlite --contestants 40)
(cd "$run" && wine scoredesk.exe results demo.sqlite --event E05 --format json | head -c 300; echo)
mkdir -p docs
../shared/tools/screenshot.sh docs/windows-wine.png 45 bash -c "cd '$run' && wine scoredesk.exe gui demo.sqlite"
echo "screenshot: docs/windows-wine.png"
