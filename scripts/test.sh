#!/usr/bin/env bash
# `npm test`: type check, generated files up to date, web and server builds, then the unit
# tests, the integration tests minus the slow lane (`npm run test:slow`, listed in
# scripts/test-slow.sh), all against real Redis and real gateway and worker processes, and
# (when Debian's chromium is there) the browser tests against the compiled gateway and worker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-lane.sh
lane_started=$SECONDS
tracked_before=$(tracked_changes)

echo "== type check (after building @jobgate/client, which src/ and the tests import)"
npm run --silent build:client
npx tsc --noEmit -p .
npx tsc --noEmit -p src/web
npm run --silent check:cycles

echo "== lint and format (npm run format fixes what it can)"
npm run --silent lint

echo "== generated schema and client are up to date"
npm run --silent schema
npm run --silent codegen > /dev/null
git diff --exit-code -- src/schema/schema.graphql packages/client/src/gql \
  || { echo "generated files are stale: run npm run schema && npm run codegen, and commit them"; exit 1; }
npm run --silent config-doc && git diff --exit-code -- docs/configuration.md || { echo "docs/configuration.md is stale: run npm run config-doc, and commit it"; exit 1; }

echo "== web build"
npm run --silent build:web

echo "== server build (dist/, what npm run gateway and npm run worker run)"
npm run --silent build:server

echo "== unit and integration tests (the slow lane is npm run test:slow)"
mapfile -t slow < <(bash scripts/test-slow.sh --list)
tests=(test/unit/*.test.ts)
for file in test/integration/*.test.ts; do
  [[ " ${slow[*]} " == *" $file "* ]] || tests+=("$file")
done
# From here on a failure does not stop the lane: the browser tests run too, then it fails.
failed=0
run_lane "unit and integration" --test-concurrency=3 --test-timeout=180000 -- "${tests[@]}" || failed=1

if [ -x /usr/bin/chromium ]; then
  echo "== browser tests"
  run_lane browser --test-concurrency=1 --test-timeout=180000 -- test/browser/*.test.ts || failed=1
else
  echo "== browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)"
fi
# A test that wrote into the tree (a tracked file changed since the start) fails the lane.
check_tracked_unchanged "$tracked_before" || failed=1
echo "== npm test: $([ "$failed" = 0 ] && echo passed || echo FAILED) in $((SECONDS - lane_started)) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
