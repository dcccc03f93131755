#!/usr/bin/env bash
# `npm test`: generated files up to date, lint, type check, web and server builds, then the unit
# tests, the integration tests minus the slow lane (`npm run test:slow`, listed in
# scripts/test-slow.sh), all against real Redis and real gateway and worker processes (started
# from the server build just made: test/support/stack.ts), and (when Debian's chromium is there)
# the browser tests against the compiled gateway and worker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-lane.sh
lane_started=$SECONDS
tracked_before=$(tracked_changes)

echo "== generated schema, client and configuration table are up to date"
npm run --silent build:client
npm run --silent schema
npm run --silent codegen > /dev/null
git diff --exit-code -- src/schema/schema.graphql packages/client/src/gql \
  || { echo "generated files are stale: run npm run schema && npm run codegen, and commit them"; exit 1; }
npm run --silent config-doc && git diff --exit-code -- docs/configuration.md || { echo "docs/configuration.md is stale: run npm run config-doc, and commit it"; exit 1; }

# Lint (typed ESLint, the longest check) runs beside the type checks and builds, its output held
# until they are done: on 2 cores that is ~40 s less. It starts after the generators above, which
# rewrite files it reads.
echo "== lint and format (npm run format fixes what it can), beside the type checks and builds"
lint_log=$(mktemp)
npm run --silent lint > "$lint_log" 2>&1 &
lint_pid=$!
lint_result() {
  local status=0
  wait "$lint_pid" || status=$?
  cat "$lint_log"
  rm -f "$lint_log"
  echo "== lint and format: $([ "$status" = 0 ] && echo passed || echo FAILED)"
  return "$status"
}
# A failing step below stops the lane; lint's output is shown first.
trap 'lint_result || true' ERR

echo "== type check (src/ and the tests import @jobgate/client, built above)"
npx tsc --noEmit -p .
npx tsc --noEmit -p src/web
npm run --silent check:cycles

echo "== web build"
npm run --silent build:web

echo "== server build (dist/, what npm run gateway and npm run worker run, and what the tests start)"
npm run --silent build:server

trap - ERR
lint_result

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
