#!/usr/bin/env bash
# Cross-check the server load test's raw-client figures with wrk (apt-get install wrk): both standalone
# servers, the same botocore-signed requests, 4 and 16 connections, 5 s each. Run from the repository root.
set -euo pipefail
PY=${PYTHON:-.venv/bin/python}
OURS_PORT=${OURS_PORT:-5101}
MOTO_PORT=${MOTO_PORT:-5102}
WORK=$(mktemp -d)
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
"$PY" -m moto_glue_workflows -H 127.0.0.1 -p "$OURS_PORT" >"$WORK/ours.log" 2>&1 &
OURS=$!
"$PY" -m moto.server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
MOTO=$!
trap 'kill $OURS $MOTO; rm -rf "$WORK"' EXIT
for port in "$OURS_PORT" "$MOTO_PORT"; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" && break; sleep 0.2; done
done
ROWS="glue.GetWorkflow@plugin:$OURS_PORT glue.GetJobRun@plugin:$OURS_PORT datazone.GetJobRun@plugin:$OURS_PORT"
ROWS="$ROWS glue.GetWorkflow@moto:$MOTO_PORT"
for row in $ROWS; do
  "$PY" -m benchmarks.wrk_lua "http://127.0.0.1:${row##*:}" "${row%%:*}" "$WORK/${row%%:*}.lua"
done
for connections in 4 16; do
  for row in $ROWS; do
    echo "== ${row%%:*} on port ${row##*:}, $connections connections"
    wrk -t1 -c"$connections" -d5s --latency -s "$WORK/${row%%:*}.lua" "http://127.0.0.1:${row##*:}" \
      | grep -E "Requests/sec|99%|Non-2xx|Socket errors"
  done
done
