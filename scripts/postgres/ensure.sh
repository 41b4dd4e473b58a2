#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 (Debian's server) for the tests under .ferry/postgres/, on a
# free loopback port, as the `postgres` OS user (the server refuses to run as root).
# Prints the admin connection URL and writes it to .ferry/postgres/url. Idempotent: when it is
# already running it only prints the URL. Prints `started` as its LAST line only when this run
# started it (scripts/run-tests.mjs then stops it with scripts/postgres/down.sh).
#
# When the test cluster's real node is up (.ferry/cluster/real/net.env, its bridge present), the
# server also listens on the bridge's gateway address, so pods reach it: the admin URL with that
# host is written to .ferry/postgres/url-pods. The host connects there without a password (as on
# loopback); pods' addresses must give their role's password (scram-sha-256). A server already
# running without that address (or with another one) is restarted to listen on it; one that
# listens on a bridge that has gone since is left as it is.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
DIR="$ROOT/.ferry/postgres"
DATA="$DIR/data"
BIN="${FERRY_PG_BIN:-/usr/lib/postgresql/15/bin}"
[ -x "$BIN/postgres" ] || { echo "postgres: $BIN/postgres not found; run scripts/setup.sh (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The real node's bridge, when it is up: REAL_GATEWAY and REAL_SUBNET.
REAL_GATEWAY="" REAL_SUBNET=""
NET="$ROOT/.ferry/cluster/real/net.env"
if [ -f "$NET" ]; then
  gw=$(sed -n 's/^REAL_GATEWAY=//p' "$NET")
  if ip -4 -o addr show 2>/dev/null | grep -qF " inet $gw/"; then
    REAL_GATEWAY=$gw
    REAL_SUBNET=$(sed -n 's/^REAL_SUBNET=//p' "$NET")
  fi
fi
LISTEN="127.0.0.1${REAL_GATEWAY:+,$REAL_GATEWAY}"

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

if [ -f "$DIR/url" ] && running; then
  if [ -z "$REAL_GATEWAY" ] || [ "$(cat "$DIR/listen" 2>/dev/null)" = "$LISTEN" ]; then
    cat "$DIR/url"; echo
    exit 0
  fi
  echo "postgres: restarting to listen on $LISTEN (was $(cat "$DIR/listen" 2>/dev/null || echo 127.0.0.1))" >&2
  as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  PORT=$(sed -n 's#^postgres://[^@]*@127.0.0.1:\([0-9]*\)/.*#\1#p' "$DIR/url")
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
fi

# Who may connect: the host over the socket and loopback without a password, and over the
# bridge's gateway; the pods' subnet with a password only.
{
  echo "local all all trust"
  echo "host all all 127.0.0.1/32 trust"
  echo "host all all ::1/128 trust"
  if [ -n "$REAL_GATEWAY" ]; then
    echo "host all all $REAL_GATEWAY/32 trust"
    echo "host all all $REAL_SUBNET scram-sha-256"
  fi
} >"$DIR/pg_hba.conf"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR/pg_hba.conf"; fi

PORT="${PORT:-${FERRY_PG_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}}"
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 \
  -o "-c listen_addresses=$LISTEN -p $PORT -k $DIR -c hba_file=$DIR/pg_hba.conf -c password_encryption=scram-sha-256 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null \
  || { tail -20 "$DIR/server.log" >&2; exit 1; }
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
printf '%s' "$URL" >"$DIR/url"
printf '%s' "$LISTEN" >"$DIR/listen"
if [ -n "$REAL_GATEWAY" ]; then
  printf 'postgres://postgres@%s:%s/postgres' "$REAL_GATEWAY" "$PORT" >"$DIR/url-pods"
else
  rm -f "$DIR/url-pods"
fi
echo "$URL"
echo started
