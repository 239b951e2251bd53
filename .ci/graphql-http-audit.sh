#!/usr/bin/env bash
# Runs the graphql-http server audit (npm package graphql-http) against a freshly started lvzhi
# on a throw-away SQLite database. Fails on any failing MUST or SHOULD.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
port="${LVZHI_AUDIT_PORT:-18089}"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --locked --quiet
./target/debug/lvzhi --database-url "sqlite://$work/audit.db?mode=rwc" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done

cp .ci/graphql-http-audit.mjs "$work/audit.mjs"
(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --silent --no-audit --no-fund graphql-http@1.23.1 graphql@16 >/dev/null 2>&1)
node "$work/audit.mjs" "http://127.0.0.1:$port/graphql"
