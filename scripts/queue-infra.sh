#!/usr/bin/env bash
# PostgreSQL and Redis for n8n in queue mode (the queue-mode e2e suite), on 127.0.0.1 at free ports, from Debian's
# packages (installed with apt-get when missing, as root). Same pattern as ../shared/libredesk-server/start.sh.
#
#   scripts/queue-infra.sh start DIR   # ~3 s; prints one JSON line {"postgres":{"port":…,"database":"n8n",…},"redis":{"port":…}}
#   scripts/queue-infra.sh stop DIR    # stops both (by recorded pid / pg_ctl) and removes DIR and the data folder
set -euo pipefail
cmd=${1:?usage: queue-infra.sh start|stop DIR}
DIR=${2:?usage: queue-infra.sh start|stop DIR}
log() { echo "[queue-infra] $*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

if [ "$cmd" = stop ]; then
  [ -d "$DIR" ] || exit 0
  pid=$(cat "$DIR/redis.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  PGDIR=$(cat "$DIR/pgdir" 2>/dev/null || true)
  if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -m fast -w stop" >/dev/null 2>&1 || true
  fi
  [ -n "$PGDIR" ] && rm -rf "$PGDIR"
  rm -rf "$DIR"
  exit 0
fi
[ "$cmd" = start ] || { log "unknown command $cmd"; exit 2; }

need=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "install ${need[*]} first (Debian: apt-get install ${need[*]})"; exit 2; }
  log "installing ${need[*]} from Debian"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port); REDIS_PORT=$(free_port)

mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd)
# The data folder must belong to the postgres user (initdb refuses root), in a folder it can reach.
PGDIR=$(mktemp -d /tmp/n8n-queue-pg-XXXXXX) && chmod 755 "$PGDIR" && echo "$PGDIR" >"$DIR/pgdir"
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
as_pg "'$PGBIN/initdb' -D '$PGDIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$PGDIR/initdb.log' 2>&1"
as_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/server.log' -o \"-p $PG_PORT -k '$PGDIR' -c listen_addresses=127.0.0.1 -c max_connections=200\" -w start </dev/null >'$PGDIR/pg_ctl.log' 2>&1"
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create user n8n password 'n8n';" -c "create database n8n owner n8n;"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR" --save '' --appendonly no --daemonize yes \
  --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
for _ in $(seq 1 50); do [ -s "$DIR/redis.pid" ] && break; sleep 0.1; done
echo "{\"postgres\":{\"host\":\"127.0.0.1\",\"port\":$PG_PORT,\"database\":\"n8n\",\"user\":\"n8n\",\"password\":\"n8n\"},\"redis\":{\"host\":\"127.0.0.1\",\"port\":$REDIS_PORT}}"
