#!/usr/bin/env bash
# Every test lane, on a fresh Debian machine or a warm one:
#   service unit + integration tests on a real Postgres, the module's core and introspection tests,
#   and the e2e lane that runs the module's functions on a real Dagger engine.
# Under CI=true an engine that cannot start fails the run; it is never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

results=.test-results
rm -rf "$results" && mkdir -p "$results"

npm ci --no-audit --no-fund
(cd dagger && npm ci --no-audit --no-fund)

eval "$(scripts/test-postgres.sh)"
GANTRY_SMOKE=1 test/engine/up.sh
# shellcheck disable=SC1091
source test/engine/.state/env.sh

status=0
npx vitest run --coverage --reporter=default --reporter=json --outputFile.json="$results/service.json" || status=1
(cd dagger && npx vitest run --reporter=default --reporter=json --outputFile.json="../$results/module.json") || status=1

# One closing line over both lanes, in the plain form CI reads.
jq -s -r '"\(map(.numPassedTests) | add) passed, \(map(.numFailedTests) | add) failed, \(map(.numPendingTests + .numTodoTests) | add) skipped"' \
  "$results"/*.json
exit "$status"
