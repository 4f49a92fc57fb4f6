#!/usr/bin/env bash
# Pipeline speed, measured in one run on this machine:
#   host      the same checks run directly on the host (npm ci, eslint, prettier, tsc, vitest+coverage, build)
#   cold      ci with an empty engine cache (engine state volume purged; images come from the registry mirror)
#   warm      ci again with no change
#   edit      ci after a one-line source edit (dependencies stay cached, checks rerun)
#   serial    the same stages as separate calls, one after another, after another edit: what ci's concurrency saves
# The load stage is skipped: k6 cannot be built on this machine (test/engine/README.md).
# --no-cold keeps the engine cache (the cold run purges it, which interrupts any other client of the engine).
set -euo pipefail
runs=(host cold warm edit serial)
[ "${1:-}" = "--no-cold" ] && runs=(host warm edit serial)

# Benchmark a snapshot of HEAD, so edits in the working tree (or another session's) cannot disturb the runs.
repo=$(cd "$(dirname "$0")/.." && pwd)
results="$repo/bench/results"
mkdir -p "$results"
log="$results/bench.log"
: > "$log"
work=$(mktemp -d /tmp/gantry-bench.XXXXXX)
git -C "$repo" worktree add --detach "$work" HEAD >>"$log" 2>&1
trap 'git -C "$repo" worktree remove --force "$work"' EXIT
cd "$work"
(cd dagger && npm ci --no-audit --no-fund) >>"$log" 2>&1

seconds() { # seconds CMD...: run CMD (output to the log) and print its wall time; a failed gate still ran every stage
  local start=$EPOCHREALTIME
  "$@" >>"$log" 2>&1 || echo "bench: '$*' exited non-zero (a gate failed or it crashed), see $log" >&2
  echo "$EPOCHREALTIME - $start" | bc
}
gantry() { scripts/gantry.sh "$@"; }
edit_source() { echo "// bench edit $RANDOM$RANDOM" >>src/app.ts; }

eval "$(scripts/test-postgres.sh)"
host=$(seconds bash -c 'npm ci --no-audit --no-fund; npx eslint .; npx prettier --check .; npx tsc --noEmit;
  npx vitest run --coverage; npm run build')

if [[ " ${runs[*]} " == *" cold "* ]]; then
  test/engine/down.sh --purge >>"$log" 2>&1
  test/engine/up.sh >>"$log" 2>&1
  cold=$(seconds gantry ci --skip load)
else
  seconds gantry ci --skip load >/dev/null # prime the cache for this snapshot
fi
warm=$(seconds gantry ci --skip load)
edit_source
edit=$(seconds gantry ci --skip load)
edit_source
serial=$(seconds bash -c 'for stage in lint typecheck test build scan; do scripts/gantry.sh "$stage"; done')

ratio() { echo "scale=2; $1 / $host" | bc; }
{
  printf '| run | seconds | vs host |\n| --- | --- | --- |\n'
  for name in "${runs[@]}"; do
    printf '| %s | %.1f | %sx |\n' "$name" "${!name}" "$(ratio "${!name}")"
  done
} | tee "$results/summary.md"
