#!/usr/bin/env bash
# `npm test`: type check, generated files up to date, then every test against real Redis,
# real gateway and worker processes, and (when Debian's chromium is there) a real browser.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type check"
npx tsc --noEmit -p .
npx tsc --noEmit -p src/web

echo "== generated schema and client are up to date"
npm run --silent schema
npm run --silent codegen > /dev/null
git diff --exit-code -- src/schema/schema.graphql src/client/gql \
  || { echo "generated files are stale: run npm run schema && npm run codegen, and commit them"; exit 1; }

echo "== web build"
npm run --silent build:web

echo "== unit and integration tests"
node --import tsx --test --test-concurrency=3 --test-timeout=180000 test/unit/*.test.ts test/integration/*.test.ts

if [ -x /usr/bin/chromium ]; then
  echo "== browser tests"
  npm run --silent test:browser
else
  echo "== browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)"
fi
