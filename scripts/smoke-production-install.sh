#!/usr/bin/env bash
# What the Docker image does, without Docker: a production-only install (`npm ci --omit=dev
# --ignore-scripts`) in a clean folder with the compiled lib/, then the image's start command.
# Checks that nothing at run time needs a dev dependency, that the server answers /healthz and
# /metrics, refuses an unsigned delivery, accepts a signed one, and stops cleanly on SIGTERM;
# and that the Lambda and Action entries load from the same install.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

echo "== build lib/"
npm run build --silent

dir=$(mktemp -d)
log="$dir/server.log"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

echo "== production install in $dir"
cp package.json package-lock.json "$dir/"
cp -r lib bin "$dir/"
(cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
for dev in typescript jest eslint nock tsx; do
  if [ -e "$dir/node_modules/$dev" ]; then echo "dev dependency $dev was installed"; exit 1; fi
done

key=$(node -e 'const { generateKeyPairSync } = require("node:crypto");
process.stdout.write(generateKeyPairSync("rsa", { modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" } }).privateKey);')
secret="smoke-$RANDOM-$RANDOM"
port=$((30000 + RANDOM % 20000))
base="http://127.0.0.1:$port"

echo "== start (the image's CMD) on :$port"
(
  cd "$dir"
  exec env -i PATH="$PATH" HOME="$dir" NODE_ENV=production LOG_FORMAT=json LOG_LEVEL=info \
    APP_ID=12345 PRIVATE_KEY="$key" WEBHOOK_SECRET="$secret" HOST=127.0.0.1 PORT="$port" \
    node node_modules/probot/bin/probot.js run ./lib/index.js
) >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 50); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
fail() { echo "FAIL: $*"; echo "--- server log"; cat "$log"; exit 1; }

health=$(curl -fsS "$base/healthz") || fail "/healthz did not answer"
grep -q '"status":"ok"' <<<"$health" || fail "/healthz said $health"
echo "/healthz: $health"

# Read the whole answer first: `grep -q` closes the pipe at the first match, and under pipefail
# curl's "Failed writing body" would then fail the check whenever /metrics outgrows the pipe.
metrics=$(curl -fsS "$base/metrics") || fail "/metrics did not answer"
grep -q '^# TYPE hotfix_bot_deliveries_total counter' <<<"$metrics" ||
  fail "/metrics has no hotfix_bot_deliveries_total"
echo "/metrics: Prometheus text"

body='{"zen":"Keep it logically awesome.","hook_id":1}'
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/github/webhooks" \
  -H 'content-type: application/json' -H 'x-github-event: ping' -H 'x-github-delivery: smoke-1' \
  -H 'x-hub-signature-256: sha256=0000' --data "$body")
[ "$code" = 400 ] || fail "a wrongly signed delivery got $code, expected 400"
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= //')
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/github/webhooks" \
  -H 'content-type: application/json' -H 'x-github-event: ping' -H 'x-github-delivery: smoke-2' \
  -H "x-hub-signature-256: sha256=$sig" --data "$body")
[ "$code" = 200 ] || fail "a signed ping got $code, expected 200"
echo "webhooks: wrong signature 400, signed ping 200"

kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then fail "still running 10 s after SIGTERM"; fi
wait "$pid" && status=0 || status=$?
[ "$status" = 0 ] || fail "exit code $status after SIGTERM"
pid=""
echo "SIGTERM: stopped, exit 0"

echo "== Lambda and Action entries load from the production install"
(
  cd "$dir"
  env -i PATH="$PATH" APP_ID=12345 PRIVATE_KEY="$key" WEBHOOK_SECRET="$secret" LOG_LEVEL=fatal \
    node --input-type=module -e '
      const lambda = await import("./lib/lambda.js");
      if (typeof lambda.handler !== "function" || typeof lambda.sweep !== "function")
        throw new Error("lib/lambda.js exports no handler/sweep");
      const health = await lambda.handler({ rawPath: "/healthz", requestContext: { http: { method: "GET" } } });
      if (health.statusCode !== 200) throw new Error(`healthz ${health.statusCode}`);
      console.log("lib/lambda.js: handler and sweep exported, /healthz 200");'
  set +e
  out=$(env -i PATH="$PATH" node lib/action.js 2>&1)
  code=$?
  set -e
  [ "$code" = 1 ] && grep -q "no token" <<<"$out" ||
    { echo "FAIL: lib/action.js outside Actions: exit $code: $out"; exit 1; }
  echo "lib/action.js: loads; outside a workflow it exits 1 and says why"
)
cd "$root"
echo "production install smoke test passed"
