#!/usr/bin/env bash
# The main job on a machine where Dagger cannot be installed: `scripts/gantry.sh ci` runs Gantry's ci (or lint,
# typecheck, test, build, scan, load-test) on the test engine, installing and starting it first, in Dagger's library
# mode. --source (default: the current directory) and every other flag are the function's, as with `dagger call`:
#   scripts/gantry.sh ci
#   scripts/gantry.sh lint --source ../another-service
set -euo pipefail
caller=$PWD
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The root manifest holds the npm SDK the library mode uses; dagger/ holds the module's own dependencies.
[ -d node_modules/@dagger.io/dagger ] || npm ci --no-audit --no-fund >&2
[ -d dagger/node_modules ] || (cd dagger && npm ci --no-audit --no-fund >&2)
test/engine/up.sh >&2
# shellcheck disable=SC1091
source test/engine/.state/env.sh
cd "$caller"
exec "$root/dagger/node_modules/.bin/tsx" --tsconfig "$root/dagger/tsconfig.json" "$root/dagger/scripts/call.ts" "$@"
