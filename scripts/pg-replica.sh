#!/usr/bin/env bash
# A PostgreSQL primary and its streaming replica on this machine, for the read-replica
# test and the local cluster (issue 26): two clusters of their own under $CCHC_PG_DIR
# (default /tmp/cchc-pg), on ports $CCHC_PG_PRIMARY_PORT (5441) and
# $CCHC_PG_REPLICA_PORT (5442), listening on 127.0.0.1 only, trust authentication. The
# machine's own PostgreSQL (5432) is not touched.
#
#   scripts/pg-replica.sh up       create (first time) and start both; print the URLs
#   scripts/pg-replica.sh down     stop both
#   scripts/pg-replica.sh status   role and lag of the replica
#   scripts/pg-replica.sh destroy  stop both and delete their files
#
# The replica is made the way a production one is: `pg_basebackup -R -X stream` of the
# primary, then it follows the primary's WAL over a replication connection (hot standby:
# it answers reads).
set -euo pipefail

cmd=${1:-up}
DIR=${CCHC_PG_DIR:-/tmp/cchc-pg}
PRIMARY_PORT=${CCHC_PG_PRIMARY_PORT:-5441}
REPLICA_PORT=${CCHC_PG_REPLICA_PORT:-5442}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
psql_at() { psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -qAtc "$2"; }
running() { as_pg "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

up() {
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
  if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    # initdb with trust also allows replication connections from 127.0.0.1.
    as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DIR/primary/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 10
max_connections = 200
shared_buffers = 256MB
# Commits wait for the local disk only, as the machine's own cluster does.
synchronous_commit = on
# As Db::connect asks of each connection (a pooler in between may drop the option).
jit = off
CONF
  fi
  running "$DIR/primary" || as_pg "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
  if [ ! -f "$DIR/replica/PG_VERSION" ]; then
    as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream -c fast
    # The copy carries the primary's settings; the replica listens on its own port.
    echo "port = $REPLICA_PORT" | as_pg tee -a "$DIR/replica/postgresql.auto.conf" >/dev/null
  fi
  running "$DIR/replica" || as_pg "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
  for _ in $(seq 1 60); do
    [ "$(psql_at "$REPLICA_PORT" 'select pg_is_in_recovery()' 2>/dev/null)" = "t" ] && break
    sleep 0.5
  done
  [ "$(psql_at "$REPLICA_PORT" 'select pg_is_in_recovery()')" = "t" ] || { echo "the replica is not in recovery" >&2; exit 1; }
  echo "primary: postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
  echo "replica: postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
}

down() {
  for c in replica primary; do
    if [ -f "$DIR/$c/PG_VERSION" ] && running "$DIR/$c"; then
      as_pg "$BIN/pg_ctl" -D "$DIR/$c" -m fast -w stop >/dev/null
    fi
  done
}

status() {
  echo "primary ($PRIMARY_PORT): $(psql_at "$PRIMARY_PORT" "select case when pg_is_in_recovery() then 'replica' else 'primary' end" 2>/dev/null || echo down)"
  echo "replica ($REPLICA_PORT): $(psql_at "$REPLICA_PORT" "select case when pg_is_in_recovery() then 'replica' else 'primary' end" 2>/dev/null || echo down)"
  psql_at "$PRIMARY_PORT" "select 'streaming to ' || client_addr || ', replay lag ' || coalesce(replay_lag::text, '0') from pg_stat_replication" 2>/dev/null || true
}

case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  destroy) down; rm -rf "$DIR" ;;
  *) echo "usage: $0 up|down|status|destroy" >&2; exit 2 ;;
esac
