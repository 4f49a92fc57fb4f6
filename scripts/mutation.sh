#!/usr/bin/env bash
# Mutation testing of the module's pure logic (dagger/src/core) with Stryker against the core unit tests
# (dagger/test/core). Slow, so not part of .ci/run; results are recorded in dagger/test/MUTATION.md.
#   scripts/mutation.sh                  incremental: only mutants whose code or tests changed since the last run
#   scripts/mutation.sh --force          every mutant again
#   scripts/mutation.sh --in-parts       every mutant, in three runs over disjoint files (config.ts; the backup, deploy,
#                                        Lighthouse, load and size directories; the rest), each keeping its report, so
#                                        an interrupted run loses one part only; prints the score of all three together
#   scripts/mutation.sh --concurrency 2  more test runners (the default, 1, suits a small shared machine)
#   GANTRY_MUTATION_TESTS=test/core/parse/mocha.test.ts scripts/mutation.sh --mutate src/core/parse/mocha.ts \
#     --incrementalFile reports/stryker-narrow.json --force
#                                        a few files against the tests that import them: quick, a lower bound
# Reports: dagger/reports/mutation/mutation.html and .json (--in-parts: part-1.json … part-3.json); incremental state:
# dagger/reports/stryker-incremental.json.
set -euo pipefail
cd "$(dirname "$0")/../dagger"
if [ ! -x node_modules/.bin/stryker ]; then
  npm ci
fi
if [ "${1:-}" != --in-parts ]; then
  exec node_modules/.bin/stryker run stryker.config.mjs "$@"
fi
shift
groups=(backup deploy lighthouse load size)
in_groups=$(printf 'src/core/%s/**/*.ts,' "${groups[@]}")
outside_groups=$(printf '!src/core/%s/**/*.ts,' "${groups[@]}")
parts=(src/core/config.ts "${in_groups%,}" "src/core/**/*.ts,!src/core/config.ts,${outside_groups%,}")
for index in "${!parts[@]}"; do
  part=$((index + 1))
  [ -f "reports/mutation/part-$part.json" ] && { echo "part $part: kept from an earlier run (delete it to redo)"; continue; }
  node_modules/.bin/stryker run stryker.config.mjs --force --mutate "${parts[$index]}" \
    --incrementalFile "reports/stryker-part-$part.json" "$@"
  cp reports/mutation/mutation.json "reports/mutation/part-$part.json"
done
exec node_modules/.bin/tsx scripts/mutationScore.ts reports/mutation/part-*.json
