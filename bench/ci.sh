#!/usr/bin/env bash
# Pipeline speed against a like-for-like baseline, measured in one run on this machine.
#   host    what `ci` does after a one-line edit, run by hand on the host one tool after another (dependencies already
#           installed, every stage run once before the edit, as a developer has them): ESLint and Prettier,
#           tsc, vitest with coverage against Postgres, the build script and `docker build` of the same Dockerfile
#           (BuildKit), gitleaks, Trivy on the repository and on the image, the license check, the dependency audit,
#           the smoke load test; the same tool versions (the repository's own devDependencies, the gitleaks and Trivy
#           binaries the test engine's images carry, Gantry's pinned license checker and Artillery)
#   cold    ci with an empty engine cache (engine state purged, no smoke check after it; images come from the mirror)
#   warm    ci again with no change
#   edit    ci after a one-line source edit (dependencies, base images and unchanged layers stay cached)
#   load    the smoke load stage's share of that: edit minus another edit run with --skip load
# Each side's per-stage times go in bench/results/stages.md and stages.png; the totals in summary.md.
# --no-cold keeps the engine cache (the cold run purges it, which interrupts any other client of the engine).
# With GANTRY_BENCH_MODULE_ENGINE (an _EXPERIMENTAL_DAGGER_RUNNER_HOST value of an engine that loads modules) and a
# `dagger` CLI on PATH, module mode is measured too: `dagger functions` cold (that engine is restarted with its state
# volume emptied) and cached, `dagger call ci` after an edit and with no change.
set -euo pipefail
runs=(host cold warm edit)
[ "${1:-}" = "--no-cold" ] && runs=(host warm edit)

# Benchmark a snapshot of HEAD, so edits in the working tree cannot disturb the runs.
repo=$(cd "$(dirname "$0")/.." && pwd)
results="$repo/bench/results"
mkdir -p "$results"
log="$results/bench.log"
: >"$log"
work=$(mktemp -d /tmp/gantry-bench.XXXXXX)
git -C "$repo" worktree add --detach "$work" HEAD >>"$log" 2>&1
trap 'git -C "$repo" worktree remove --force "$work"' EXIT
cd "$work"
(npm ci --no-audit --no-fund && cd dagger && npm ci --no-audit --no-fund) >>"$log" 2>&1
test/engine/up.sh >>"$log" 2>&1
source test/engine/.state/env.sh
tools=$(bench/host-tools.sh "$work" 2>>"$log")
eval "$tools"

seconds() { # seconds CMD...: run CMD (output to the log) and print its wall time; a failed gate still ran every stage
  local start=$EPOCHREALTIME
  "$@" >>"$log" 2>&1 || echo "bench: '$*' exited non-zero, see $log" >&2
  echo "$EPOCHREALTIME - $start" | bc
}
edit_source() { echo "// bench edit $RANDOM$RANDOM" >>src/app.ts; }

# --- host: after a one-line edit, one stage after another, as a person would run them ---
eval "$(scripts/test-postgres.sh)"
host_image() { docker build --quiet --tag gantry-bench/app .; }
host_build() { npm run build && host_image; }
declare -A host_stage
host_stages() {
  host_stage[lint]=$(seconds bash -c 'npx eslint . && npx prettier --check .')
  host_stage[typecheck]=$(seconds npx tsc --noEmit)
  host_stage[tests]=$(seconds npx vitest run --coverage)
  host_stage[build]=$(seconds host_build)
  host_stage[scan]=$(seconds bash -c "$host_scan")
  host_stage[load]=$(seconds bash -c "$host_load")
}
# The install, and a first pass for what earlier runs leave behind (Docker's layer cache, Trivy's analyses of the
# image's layers), as a developer has them before an edit; ci's prime (or cold) run does the same for the engine.
host_install=$(seconds npm ci --no-audit --no-fund)
host_stages
edit_source
host_stages
host=0
for stage in "${!host_stage[@]}"; do host=$(echo "$host + ${host_stage[$stage]}" | bc); done

# --- ci: library mode on the test engine; per-stage times from the report's Duration column ---
ci() { # ci NAME [FLAG...]: the report goes to ci-NAME.md
  local name=$1
  shift
  # What scripts/gantry.sh runs once the test engine is up (up.sh's checks are test infrastructure, not Gantry's).
  dagger/node_modules/.bin/tsx --tsconfig dagger/tsconfig.json dagger/scripts/call.ts ci --format markdown "$@" \
    >"$results/ci-$name.md" 2>>"$log"
}
if [[ " ${runs[*]} " == *" cold "* ]]; then
  test/engine/down.sh --purge >>"$log" 2>&1
  GANTRY_SMOKE=0 test/engine/up.sh >>"$log" 2>&1
  cold=$(seconds ci cold)
