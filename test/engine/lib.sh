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

# The engine runs with host networking, so its CNI bridge (dagger0) lives in the host netns where dockerd set the
# FORWARD policy to DROP: up.sh lets the bridge's traffic through with these DOCKER-USER rules, down.sh removes them.
ENGINE_FORWARD_RULES=("-i dagger0 -j ACCEPT" "-o dagger0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")

# The engine's CNI network (Dagger's default bridge network); its addresses name the rules below.
ENGINE_NETWORK_PREFIX=10.87.

# drop_stale_cni_rules: with host networking the engine's CNI plugins write their per-container NAT chains and
# forward rules into the host's tables, and an engine that is killed (docker rm -f, a crash) leaves those of its
# prepared and running containers there. They pile up over engine restarts (18k lines on a long-lived machine), and
# every iptables call the plugins make for a new container reads the whole table: a sixth of a cold ci run's CPU.
# Call it only while the engine is stopped; rules of other networks (another engine, dockerd) are kept.
drop_stale_cni_rules() {
  local backend dump network=${ENGINE_NETWORK_PREFIX//./\\.}
  for backend in legacy nft; do
    command -v "iptables-$backend-save" >/dev/null || continue
    dump=$("iptables-$backend-save" -t nat 2>/dev/null) || continue
    grep -q -- "-A POSTROUTING -s $network" <<<"$dump" || continue
    awk -v prefix="-A POSTROUTING -s $ENGINE_NETWORK_PREFIX" '
      NR == FNR { if (index($0, prefix) == 1 && $NF ~ /^CNI-/) stale[$NF] = 1; next }
      index($0, prefix) == 1 && ($NF in stale) { next }
      /^:CNI-/ && (substr($1, 2) in stale) { next }
      /^-A CNI-/ && ($2 in stale) { next }
      { print }
    ' <(echo "$dump") <(echo "$dump") | "iptables-$backend-restore" --wait 10 -T nat || return
    "iptables-$backend-save" -t filter | grep -v -- "^-A CNI-FORWARD -[sd] $network" \
      | "iptables-$backend-restore" --wait 10 -T filter || return
    log "dropped stale CNI rules of $ENGINE_NETWORK_PREFIX* ($backend)"
  done
}
