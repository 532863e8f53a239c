#!/usr/bin/env bash
# A private PostgreSQL server for the lake tests: `start STATE` runs initdb
# and pg_ctl in a fresh temp folder (as the unprivileged user nobody when run
# as root: initdb refuses root), listening on a Unix socket only (no TCP
# port to collide with), and writes its URL to STATE/url; `stop STATE` stops
# it by its pid and removes the folder. CTest runs them as fixture setup and
# cleanup, so the server stops also when a test fails.
set -euo pipefail
cmd=$1 state=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "pg-server: no PostgreSQL server binaries (scripts/install-deps.sh installs postgresql)" >&2; exit 1; }
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }

stop() {
  [[ -f "$state/dir" ]] || return 0
  local dir; dir=$(cat "$state/dir")
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || kill -9 "$(head -1 "$dir/data/postmaster.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir" "$state"
}

case "$cmd" in
  start)
    stop
    mkdir -p "$state"
    # A short path: a Unix socket path must stay under ~100 bytes.
    dir=$(mktemp -d /tmp/ptr-pg.XXXXXX)
    echo "$dir" > "$state/dir"
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown nobody "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U lake -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories=$dir -p 5432 -c fsync=off -c max_connections=50" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://lake@/postgres?host=$dir&port=5432" > "$state/url"
    echo "pg-server: $(cat "$state/url")"
    ;;
  stop) stop ;;
  *) echo "usage: pg-server.sh start|stop STATE" >&2; exit 2 ;;
esac
