#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 (Debian's server) for the tests under .ferry/postgres/, on a
# free loopback port, as the `postgres` OS user (the server refuses to run as root).
# Prints the admin connection URL and writes it to .ferry/postgres/url. Idempotent: when it is
# already running it only prints the URL. Prints `started` as its LAST line only when this run
# started it (scripts/run-tests.mjs then stops it with scripts/postgres/down.sh).
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

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi

if [ -f "$DIR/url" ] && [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  cat "$DIR/url"; echo
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
fi

PORT="${FERRY_PG_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null \
  || { tail -20 "$DIR/server.log" >&2; exit 1; }
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
printf '%s' "$URL" >"$DIR/url"
echo "$URL"
echo started
