#!/usr/bin/env bash
# `npm start` with no credentials must enter Probot's setup mode (the manifest flow from app.yml).
set -uo pipefail
port=$((30000 + RANDOM % 20000))
log=$(mktemp)
# A session of its own, so that stopping it stops npm, its shell and probot together
# (killing npm alone leaves `probot run` behind, still holding the port).
setsid env -u APP_ID -u PRIVATE_KEY -u PRIVATE_KEY_PATH -u WEBHOOK_SECRET PORT=$port npm start >"$log" 2>&1 &
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null; sleep 1; kill -KILL -- -$pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  body=$(curl -fsS "http://127.0.0.1:$port/probot" 2>/dev/null) && break
  sleep 1
done
if grep -qi "register github app" <<<"${body:-}"; then
  echo "setup mode answered on :$port/probot"
  exit 0
fi
echo "npm start did not reach setup mode; its output:"
cat "$log"
exit 1
