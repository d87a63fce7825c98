#!/usr/bin/env bash
# PostgreSQL servers for Personae on 127.0.0.1, made with Debian's postgresql-common tools:
#   single       one server (PostgreSQL as source and engine)
#   coordinator  postgres_fdw coordinator whose partitions live on shard1 and shard2
#   shard1/2     the shard servers
# Each has a login role and a database named personae. The coordinator has postgres_fdw, one foreign server
# per shard (async_capable) with a user mapping for the role, and partitionwise aggregation on.
#
# Usage (as root, or as the postgres user for start/stop of existing clusters):
#   scripts/postgres/clusters.sh start    create what is missing, start, print the env vars the tests read
#   scripts/postgres/clusters.sh env      print the env vars only
#   scripts/postgres/clusters.sh stop     stop the four servers
#   scripts/postgres/clusters.sh drop     stop and delete them (data included)
# Typical: eval "$(sudo scripts/postgres/clusters.sh start)"
#
# Settings (env): PERSONAE_PG_VERSION (default: the newest installed), PERSONAE_PG_PORT (first port, default
# 54330; the four servers take it and the next three), PERSONAE_PG_PASSWORD (default personae: these servers
# listen on 127.0.0.1 only and are meant for tests and trying Personae out, not for production data).
# Everything is idempotent: a second start only starts what is stopped.
set -euo pipefail

version="${PERSONAE_PG_VERSION:-$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)}"
base_port="${PERSONAE_PG_PORT:-54330}"
password="${PERSONAE_PG_PASSWORD:-personae}"
role=personae
database=personae
names=(single coordinator shard1 shard2)

die() { echo "clusters.sh: $*" >&2; exit 1; }
log() { echo "clusters.sh: $*" >&2; }

[ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/postgres" ] ||
  die "PostgreSQL is not installed (apt-get install postgresql, then run this again)"
command -v pg_createcluster >/dev/null || die "postgresql-common is missing (apt-get install postgresql-common)"
[[ "$base_port" =~ ^[0-9]+$ ]] || die "PERSONAE_PG_PORT must be a port number, not '$base_port'"
[[ "$password" =~ ^[A-Za-z0-9_.-]+$ ]] || die "PERSONAE_PG_PASSWORD may hold letters, digits and _ . - only"

port_of() {
  local i
  for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && { echo $((base_port + i)); return; }; done
  die "no server named $1"
}
cluster_of() { echo "personae_$1"; }
url_of() { echo "postgresql://$role:$password@127.0.0.1:$(port_of "$1")/$database"; }

# psql as the clusters' owner (peer authentication on the local socket).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  elif [ "$(id -un)" = postgres ]; then "$@"
  else die "run this as root (sudo) or as the postgres user"
  fi
}
psql_on() {
  local name=$1 db=$2
  shift 2
  PGOPTIONS="-c client_min_messages=warning" as_owner psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$(port_of "$name")" -d "$db" "$@"
}

status_of() { # online, down or absent
  local line
  line=$(pg_lsclusters --no-header 2>/dev/null | awk -v v="$version" -v c="$(cluster_of "$1")" '$1 == v && $2 == c')
  if [ -z "$line" ]; then echo absent
  else awk '{print $4}' <<<"$line"
  fi
}

create_cluster() {
  local name=$1 cluster port conf
  cluster=$(cluster_of "$name")
  port=$(port_of "$name")
  log "creating $cluster on port $port"
  [ "$(id -u)" = 0 ] || die "creating a cluster needs root (sudo)"
  # --no-sync: a fresh, empty data directory (initdb syncs every file otherwise, seconds per cluster).
  pg_createcluster --start-conf=manual -p "$port" "$version" "$cluster" -- --no-sync >/dev/null
  conf="/etc/postgresql/$version/$cluster/conf.d/personae.conf"
  cat >"$conf" <<EOF
# Written by Personae's scripts/postgres/clusters.sh.
listen_addresses = '127.0.0.1'
# Each customer's aggregate runs where the customer's partition lives (coordinator), on every shard at once.
enable_partitionwise_aggregate = on
enable_partitionwise_join = on
enable_async_append = on
# Test and trial servers: a crash may lose the last commits, never corrupts.
synchronous_commit = off
shared_buffers = 64MB
EOF
  chown postgres:postgres "$conf"
}

