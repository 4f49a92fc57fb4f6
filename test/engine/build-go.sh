#!/usr/bin/env bash
# Builds (or reuses from /var/cache/gantry/bin) every Go binary the test
# engine and images need. Output dir per tool+version; a stamp file holding a
# hash of the inputs marks a finished build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
TOOLS="$ENGINE_DIR/tools"
export GOFLAGS=-mod=mod
# Our go.sum files pin every module; several pseudo-versions dagger uses are
# not in the public checksum DB, so verify against go.sum only.
export GOSUMDB=off

# built NAME OUTDIR INPUTS...: true if OUTDIR has a stamp matching INPUTS.
stamp_ok() { [ -f "$1/.stamp" ] && [ "$(cat "$1/.stamp")" = "$2" ]; }

build_dagger() {
  local out="$BIN" key src="$CACHE/src/dagger-$DAGGER_VERSION"
  key=$(hash_of "$TOOLS"/go.mod "$TOOLS"/go.sum "$TOOLS"/patch-dagger-src.sh "$TOOLS"/overlay/* \
        "$TOOLS"/stubs/*/*.go "$TOOLS"/stubs/*/go.mod "$TOOLS"/distconsts/*.go)
  stamp_ok "$out" "$key" && { log "dagger $DAGGER_VERSION binaries cached"; return; }
  log "unpacking + patching github.com/dagger/dagger@$DAGGER_VERSION"
  local dir
  dir=$(cd / && GOFLAGS= go mod download -json "github.com/dagger/dagger@$DAGGER_VERSION" | jq -r .Dir)
  rm -rf "$src" && mkdir -p "$(dirname "$src")"
  cp -r "$dir" "$src" && chmod -R u+w "$src"
  "$TOOLS/patch-dagger-src.sh" "$src"
  log "building dagger CLI + engine (several minutes on 2 cores)"
  mkdir -p "$out"
  local ld="-s -w -X github.com/dagger/dagger/engine.Version=$DAGGER_VERSION -X github.com/dagger/dagger/engine.Tag=$DAGGER_VERSION"
  (cd "$TOOLS" && CGO_ENABLED=0 go build -trimpath -tags dfexcludepatterns,dfparents -ldflags "$ld" -o "$out/" \
     github.com/dagger/dagger/cmd/dagger github.com/dagger/dagger/cmd/engine github.com/dagger/dagger/cmd/init \
     github.com/dagger/dagger/cmd/dnsname github.com/dagger/dagger/cmd/dialstdio)
  mv "$out/engine" "$out/dagger-engine"; mv "$out/init" "$out/dagger-init"; mv "$out/dialstdio" "$out/dial-stdio"
  echo "$key" > "$out/.stamp"
}

# build_tool SUBDIR OUTDIR CGO EXTRA_FLAGS PKGS...
build_tool() {
  local sub=$1 out=$2 cgo=$3 flags=$4 key; shift 4
  key=$(hash_of "$TOOLS/$sub/go.mod" "$TOOLS/$sub/go.sum")
  stamp_ok "$out" "$key" && { log "$sub cached"; return; }
  log "building $sub"
  mkdir -p "$out"
  # shellcheck disable=SC2086
  (cd "$TOOLS/$sub" && CGO_ENABLED=$cgo go build -trimpath $flags -o "$out/" "$@")
  echo "$key" > "$out/.stamp"
}

ver() { (cd "$TOOLS/$1" && go list -m -f '{{.Version}}' "$2"); }

# Our own program (tools/trivy-db, importing trivy-db and go-containerregistry): writes a small Trivy vulnerability
# database from the advisories it embeds and pushes it to the mirror (images.sh).
build_trivy_db() {
  local out="$CACHE/bin/gantry-trivy-db" key
  key=$(hash_of "$TOOLS"/trivy-db/go.mod "$TOOLS"/trivy-db/go.sum "$TOOLS"/trivy-db/*.go "$TOOLS"/trivy-db/advisories/*.json)
  stamp_ok "$out" "$key" && { log "trivy-db cached"; return; }
  log "building trivy-db"
  mkdir -p "$out"
  (cd "$TOOLS/trivy-db" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/gantry-trivy-db" .)
  echo "$key" > "$out/.stamp"
}

build_dagger
RUNC_VERSION=$(ver runc github.com/opencontainers/runc)
build_tool runc "$CACHE/bin/runc-$RUNC_VERSION" 1 \
  "-tags=seccomp -ldflags=-s -ldflags=-w -ldflags=-X=main.version=${RUNC_VERSION#v}" github.com/opencontainers/runc
CNI_VERSION=$(ver cni github.com/containernetworking/plugins)
build_tool cni "$CACHE/bin/cni-$CNI_VERSION" 0 "-ldflags=-s -ldflags=-w" \
  github.com/containernetworking/plugins/plugins/main/bridge github.com/containernetworking/plugins/plugins/main/loopback \
  github.com/containernetworking/plugins/plugins/meta/firewall github.com/containernetworking/plugins/plugins/ipam/host-local
GITLEAKS_VERSION=$(ver gitleaks github.com/zricethezav/gitleaks/v8)
build_tool gitleaks "$CACHE/bin/gitleaks-$GITLEAKS_VERSION" 0 \
  "-ldflags=-s -ldflags=-w -ldflags=-X=github.com/zricethezav/gitleaks/v8/version.Version=$GITLEAKS_VERSION" \
  github.com/zricethezav/gitleaks/v8
TRIVY_VERSION=$(ver trivy github.com/aquasecurity/trivy)
# trivy's own build sets GOEXPERIMENT=jsonv2 (it imports encoding/json/v2).
GOEXPERIMENT=jsonv2 build_tool trivy "$CACHE/bin/trivy-$TRIVY_VERSION" 0 \
  "-ldflags=-s -ldflags=-w -ldflags=-X=github.com/aquasecurity/trivy/pkg/version/app.ver=${TRIVY_VERSION#v}" \
  github.com/aquasecurity/trivy/cmd/trivy
build_trivy_db

cat > "$STATE_DIR/versions.sh" <<VERS
RUNC_VERSION=$RUNC_VERSION
CNI_VERSION=$CNI_VERSION
GITLEAKS_VERSION=$GITLEAKS_VERSION
TRIVY_VERSION=$TRIVY_VERSION
VERS
