#!/usr/bin/env bash
# `npm test`: type check, generated files up to date, then every test against real Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type check"
npx tsc --noEmit -p .

echo "== generated schema is up to date"
npm run --silent schema
git diff --exit-code -- src/schema/schema.graphql || { echo "src/schema/schema.graphql is stale: run npm run schema and commit it"; exit 1; }

echo "== tests"
node --import tsx --test --test-concurrency=3 --test-timeout=120000 test/unit/*.test.ts test/integration/*.test.ts
