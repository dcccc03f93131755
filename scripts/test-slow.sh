#!/usr/bin/env bash
# `npm run test:slow`: the integration tests that take long (private Redis clusters, Sentinel
# and TLS servers, soak and fuzz runs, a deliberately slow client), then the bench's smoke run
# (scripts/bench-smoke.sh). `npm test` runs every other integration test; `.ci/run` runs both
# lanes. `bash scripts/test-slow.sh --list` prints the files of this lane (scripts/test.sh
# leaves them out), one a line.
set -euo pipefail
cd "$(dirname "$0")/.."

# Files of this lane: the ones that start private Redis topologies or run for a fixed time,
# and the ones that took more than 40 s on their own in `npm test` (each lane prints its
# per-file durations: move a file here when it keeps passing 40 s).
SLOW_TESTS=(
  test/integration/soak.test.ts
  test/integration/cluster.test.ts
  test/integration/cluster-tls.test.ts
  test/integration/sentinel.test.ts
  test/integration/redis-tls.test.ts
  test/integration/fuzz.test.ts
  test/integration/slow-client.test.ts
  # Measured over 40 s: Redis killed and restarted, workers SIGKILLed until stalled jobs come
  # back, time limits and owner caps waited out.
  test/integration/faults.test.ts
  test/integration/stalls.test.ts
  test/integration/limits-time-and-owner.test.ts
)

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${SLOW_TESTS[@]}"
  exit 0
fi

source scripts/test-lane.sh
tracked_before=$(tracked_changes)

echo "== slow integration tests"
failed=0
run_lane slow --test-concurrency=2 --test-timeout=300000 -- "${SLOW_TESTS[@]}" || failed=1
echo "== bench smoke (every figure at its smallest; fails on a broken figure, never on a value)"
bash scripts/bench-smoke.sh || failed=1
check_tracked_unchanged "$tracked_before" || failed=1
exit "$failed"
