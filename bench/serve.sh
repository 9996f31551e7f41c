#!/usr/bin/env bash
# Serve the portal with gunicorn on loopback, DEBUG off, against a given database; print the PID.
#
#   bench/serve.sh DATABASE_URL [PORT] [WORKERS]
#   PID=$(bench/serve.sh postgres://postgres@127.0.0.1:5432/district 18765)
#   ...                     # drive http://127.0.0.1:18765/
#   kill "$PID"             # gunicorn's master: stops the workers and exits
#
# Production-like: DEBUG=0, hashed and compressed static files (collected into STATIC_ROOT,
# default /tmp/branch-portal-bench-static), WEB_CONCURRENCY workers (default 2 x cores + 1),
# access log off (GUNICORN_ACCESS_LOG=on to keep it). It always binds 127.0.0.1: the traffic of a
# benchmark never leaves the machine. The database must be migrated (and usually filled with
# `manage.py generate_data`) beforehand. The server's output goes to BENCH_LOG
# (default /tmp/branch-portal-bench-PORT.log). Only the PID is printed on stdout.
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

cd "$(dirname "$0")/.."
PORT=${2:-18765}
WORKERS=${3:-$((2 * $(nproc) + 1))}
LOG=${BENCH_LOG:-/tmp/branch-portal-bench-$PORT.log}
URL="http://127.0.0.1:$PORT"

export DATABASE_URL=$1
export DEBUG=0 MANIFEST_STATIC=1
export SECRET_KEY=${SECRET_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")}
export STATIC_ROOT=${STATIC_ROOT:-/tmp/branch-portal-bench-static}
export BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=$WORKERS
export GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG:-off}
unset HTTPS  # plain HTTP on loopback: no redirect to https

if curl -s -o /dev/null --max-time 2 "$URL/"; then
    echo "serve.sh: something already answers on $URL" >&2
    exit 1
fi

.venv/bin/python manage.py collectstatic --noinput -v0
nohup .venv/bin/gunicorn -c gunicorn.conf.py >"$LOG" 2>&1 </dev/null &
PID=$!

# Wait (at most 30 s) until it answers at all.
for _ in $(seq 60); do
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "serve.sh: gunicorn exited; its log ($LOG):" >&2
        tail -20 "$LOG" >&2
        exit 1
    fi
    code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/login/" || true)
    if [[ $code != 000 ]]; then
        echo "serve.sh: gunicorn (PID $PID, $WORKERS workers) serves $URL, DATABASE_URL=$DATABASE_URL, log $LOG" >&2
        echo "$PID"
        exit 0
    fi
    sleep 0.5
done
echo "serve.sh: no answer from $URL after 30 s; stopping PID $PID" >&2
kill "$PID"
exit 1
