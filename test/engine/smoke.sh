#!/usr/bin/env bash
# Smoke checks against the running test engine (sourced env from up.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
source "$STATE_DIR/env.sh"

q() { dagger --progress=plain query -M 2>>"$LOGS/smoke.log"; }

log "node image through the docker.io mirror"
out=$(q <<'GQL'
{ container { from(address: "node:22-bookworm-slim") { withExec(args: ["node", "-v"]) { stdout } } } }
GQL
) || die "node -v in Dagger failed (see $LOGS/smoke.log)"
grep -q '"stdout": "v22\.' <<<"$out" || die "unexpected output: $out"
log "  node -v: $(jq -r '.container.from.withExec.stdout' <<<"$out" | tr -d '\n')"

log "HTTPS to the npm registry from a Dagger container"
out=$(q <<GQL
{ container { from(address: "node:22-bookworm-slim")
  { withEnvVariable(name: "NODE_EXTRA_CA_CERTS", value: "/etc/ssl/certs/ca-certificates.crt")
    { withEnvVariable(name: "CACHEBUST", value: "$RANDOM$$")
      { withExec(args: ["npm", "view", "is-number", "version"]) { stdout } } } } } }
GQL
) || die "npm view in Dagger failed (see $LOGS/smoke.log)"
log "  npm view is-number version: $(jq -r '..|.stdout? // empty' <<<"$out" | tr -d '\n')"

log "TypeScript SDK (library mode): node -v and a postgres service"
node "$ENGINE_DIR/smoke.mjs" || die "smoke.mjs failed"
