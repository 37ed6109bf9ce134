#!/usr/bin/env bash
# Start/stop a private, non-persistent redis-server.
# Usage: scripts/redis.sh start|stop DIR PORT
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR PORT" >&2; exit 2; }
[[ $# -eq 3 ]] || usage
cmd="$1"; dir="$2"; port="$3"
pidfile="$dir/redis-$port.pid"

case "$cmd" in
start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    pidfile="$dir/redis-$port.pid"
    redis-server --daemonize yes --dir "$dir" --port "$port" --bind 127.0.0.1 \
        --save '' --appendonly no --pidfile "$pidfile" \
        --logfile "$dir/redis-$port.log" >/dev/null
    for _ in $(seq 1 100); do
        if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]]; then
            exit 0
        fi
        sleep 0.1
    done
    echo "redis.sh: redis-server on port $port did not answer; log:" >&2
    tail -n 20 "$dir/redis-$port.log" >&2 || true
    exit 1
    ;;
stop)
    if [[ -f "$pidfile" ]]; then
        pid="$(cat "$pidfile")"
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    fi
    ;;
*) usage ;;
esac
