#!/usr/bin/env bash
# Starts a local PostgreSQL for the integration tests on a Debian machine and prints
# the DATABASE_URL to use. Idempotent: safe to run again when Postgres is already up.
#   eval "$(scripts/test-postgres.sh)" && npm run test:integration
# Progress goes to stderr; stdout carries only the export line.
set -euo pipefail

ROLE=gantry
PASSWORD=gantry
PORT=5432

log() { echo "test-postgres: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  log "installing PostgreSQL from Debian packages"
  as_root apt-get update >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
cluster=main

if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  log "creating cluster $version/$cluster on port $PORT"
  as_root pg_createcluster "$version" "$cluster" --port "$PORT" >&2
fi

cluster_port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
if [ "$cluster_port" != "$PORT" ]; then
  log "cluster $version/$cluster is configured for port $cluster_port, not $PORT; moving it"
  as_root pg_conftool "$version" "$cluster" set port "$PORT"
  as_root pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
fi

if [ "$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')" != online ]; then
  log "starting cluster $version/$cluster"
  as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 30); do
  pg_isready --quiet --host 127.0.0.1 --port "$PORT" && break
  sleep 1
done
pg_isready --quiet --host 127.0.0.1 --port "$PORT" || {
  log "PostgreSQL did not become ready on 127.0.0.1:$PORT"
  exit 1
}

# CREATEDB because each integration test file creates and drops its own database.
as_postgres psql --quiet --port "$PORT" --dbname postgres --set ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    ALTER ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    CREATE ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL

log "ready on 127.0.0.1:$PORT (role $ROLE)"
echo "export DATABASE_URL=postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/postgres"