else
  seconds ci prime >/dev/null
fi
warm=$(seconds ci warm)
edit_source
edit=$(seconds ci edit)
# The smoke load test's cost in ci's wall time: the same edit-then-ci run without the load stage.
edit_source
edit_without_load=$(seconds ci edit-without-load --skip load)
load_cost=$(echo "$edit - $edit_without_load" | bc)

# --- module mode, where an engine that loads modules is available ---
module_rows=""
if [ -n "${GANTRY_BENCH_MODULE_ENGINE:-}" ]; then
  module() { _EXPERIMENTAL_DAGGER_RUNNER_HOST=$GANTRY_BENCH_MODULE_ENGINE dagger "$@"; }
  # Cold: the engine restarted with its state emptied, as on a machine that never loaded the module (SDK images,
  # the module's dependencies and its introspection all fetched and computed again).
  engine=${GANTRY_BENCH_MODULE_ENGINE#docker-container://}
  docker stop "$engine" >>"$log" 2>&1
  docker run --rm --volumes-from "$engine" --entrypoint sh "$(docker inspect -f '{{.Config.Image}}' "$engine")" \
    -c 'rm -rf /var/lib/dagger/*' >>"$log" 2>&1
  docker start "$engine" >>"$log" 2>&1
  for _ in $(seq 120); do module query -M <<<'{ version }' >/dev/null 2>&1 && break; sleep 1; done
  load_cold=$(seconds module functions)
  load_cached=$(seconds module functions)
  seconds module call ci >/dev/null # primes the module engine as `ci prime` does the test engine
  edit_source
  module_edit=$(seconds module call ci)
  module_unchanged=$(seconds module call ci)
  module_rows=$(printf '| module: dagger functions, cold (engine state emptied) | %.1f | |\n| module: dagger functions, cached | %.1f | |\n| module: dagger call ci after an edit | %.1f | %sx |\n| module: dagger call ci, no change (verdict replayed) | %.1f | %sx |\n' \
    "$load_cold" "$load_cached" "$module_edit" "$(echo "scale=2; $module_edit / $host" | bc)" \
    "$module_unchanged" "$(echo "scale=2; $module_unchanged / $host" | bc)")
fi

stage_of() { # the ci stage a report row belongs to
  case $1 in
    lint:* | format:*) echo lint ;; typecheck*) echo typecheck ;; tests* | coverage:*) echo tests ;;
    image* | size*) echo build ;; scan:*) echo scan ;; load*) echo load ;; *) echo "" ;;
  esac
}
declare -A ci_stage
while IFS='|' read -r _ gate _ _ _ duration _; do
  gate=$(echo "$gate" | xargs) duration=$(echo "$duration" | tr -d ' s')
  stage=$(stage_of "$gate")
  [[ -n $stage && $duration =~ ^[0-9.]+$ ]] || continue
  if [ -z "${ci_stage[$stage]:-}" ] || (($(echo "$duration > ${ci_stage[$stage]}" | bc))); then ci_stage[$stage]=$duration; fi
done <"$results/ci-edit.md"

machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
{
  echo "Stage times after a one-line edit ($machine); ci runs its stages concurrently, so they overlap."
  echo
  printf '| stage | host (s) | ci (s) |\n| --- | --- | --- |\n'
  for stage in lint typecheck tests build scan load; do
    printf '| %s | %.1f | %s |\n' "$stage" "${host_stage[$stage]}" "${ci_stage[$stage]:-in every stage}"
  done
} | tee "$results/stages.md"
{
  echo "Totals ($machine)."
  echo
  printf '| run | seconds | vs host serial |\n| --- | --- | --- |\n'
  for name in "${runs[@]}"; do
    printf '| %s | %.1f | %sx |\n' "$name" "${!name}" "$(echo "scale=2; ${!name} / $host" | bc)"
  done
  printf '| host install (npm ci), not in the serial total: installed before an edit | %.1f | |\n' "$host_install"
  [ -n "${cold:-}" ] && printf '| cold against the host serial run with its install (a fresh clone by hand) | %.1f | %sx |\n' \
    "$cold" "$(echo "scale=2; $cold / ($host + $host_install)" | bc)"
  printf '| load stage (smoke) in ci: edit − edit with --skip load | %.1f | target < 15 s |\n' "$load_cost"
  if [ -n "$module_rows" ]; then echo "$module_rows"; fi
} | tee "$results/summary.md"
bench/plot.sh "$results/stages.md" "$results/stages.png" >>"$log" 2>&1 || echo "bench: no plot, see $log" >&2
