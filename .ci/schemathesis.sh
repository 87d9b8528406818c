#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document (issue 20 "Hardening"): serves the
# demo province from the debug binary on a fresh SQLite database, signs in as `admin`
# and lets schemathesis generate requests for every documented operation. Fails on any
# server error (5xx), any response whose status, content type, headers or body the
# document does not describe, and on a run that tested nothing.
#
# Called by .ci/run after the SQLite test suite (which built target/debug/cchc); can be
# run alone: bash .ci/schemathesis.sh
#
# Bounds: ST_MAX_EXAMPLES cases per operation and phase (default 25), ST_TIMEOUT seconds
# for the whole run (default 600; a normal run takes a few minutes on 2 cores), ST_SEED
# the seed (default 20: CI runs are reproducible; set another to explore).
#
# Excluded operations, and why:
# - POST /api/v1/auth/logout ends the fuzzer's own token; every later request would be a
#   (documented) 401 and test nothing.
# - POST /api/v1/auth/password changes the fuzzer's own password, which ends its token
#   the same way if a generated "current" ever matched.
# Other ways the fuzzer could lock itself out are refused by the server itself with a 4xx
# (deactivating or resetting the password of one's own account, removing one's own admin
# role, changing one's own agency or roles), so those operations are fuzzed too.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ST_VERSION=4.32.5
ST_MAX_EXAMPLES="${ST_MAX_EXAMPLES:-25}"
ST_TIMEOUT="${ST_TIMEOUT:-600}"
VENV="${CCHC_SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/cchc/schemathesis-$ST_VERSION}"
PYTHON="$(command -v python3.11 || command -v python3)"

log() { printf '\n==> %s\n' "$*"; }

log "schemathesis $ST_VERSION"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
"$VENV/bin/schemathesis" --version

BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cchc"
if [ ! -x "$BIN" ]; then
  log "cargo build -p cchc (debug)"
  cargo build -p cchc
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cchc-schemathesis.XXXXXX")"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

log "cchc serve --demo on $BASE (database in $WORK)"
# From the temporary folder, so that no cchc.toml of the checkout is read and nothing is
# written beside it.
(
  cd "$WORK"
  CCHC_DATABASE_URL="sqlite://$WORK/d.db?mode=rwc" \
    CCHC_LISTEN="127.0.0.1:$PORT" \
    CCHC_SYNC_DIR="$WORK/sync" \
    CCHC_LOG=warn \
    exec "$BIN" serve --demo >"$WORK/server.log" 2>&1
) &
SERVER_PID=$!

ready=0
for _ in $(seq 1 300); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  if "$PYTHON" -c "import urllib.request, sys; urllib.request.urlopen('$BASE/healthz', timeout=2)" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 1
done
if [ "$ready" != 1 ]; then
  echo "the server did not answer on $BASE/healthz"
  tail -n 50 "$WORK/server.log" || true
  exit 1
fi

TOKEN="$("$PYTHON" - "$BASE" <<'EOF'
import json, sys, urllib.request
req = urllib.request.Request(
    sys.argv[1] + "/api/v1/auth/login",
    data=json.dumps({"username": "admin", "password": "demo"}).encode(),
    headers={"Content-Type": "application/json"},
)
print(json.load(urllib.request.urlopen(req, timeout=30))["token"])
EOF
)"

log "schemathesis run $BASE/api/openapi.json (at most $ST_MAX_EXAMPLES cases per operation and phase)"
started=$(date +%s)
status=0
# Run from the temporary folder too: nothing is left in the checkout.
(cd "$WORK" && timeout --signal=INT --kill-after=30 "$ST_TIMEOUT" \
  "$VENV/bin/schemathesis" --config-file "$ROOT/.ci/schemathesis.toml" run "$BASE/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --exclude-path /api/v1/auth/logout \
  --exclude-path /api/v1/auth/password \
  --max-examples "$ST_MAX_EXAMPLES" \
  --seed "${ST_SEED:-20}" \
  --workers 2 \
  --request-timeout 60 \
  --generation-database none \
  --no-color \
  --report junit,ndjson --report-dir "$WORK/report") \
  | tee "$WORK/schemathesis.log" || status=$?
elapsed=$(( $(date +%s) - started ))

cases="$("$PYTHON" - "$WORK/report" <<'EOF'
import glob, json, sys
n = 0
for path in glob.glob(sys.argv[1] + "/*.ndjson"):
    for line in open(path, encoding="utf-8"):
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        for key, v in ev.items():
            if key == "ScenarioFinished":
                n += len((v.get("recorder") or {}).get("cases") or {})
print(n)
EOF
)"
echo "schemathesis: $cases test cases in ${elapsed}s, exit status $status"

if grep -qi "panicked\|internal error" "$WORK/server.log"; then
  echo "the server logged internal errors:"
  grep -i -B2 -A5 "panicked\|internal error" "$WORK/server.log" | tail -n 60
  status=1
fi
if [ "${cases:-0}" -eq 0 ]; then
  echo "no test case ran"
  status=1
fi
exit "$status"
