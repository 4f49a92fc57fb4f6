#!/usr/bin/env bash
# Stops the test engine container and the registry mirror (caches are kept;
# pass --purge to also drop the engine's state volume).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
docker rm -f "$ENGINE_NAME" >/dev/null 2>&1 && log "engine stopped" || true
drop_stale_cni_rules || log "could not drop the stale CNI rules (see above); stopping anyway"
for rule in "${ENGINE_FORWARD_RULES[@]}"; do
  # shellcheck disable=SC2086
  while iptables -D DOCKER-USER $rule 2>/dev/null; do :; done
done
if [ "${1:-}" = --purge ]; then docker volume rm gantry-dagger-engine-state >/dev/null 2>&1 || true; fi
if [ -f "$STATE_DIR/registry.pid" ]; then
  pid=$(cat "$STATE_DIR/registry.pid")
  if kill -0 "$pid" 2>/dev/null && grep -q docker-registry "/proc/$pid/cmdline"; then kill "$pid" && log "registry stopped"; fi
  rm -f "$STATE_DIR/registry.pid"
fi
