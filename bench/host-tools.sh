#!/usr/bin/env bash
# Prepares the host side of the benchmark in WORKDIR and prints, for eval, the Docker client's settings (BuildKit) and
# the commands of the stages whose tools are not the repository's own: host_scan and host_load. Everything installed
# here is what Gantry keeps installed in its cached layers (tool binaries, the license checker, the base image), so
# neither side pays for it when timed.
set -euo pipefail
work=$1
cd "$work"
bin=/var/cache/gantry/bin # the gitleaks and Trivy builds the test engine's images carry
gitleaks=$(ls -d $bin/gitleaks-v*/gitleaks | tail -1)
trivy=$(ls -d $bin/trivy-v*/trivy | tail -1)
tools=/tmp/gantry-bench-tools
license_checker=$(grep -o 'license-checker-rseidelsohn@[0-9.]*' dagger/src/stages/scan.ts)
artillery=artillery@$(grep -o 'artilleryio/artillery:[0-9.]*' dagger/src/core/config.ts | cut -d: -f2)
# --ignore-scripts: Artillery's Playwright engine would download a browser the smoke scenario does not use.
npm install --silent --ignore-scripts --no-audit --no-fund --prefix "$tools" "$license_checker" "$artillery" >&2

# BuildKit for the host's `docker build`, as Dagger's builder reads the same Dockerfile (RUN --mount included): Debian's
# docker has no buildx plugin, so it is built from its Go module (pinned in test/engine/tools/buildx), once.
buildx_module=test/engine/tools/buildx
buildx_version=$(cd "$buildx_module" && go list -m -f '{{.Version}}' github.com/docker/buildx)
buildx=$bin/buildx-$buildx_version/docker-buildx
if [ ! -x "$buildx" ]; then
  (cd "$buildx_module" && GOFLAGS=-mod=mod GOSUMDB=off CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$buildx" \
    github.com/docker/buildx/cmd/buildx) >&2
fi
docker_config=/tmp/gantry-bench-docker
mkdir -p "$docker_config/cli-plugins"
ln -sf "$buildx" "$docker_config/cli-plugins/docker-buildx"
echo "export DOCKER_CONFIG=$docker_config DOCKER_BUILDKIT=1"

# The engine trusts the host's extra CAs in every container it runs; a host `docker build` needs the same to reach
# the npm registry through this machine's TLS proxy, so the base image gets them (a no-op elsewhere).
base=node:22-bookworm-slim
{
  echo "FROM 127.0.0.1:5000/library/$base"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    echo "COPY *.crt /usr/local/share/ca-certificates/"
    echo "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-extra.pem"
    echo "RUN cat /usr/local/share/ca-certificates/*.crt >/etc/ssl/certs/host-extra.pem"
  fi
} >/tmp/gantry-bench-base.Dockerfile
(cd /usr/local/share/ca-certificates 2>/dev/null || cd /tmp; docker build --quiet --tag "$base" -f /tmp/gantry-bench-base.Dockerfile .) >&2

skip="--skip-dirs test/engine/images --skip-dirs dagger/test/fixtures"
# As stages/scan.ts runs them: a Trivy run that cannot load its vulnerability database is repeated without that scanner.
trivy_fs="$trivy fs . $skip --format json --output /tmp/gantry-bench-fs.json --exit-code 0 --quiet"
trivy_image="$trivy image --input /tmp/gantry-bench-image.tar --format json --output /tmp/gantry-bench-image.json --exit-code 0 --quiet"
cat <<SCAN
host_scan='$gitleaks dir . --report-format json --report-path /tmp/gantry-bench-gitleaks.json --exit-code 0 --redact --no-banner
{ $trivy_fs --scanners vuln,misconfig || $trivy_fs --scanners misconfig; }
docker save gantry-bench/app -o /tmp/gantry-bench-image.tar
{ $trivy_image --scanners vuln,secret || $trivy_image --scanners secret; }
$tools/node_modules/.bin/license-checker-rseidelsohn --json --production --excludePrivatePackages --out /tmp/gantry-bench-licenses.json
npm audit --json >/tmp/gantry-bench-audit.json || true'
SCAN
# The smoke profile as ci runs it: a fresh database migrated first, the image as a service, then the default smoke phase.
cat <<LOAD
host_load='docker rm --force gantry-bench-app >/dev/null 2>&1 || true
psql "\$DATABASE_URL" -q -c "DROP DATABASE IF EXISTS gantry_bench" -c "CREATE DATABASE gantry_bench"
export DATABASE_URL=\${DATABASE_URL%/*}/gantry_bench
docker run --rm --network host --env DATABASE_URL gantry-bench/app node dist/migrate.js up
docker run --detach --name gantry-bench-app --network host --env DATABASE_URL --env PORT=39123 gantry-bench/app
until curl -fsS http://127.0.0.1:39123/healthz >/dev/null 2>&1; do sleep 0.2; done
$tools/node_modules/.bin/artillery run --output /tmp/gantry-bench-load.json --target http://127.0.0.1:39123 \\
  --overrides "{\\"config\\":{\\"phases\\":[{\\"duration\\":5,\\"arrivalRate\\":2}]}}" artillery/load.yml
docker rm --force gantry-bench-app'
LOAD
