#!/usr/bin/env bash
# The bench's smoke run, `node --import tsx bench/run.ts --smoke`: every figure, each baseline and
# the gateway side started and stopped, at the smallest sizes, so that a broken figure is caught
# before a full run. It fails when a figure errors or a side measured nothing, never on a figure's
# value (bench/run.ts judges each line). scripts/test-slow.sh runs it after the slow tests.
# The figure lines go to bench/.runs/RESULTS-smoke.md (ignored by git); stdout repeats them as
# JSON, so it is dropped here; stderr has the progress and one verdict per line.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
# The bench aborts itself after its smoke deadline (5 min); the timeout only guards a hang after that.
timeout --kill-after=30 420 node --import tsx bench/run.ts --smoke "$@" > /dev/null || status=$?
echo "== bench smoke: $([ "$status" = 0 ] && echo passed || echo "FAILED (exit $status)") in $((SECONDS - started)) s wall; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
