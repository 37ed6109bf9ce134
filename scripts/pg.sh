#!/usr/bin/env bash
# Start/stop a throwaway PostgreSQL cluster (Debian's binaries) on 127.0.0.1.
# Usage: scripts/pg.sh start|stop DIR PORT
#   start prints postgresql+asyncpg://postgres@127.0.0.1:PORT/xianfeng_test
#   stop  stops the server and removes DIR
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR PORT" >&2; exit 2; }
[[ $# -eq 3 ]] || usage
cmd="$1"; dir="$2"; port="$3"

# Newest installed server version.
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bindir" || ! -x "$bindir/pg_ctl" ]]; then
    echo "pg.sh: no PostgreSQL server found under /usr/lib/postgresql (run scripts/apt_deps.sh --pg)" >&2
    exit 1
fi

# initdb refuses to run as root: run the server as the `postgres` system user.
as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    elif [[ "$(id -un)" == postgres ]]; then
        "$@"
    else
        sudo -u postgres -- "$@"
    fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    # postgres must be able to reach DIR (e.g. inside a 0700 mktemp dir).
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
    parent="$(dirname "$dir")"
    if ! as_pg test -x "$parent"; then
        chmod o+x "$parent"
    fi
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
            --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg mkdir -p "$dir/sock"
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null \
        || { tail -n 30 "$dir/server.log" >&2; exit 1; }
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres xianfeng_test
    echo "postgresql+asyncpg://postgres@127.0.0.1:$port/xianfeng_test"
    ;;
stop)
    if [[ -d "$dir" ]]; then
        dir="$(cd "$dir" && pwd)"
        if [[ -f "$dir/data/postmaster.pid" ]]; then
            as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
        fi
        rm -rf "$dir"
    fi
    ;;
*) usage ;;
esac
