#!/usr/bin/env bash
# The main job on this repository: `scripts/gantry.sh ci` runs Gantry's ci (any function: lint, typecheck, scan,
# load-test) on the test engine, installing and starting it first. With Dagger installed, `dagger call ci` is the same.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dagger/node_modules ] || (cd dagger && npm ci --no-audit --no-fund >&2)
test/engine/up.sh >&2
# shellcheck disable=SC1091
source test/engine/.state/env.sh
cd dagger
exec npx --no-install tsx scripts/call.ts "$@" --source ..
