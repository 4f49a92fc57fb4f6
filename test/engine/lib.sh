# Shared helpers for test/engine scripts. Source, don't run.
ENGINE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="$ENGINE_DIR/.state"
CACHE=/var/cache/gantry
LOGS="$CACHE/logs"
DAGGER_VERSION=v0.21.8
ENGINE_IMAGE="gantry-test/dagger-engine:$DAGGER_VERSION"
ENGINE_NAME=gantry-dagger-engine
REGISTRY=127.0.0.1:5000
BIN="$CACHE/bin/dagger-$DAGGER_VERSION"
ROOTFS_TAR="$CACHE/rootfs/bookworm-base.tar"
mkdir -p "$STATE_DIR" "$LOGS" "$CACHE/bin" "$CACHE/rootfs"

log() { printf '\033[1m[engine]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[engine] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

# phase NAME CMD...: run CMD, print its duration.
phase() {
  local name=$1 start=$SECONDS; shift
  log "== $name"
  "$@" || die "phase '$name' failed"
  log "== $name done in $((SECONDS - start))s"
  echo "$name $((SECONDS - start))s" >> "$STATE_DIR/timings"
}

# wait_for SECONDS CMD...: retry CMD once a second until it succeeds.
wait_for() {
  local n=$1; shift
  for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@"
}

# Content hash of files/strings, for cache keys.
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
