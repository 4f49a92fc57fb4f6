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
# The deploy and release e2e files mostly wait (health checks, watch windows, git and registry round trips) and share
# the login registry's port: they run one after the other in a lane of their own, beside every other module test.
long_lane=(test/e2e/deploy.test.ts test/e2e/release.test.ts)
module_tests() { # module_tests NAME VITEST_ARG...: the report goes to $results/NAME.json
  local name=$1
  shift
  (cd dagger && npx vitest run --reporter=default --reporter=json --outputFile.json="../$results/$name.json" "$@")
}
module_tests module-deploy-release "${long_lane[@]}" >"$results/module-deploy-release.log" 2>&1 &
long_lane_pid=$!
module_tests module "${long_lane[@]/#/--exclude=}" || status=1
wait "$long_lane_pid" || status=1
cat "$results/module-deploy-release.log"

# One closing line over both lanes, in the plain form CI reads.
jq -s -r '"\(map(.numPassedTests) | add) passed, \(map(.numFailedTests) | add) failed, \(map(.numPendingTests + .numTodoTests) | add) skipped"' \
  "$results"/*.json
exit "$status"
