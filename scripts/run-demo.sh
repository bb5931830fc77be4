#!/usr/bin/env bash
# Builds ScoreDesk, creates the demo competition (if it is not there yet) and opens it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --gui
cargo build --release
demo="${SCOREDESK_DEMO:-demo.sqlite}"
[[ -f "$demo" ]] || target/release/scoredesk demo "$demo"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "No display found: starting ScoreDesk inside Xvfb (screen :99). Use a desktop session to see the window." >&2
  exec xvfb-run -a -s "-screen 0 1440x900x24" target/release/scoredesk gui "$demo"
fi
exec target/release/scoredesk gui "$demo"
