#!/usr/bin/env bash
# Cross-builds scoredesk.exe for Windows (x86_64-pc-windows-gnu) with Debian's mingw-w64, in the
# `dist` profile (thin LTO; see Cargo.toml), and the installer with Debian's NSIS:
#   scripts/build-windows.sh            → $CARGO_TARGET_DIR (default target)/x86_64-pc-windows-gnu/
#                                          dist/scoredesk.exe and dist/scoredesk-setup.exe
#   scripts/build-windows.sh --check    → also installs it silently under wine (/S), starts it,
#                                          and uninstalls it (+ Xvfb for a screenshot)
# The check needs ../shared/tools/winstub (a test-only shim for Wine 8; never ship it).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
need=(gcc-mingw-w64-x86-64 nsis)
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
cargo build --profile dist --target x86_64-pc-windows-gnu --bin scoredesk
# Where cargo put it: CARGO_TARGET_DIR when set (a shared target folder), else target/.
target_dir="${CARGO_TARGET_DIR:-target}"
exe="$target_dir/x86_64-pc-windows-gnu/dist/scoredesk.exe"
[[ -f "$exe" ]] || { echo "error: $exe was not built" >&2; exit 1; }
ls -la "$exe"
mkdir -p dist
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
makensis -V2 -DEXE="$(realpath "$exe")" -DOUT="$(pwd)/dist/scoredesk-setup.exe" \
  -DVERSION="$version" scripts/windows-installer.nsi
ls -la dist/scoredesk-setup.exe
[[ "${1:-}" == "--check" ]] || exit 0

# Install it silently under wine, run the installed exe (with the test-only shim beside it),
# then uninstall it silently and check that nothing is left.
run=$(mktemp -d)
export WINEDEBUG=-all WINEPREFIX="$run/prefix"
wine dist/scoredesk-setup.exe /S
installed="$WINEPREFIX/drive_c/Program Files/ScoreDesk"
[[ -f "$installed/scoredesk.exe" && -f "$installed/uninstall.exe" ]] \
  || { echo "error: the installer did not install into $installed" >&2; exit 1; }
wine reg query 'HKCR\.sdkit' | grep -q ScoreDesk.Kit || { echo "error: .sdkit not associated" >&2; exit 1; }
echo "installed: $installed"
cp "$installed/scoredesk.exe" "$run/"
../shared/tools/winstub/build.sh "$run/bcryptprimitives.dll" >/dev/null
(cd "$run" && wine scoredesk.exe --version)
(cd "$run" && wine scoredesk.exe demo demo.sqlite --contestants 40)
(cd "$run" && wine scoredesk.exe results demo.sqlite --event E05 --format json > results.json)
head -c 300 "$run/results.json"; echo
mkdir -p docs
../shared/tools/screenshot.sh docs/windows-wine.png 45 bash -c "cd '$run' && wine scoredesk.exe gui demo.sqlite"
echo "screenshot: docs/windows-wine.png"

# Uninstall silently: the program, its Start-menu entry and the association are gone.
wine "$installed/uninstall.exe" /S _?="$installed"
rm -f "$installed/uninstall.exe"
sleep 2
[[ ! -f "$installed/scoredesk.exe" ]] || { echo "error: the uninstaller left scoredesk.exe" >&2; exit 1; }
if wine reg query 'HKCR\.sdkit' >/dev/null 2>&1; then
  echo "error: the uninstaller left the .sdkit association" >&2
  exit 1
fi
echo "uninstalled"
