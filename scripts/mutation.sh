#!/usr/bin/env bash
# Mutation testing of the module's pure logic (dagger/src/core) with Stryker against the core unit tests
# (dagger/test/core). Slow, so not part of .ci/run; results are recorded in dagger/test/MUTATION.md.
#   scripts/mutation.sh                  incremental: only mutants whose code or tests changed since the last run
#   scripts/mutation.sh --force          every mutant again
#   scripts/mutation.sh --concurrency 2  more test runners (the default, 1, suits a small shared machine)
#   GANTRY_MUTATION_TESTS=test/core/parse/mocha.test.ts scripts/mutation.sh --mutate src/core/parse/mocha.ts \
#     --incrementalFile reports/stryker-narrow.json --force
#                                        a few files against the tests that import them: quick, a lower bound
# Reports: dagger/reports/mutation/mutation.html and .json; incremental state: dagger/reports/stryker-incremental.json.
set -euo pipefail
cd "$(dirname "$0")/../dagger"
if [ ! -x node_modules/.bin/stryker ]; then
  npm ci
fi
exec node_modules/.bin/stryker run stryker.config.mjs "$@"
