#!/usr/bin/env bash
# Pipeline speed, measured in one run on this machine:
#   host      the same checks run directly on the host (npm ci, eslint, prettier, tsc, vitest+coverage, build)
#   cold      ci with an empty engine cache (engine state volume purged; images come from the registry mirror)
#   warm      ci again with no change
#   edit      ci after a one-line source edit (dependencies stay cached, checks rerun)
#   serial    the same stages as separate calls, one after another, after another edit: what ci's concurrency saves
# The load stage is skipped: k6 cannot be built on this machine (test/engine/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
results=bench/results
mkdir -p "$results"
log="$results/bench.log"
: > "$log"
edited=src/app.ts
cp "$edited" "$results/app.ts.orig"
trap 'cp "$results/app.ts.orig" "$edited"' EXIT

seconds() { # seconds CMD...: run CMD (output to the log) and print its wall time
  local start=$EPOCHREALTIME
  "$@" >>"$log" 2>&1 || { echo "bench: '$*' failed, see $log" >&2; exit 1; }
  echo "$EPOCHREALTIME - $start" | bc
}
gantry() { scripts/gantry.sh "$@"; }
edit_source() { echo "// bench edit $RANDOM$RANDOM" >>"$edited"; }

eval "$(scripts/test-postgres.sh)"
host=$(seconds bash -c 'npm ci --no-audit --no-fund && npx eslint . && npx prettier --check . && npx tsc --noEmit &&
  npx vitest run --coverage && npm run build')

test/engine/down.sh --purge >>"$log" 2>&1
test/engine/up.sh >>"$log" 2>&1
cold=$(seconds gantry ci --skip load)
warm=$(seconds gantry ci --skip load)
edit_source
edit=$(seconds gantry ci --skip load)
edit_source
serial=$(seconds bash -c 'for stage in lint typecheck test build scan; do scripts/gantry.sh "$stage"; done')

ratio() { echo "scale=2; $1 / $host" | bc; }
{
  printf '| run | seconds | vs host |\n| --- | --- | --- |\n'
  for name in host cold warm edit serial; do
    printf '| %s | %.1f | %sx |\n' "$name" "${!name}" "$(ratio "${!name}")"
  done
} | tee "$results/summary.md"
