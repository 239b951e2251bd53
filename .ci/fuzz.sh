#!/usr/bin/env bash
# Schema-driven fuzzing: Schemathesis (GraphQL mode) sends every query and mutation with
# generated arguments, as every role of the demo committee and anonymously, against a server
# on a throw-away SQLite database; then .ci/fuzz_raw.py sends hand-made hostile documents.
# Fails on any INTERNAL_SERVER_ERROR, HTTP 500 or a server that stops answering.
# Bounded in time: LVZHI_FUZZ_SECONDS per role (default 15), ten roles.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
port="${LVZHI_FUZZ_PORT:-18091}"
seconds="${LVZHI_FUZZ_SECONDS:-15}"
url="http://127.0.0.1:$port/graphql"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5

cargo build --locked --quiet
./target/debug/lvzhi --demo --database-url "sqlite://$work/fuzz.db?mode=rwc" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.3
done

token() {
  curl -fsS -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { login(input: {username: \\\"$1\\\", password: \\\"lvzhi-demo-2024\\\"}) { token } }\"}" "$url" |
    "$work/venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])'
}

tokens=()
total=0
# ADMIN last: its disableAccount and resetPassword may stop the other roles' accounts.
for role in anonymous viewer member unit studio committee convener group office admin; do
  header=()
  if [ "$role" != anonymous ]; then
    t="$(token "$role")"
    tokens+=("$t")
    header=(-H "Authorization: Bearer $t")
  fi
  printf '\n== fuzzing as %s\n' "$role"
  # logout and endAllSessions would end the token the run uses.
  (cd .ci && SCHEMATHESIS_HOOKS=fuzz_hooks "$work/venv/bin/schemathesis" run "$url" "${header[@]}" \
    --checks no_internal_server_error --exclude-name Mutation.logout --exclude-name Mutation.endAllSessions \
    --max-time "$seconds" --workers 2 --no-color) | tee "$work/$role.out" | grep -E "passed|failed|generated|❌" || true
  if grep -q "failures\?," "$work/$role.out" || ! grep -q "generated" "$work/$role.out"; then
    echo "fuzzing as $role found failures (or did not run)"
    exit 1
  fi
  n="$(grep -oE '[0-9]+ generated' "$work/$role.out" | grep -oE '[0-9]+' | tail -n 1)"
  total=$((total + n))
done
echo
echo "Schemathesis: $total generated requests in all, no internal server error"

"$work/venv/bin/python" .ci/fuzz_raw.py "$url" "${tokens[@]}"
curl -fsS "http://127.0.0.1:$port/health" >/dev/null
if grep -q "panicked" "$work/server.log"; then
  echo "the server log shows a panic"
  exit 1
fi
echo "the server answered to the end"