start_cluster() {
  local name=$1
  case "$(status_of "$name")" in
    absent) create_cluster "$name"; as_owner pg_ctlcluster "$version" "$(cluster_of "$name")" start ;;
    down) log "starting $(cluster_of "$name")"; as_owner pg_ctlcluster "$version" "$(cluster_of "$name")" start ;;
    online) ;;
    *) die "$(cluster_of "$name") is in an unexpected state: $(status_of "$name")" ;;
  esac
}

setup_role_and_database() {
  local name=$1
  psql_on "$name" postgres <<EOF
SELECT format('CREATE ROLE %I LOGIN', '$role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') \gexec
ALTER ROLE $role PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', '$database', '$role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database') \gexec
EOF
}

setup_coordinator() {
  local sql="CREATE EXTENSION IF NOT EXISTS postgres_fdw;
GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO $role;"
  local i server port
  for i in 1 2; do
    server="personae_shard_$i"
    port=$(port_of "shard$i")
    sql+="
CREATE SERVER IF NOT EXISTS $server FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '$port', dbname '$database', async_capable 'true', fetch_size '10000');
ALTER SERVER $server OPTIONS (SET host '127.0.0.1', SET port '$port', SET dbname '$database');
-- A row fetched from a shard costs 0.2 (PostgreSQL 17's default; 15's 0.01 makes a shard's grouping or join
-- of one row per customer look no cheaper than fetching its rows).
SELECT format('ALTER SERVER %I OPTIONS (%s fdw_tuple_cost %L)', srvname,
  CASE WHEN EXISTS (SELECT FROM unnest(srvoptions) AS o WHERE o LIKE 'fdw_tuple_cost=%') THEN 'SET' ELSE 'ADD' END, '0.2')
  FROM pg_foreign_server WHERE srvname = '$server' \\gexec
ALTER SERVER $server OWNER TO $role;
CREATE USER MAPPING IF NOT EXISTS FOR $role SERVER $server OPTIONS (user '$role', password '$password');
ALTER USER MAPPING FOR $role SERVER $server OPTIONS (SET user '$role', SET password '$password');"
  done
  psql_on coordinator "$database" <<<"$sql"
}

print_env() {
  echo "export PERSONAE_PG_URL='$(url_of single)'"
  echo "export PERSONAE_PG_COORDINATOR_URL='$(url_of coordinator)'"
  echo "export PERSONAE_PG_SHARD_URLS='$(url_of shard1),$(url_of shard2)'"
  echo "export PERSONAE_PG_SHARD_SERVERS='personae_shard_1,personae_shard_2'"
}

case "${1:-start}" in
  start)
    # Standard output carries the export lines only (callers eval it), so whatever the tools print goes to
    # stderr: e.g. pg_ctlcluster's "Removed stale pid file." after a machine restart, which an eval would run.
    {
      # The socket directory lives on a tmpfs that a restart empties; the Debian package makes it only at boot.
      if [ ! -d /var/run/postgresql ] && [ "$(id -u)" = 0 ]; then
        install -d -o postgres -g postgres -m 2775 /var/run/postgresql
      fi
      for name in "${names[@]}"; do start_cluster "$name"; done
      for name in "${names[@]}"; do setup_role_and_database "$name"; done
      setup_coordinator
    } >&2
    print_env
    ;;
  env) print_env ;;
  stop)
    for name in "${names[@]}"; do
      [ "$(status_of "$name")" = online ] && as_owner pg_ctlcluster "$version" "$(cluster_of "$name")" stop
    done
    ;;
  drop)
    [ "$(id -u)" = 0 ] || die "dropping clusters needs root (sudo)"
    for name in "${names[@]}"; do
      [ "$(status_of "$name")" = absent ] || pg_dropcluster --stop "$version" "$(cluster_of "$name")"
    done
    ;;
  *) die "unknown command '$1' (start, env, stop or drop)" ;;
esac
