#!/usr/bin/env bash
# Browser journeys (e2e/README.md): Node's test runner drives Debian's Chromium through
# playwright-core against the demo province served from target/debug/cchc on a fresh
# SQLite database and a free loopback port (e2e/run.js loads the demo once into a
# template database; each test file serves its own copy). Screenshots of failures go to
# target/e2e/.
#
# Called by .ci/run after the SQLite test suite (which built target/debug/cchc); can be
# run alone: bash .ci/e2e.sh [node --test arguments, e.g. tests/leader.test.js]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

log() { printf '\n==> %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

log "Chromium and Node"
if [ ! -x /usr/bin/chromium ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
fi
/usr/bin/chromium --version
echo "node $(node --version)"

log "npm ci (e2e/)"
(cd e2e && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)

BIN="${CCHC_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/cchc}"
if [ ! -x "$BIN" ]; then
  log "cargo build -p cchc (debug)"
  cargo build -p cchc
fi
export CCHC_BIN="$BIN"

rm -rf "$ROOT/target/e2e"
log "browser journeys (node --test, one file at a time)"
started=$(date +%s)
status=0
(cd e2e && timeout --signal=INT --kill-after=30 "${E2E_TIMEOUT:-900}" node run.js "$@") || status=$?
echo "browser journeys: $(( $(date +%s) - started )) s, exit status $status"
if [ "$status" != 0 ] && [ -d "$ROOT/target/e2e" ]; then
  echo "screenshots of the failures:"
  ls -1 "$ROOT/target/e2e"
fi
exit "$status"
