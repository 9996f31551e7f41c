#!/usr/bin/env bash
# Two app servers as one: two gunicorn servers behind nginx, sharing PostgreSQL, Redis and media.
#
#   bench/cluster.sh [--reuse] [--checks-only] [--seconds 8] [--rounds 2] [--connections 12]
#                    [--workers 3] [--min-ratio 1.6] [--quiet LOAD] [--nice N] [--pgbouncer]
#
# Server A (127.0.0.1:18301) runs on core 0 only and server B (127.0.0.1:18302) on core 1 only
# (`taskset`), each with --workers gunicorn workers (bench/serve.sh: DEBUG off, hashed static
# files), the same SECRET_KEY, database, Redis (REDIS_URL, cache + sessions) and MEDIA_ROOT (one
# folder: one host). nginx (Debian's, its own config in a temporary folder, not /etc/nginx)
# listens on 18300 (both servers, round robin), 18303 (A only) and 18304 (B only), sends
# X-Forwarded-For (AXES_PROXY_COUNT=1) and serves uploads the portal has cleared
# (MEDIA_SERVE=nginx, X-Accel-Redirect). bench/cluster.py then checks, alternating A and B:
# a write through A is seen through B at once; the login, signing and 意见箱 limits; an upload
# through A served through B; and measures wrk through nginx on ping, the activity list, the
# dashboard and the committee's heat map, one server against two, with the fragment cache on and
# then off (both servers restarted with PAGE_CACHE_SECONDS=0). It prints the tables and exits
# non-zero if a check failed or two servers gave less than --min-ratio × one on a cached page or
# ping.
#
# The database: CLUSTER_DB (default district_cluster), made afresh from the template
# CLUSTER_TEMPLATE (default district_base, a generated district) unless --reuse is given; it is
# migrated and left in place at the end. Redis: CLUSTER_REDIS (default redis://127.0.0.1:6379/5),
# that database only is flushed. Every process started here is stopped at the end, on an error
# and on Ctrl-C; the logs stay in the temporary folder printed at the start. --quiet LOAD waits
# (at most 15 minutes) until the 1-minute load average is below LOAD before measuring.
# --nice -10 runs everything started here, and PostgreSQL's backends of the database, at that
# priority: on a machine busy with other jobs the stack then gets the cores first.
# --pgbouncer puts Debian's PgBouncer (127.0.0.1:18305, transaction mode, 4 server connections)
# between the servers and PostgreSQL, with CONN_MAX_AGE=0 and DISABLE_SERVER_SIDE_CURSORS=1.
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

cd "$(dirname "$0")/.."
REUSE=0 CHECKS_ONLY=0 SECONDS_EACH=8 ROUNDS=2 CONNECTIONS=12 WORKERS=3 MIN_RATIO=1.6 QUIET="" PGBOUNCER=0 NICE="" AUTOGROUP_NICE=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --reuse) REUSE=1 ;;
        --checks-only) CHECKS_ONLY=1 ;;
        --seconds) SECONDS_EACH=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --workers) WORKERS=$2; shift ;;
        --min-ratio) MIN_RATIO=$2; shift ;;
        --quiet) QUIET=$2; shift ;;
        --pgbouncer) PGBOUNCER=1 ;;
        --nice) NICE=$2; shift ;;
        *) echo "cluster.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

for tool in nginx wrk taskset psql createdb; do
    command -v "$tool" >/dev/null || { echo "cluster.sh: $tool is missing (apt-get install nginx wrk postgresql-client)" >&2; exit 2; }
done
if [[ $(nproc) -lt 2 ]]; then
    echo "cluster.sh: needs 2 cores (one per server); this machine has $(nproc)" >&2
    exit 2
fi

if [[ -n $NICE ]]; then
    renice -n "$NICE" -p $$ >/dev/null  # inherited by every process started below
    # With the kernel's autogroups, nice orders processes within one session only: set the
    # session's too (given back at the end: the session outlives this script).
    if [[ -w /proc/$$/autogroup ]]; then
        AUTOGROUP_NICE=$(awk '{ print $NF }' "/proc/$$/autogroup")
        echo "$NICE" >"/proc/$$/autogroup" 2>/dev/null || true
    fi
fi

DB=${CLUSTER_DB:-district_cluster}
TEMPLATE=${CLUSTER_TEMPLATE:-district_base}
PG="-h 127.0.0.1 -U postgres"
DATABASE=postgres://postgres@127.0.0.1:5432/$DB
PROXY=18300 PORT_A=18301 PORT_B=18302 ONLY_A=18303 ONLY_B=18304 BOUNCER=18305
PY=.venv/bin/python

WORK=$(mktemp -d /tmp/branch-portal-cluster.XXXXXX)
chmod 755 "$WORK"
GUNICORN_PIDS=()
DRIVER_PID=""

stop_pid() {  # TERM, wait up to 30 s, then KILL
    local pid=$1
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 60); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
}

stop_servers() {
    local pid
    for pid in "${GUNICORN_PIDS[@]}"; do
        stop_pid "$pid"
    done
    GUNICORN_PIDS=()
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n $DRIVER_PID ]]; then
        stop_pid "$DRIVER_PID"
    fi
    stop_servers
    if [[ -s $WORK/nginx.pid ]]; then
        stop_pid "$(cat "$WORK/nginx.pid")"
    fi
    if [[ -s $WORK/pgbouncer/pgbouncer.pid ]]; then
        stop_pid "$(cat "$WORK/pgbouncer/pgbouncer.pid")"
    fi
    if [[ -n $AUTOGROUP_NICE ]]; then
        echo "$AUTOGROUP_NICE" >"/proc/$$/autogroup" 2>/dev/null || true
    fi
    echo "cluster.sh: every process stopped; logs in $WORK" >&2
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

driver() {  # run bench/cluster.py in the background, so that Ctrl-C reaches the trap at once
    "$PY" bench/cluster.py "$@" &
    DRIVER_PID=$!
    local status=0
    wait "$DRIVER_PID" || status=$?
    DRIVER_PID=""
    return "$status"
}

for port in $PROXY $PORT_A $PORT_B $ONLY_A $ONLY_B $BOUNCER; do
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
        echo "cluster.sh: something already answers on 127.0.0.1:$port" >&2
        exit 1
    fi
done

echo "cluster.sh: working folder $WORK; $(uptime)" >&2

# --- the database, Redis, the shared settings -------------------------------------------------
if [[ $REUSE == 0 ]]; then
    echo "cluster.sh: database $DB made afresh from $TEMPLATE" >&2
    dropdb $PG --if-exists "$DB"
    createdb $PG -T "$TEMPLATE" "$DB"
fi
DATABASE_URL=$DATABASE "$PY" manage.py migrate --noinput -v0

export REDIS_URL=${CLUSTER_REDIS:-redis://127.0.0.1:6379/5}
"$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS_URL"

export SECRET_KEY
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export BENCH=1 AXES_PROXY_COUNT=1 MEDIA_SERVE=nginx GUNICORN_MAX_REQUESTS=0  # no worker recycled mid-run
export MEDIA_ROOT=$WORK/media STATIC_ROOT=$WORK/static
mkdir -p "$MEDIA_ROOT" "$WORK/nginx-tmp"

# --- nginx --------------------------------------------------------------------------------------
server_block() {  # listen port, upstream name
    cat <<EOF
    server {
        listen 127.0.0.1:$1;
        location /protected-media/ {
            internal;
            alias $MEDIA_ROOT/;
            add_header X-Content-Type-Options nosniff;
            add_header Cache-Control "private, no-store";
        }
        location / {
            proxy_pass http://$2;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 65s;
            add_header X-Upstream \$upstream_addr always;
        }
    }
EOF
}
cat >"$WORK/nginx.conf" <<EOF
user nobody nogroup;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_max_body_size 12m;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;
    upstream both { server 127.0.0.1:$PORT_A; server 127.0.0.1:$PORT_B; }
    upstream only_a { server 127.0.0.1:$PORT_A; }
    upstream only_b { server 127.0.0.1:$PORT_B; }
$(server_block $PROXY both)
$(server_block $ONLY_A only_a)
$(server_block $ONLY_B only_b)
}
EOF
nginx -t -q -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf"
nginx -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf"
echo "cluster.sh: nginx (PID $(cat "$WORK/nginx.pid")) on 127.0.0.1:$PROXY (A+B), :$ONLY_A (A), :$ONLY_B (B)" >&2

# --- PgBouncer (optional) ----------------------------------------------------------------------
SERVED=$DATABASE
if [[ $PGBOUNCER == 1 ]]; then
    command -v pgbouncer >/dev/null || { echo "cluster.sh: pgbouncer is missing (apt-get install pgbouncer)" >&2; exit 2; }
    mkdir -p "$WORK/pgbouncer"
    echo '"postgres" ""' >"$WORK/pgbouncer/users.txt"
    cat >"$WORK/pgbouncer/pgbouncer.ini" <<EOF
[databases]
$DB = host=127.0.0.1 port=5432 dbname=$DB user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $WORK/pgbouncer/users.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 100
pidfile = $WORK/pgbouncer/pgbouncer.pid
logfile = $WORK/pgbouncer/pgbouncer.log
EOF
    chown -R nobody "$WORK/pgbouncer"
    pgbouncer -d -u nobody "$WORK/pgbouncer/pgbouncer.ini"  # it refuses to run as root
    for _ in $(seq 20); do
        [[ -s $WORK/pgbouncer/pgbouncer.pid ]] && break
        sleep 0.5
    done
    echo "cluster.sh: PgBouncer (PID $(cat "$WORK/pgbouncer/pgbouncer.pid")) on 127.0.0.1:$BOUNCER, transaction mode, 4 server connections" >&2
    SERVED=postgres://postgres@127.0.0.1:$BOUNCER/$DB
    export CONN_MAX_AGE=0 DISABLE_SERVER_SIDE_CURSORS=1
fi

# --- the two servers ---------------------------------------------------------------------------
start_servers() {  # PAGE_CACHE_SECONDS
    local core port pid
    for core in 0 1; do
        port=$((PORT_A + core))
        pid=$(PAGE_CACHE_SECONDS=$1 BENCH_LOG=$WORK/gunicorn-$port.log \
            taskset -c "$core" bench/serve.sh "$SERVED" "$port" "$WORKERS")
        GUNICORN_PIDS+=("$pid")
        echo "${GUNICORN_PIDS[*]}" >"$WORK/servers.pids"
        echo "cluster.sh: server on :$port, PAGE_CACHE_SECONDS=$1, $(taskset -cp "$pid")" >&2
    done
}

driver setup --database "$DATABASE" --out "$WORK/facts.json"
start_servers 600
results=("$WORK/checks.json")
driver checks --facts "$WORK/facts.json" --out "$WORK/checks.json" || true
CONNECTIONS_NOW=$(psql $PG -d "$DB" -Atc "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")
echo "cluster.sh: server connections to PostgreSQL $DB after the checks: $CONNECTIONS_NOW" >&2

wait_quiet() {
    [[ -n $QUIET ]] || return 0
    local waited=0
    while awk -v q="$QUIET" '{ exit !($1 >= q) }' /proc/loadavg && [[ $waited -lt 900 ]]; do
        [[ $((waited % 60)) == 0 ]] && echo "cluster.sh: load average $(cut -d' ' -f1 /proc/loadavg) ≥ $QUIET, waiting" >&2
        sleep 5
        waited=$((waited + 5))
    done
}

if [[ $CHECKS_ONLY == 0 ]]; then
    wait_quiet
    load=(--work "$WORK" --seconds "$SECONDS_EACH" --rounds "$ROUNDS" --connections "$CONNECTIONS" --workers "$WORKERS" ${NICE:+--nice "$NICE"})
    driver throughput --facts "$WORK/facts.json" --phase cached --out "$WORK/cached.json" "${load[@]}"
    results+=("$WORK/cached.json")
    stop_servers
    start_servers 0
    wait_quiet
    driver throughput --facts "$WORK/facts.json" --phase uncached --out "$WORK/uncached.json" \
        --only "activity list,dashboard,heat map" "${load[@]}"
    results+=("$WORK/uncached.json")
fi

echo "cluster.sh: $(uptime)" >&2
echo "Two servers, $WORKERS gunicorn workers each (A: core 0, B: core 1), nginx, PostgreSQL $DB$([[ $PGBOUNCER == 1 ]] && echo " through PgBouncer (transaction mode)") ($CONNECTIONS_NOW server connections after the checks), Redis $REDIS_URL${NICE:+, all at nice $NICE}; $(date -u '+%F %H:%M UTC'), $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
driver summary "${results[@]}" --min-ratio "$MIN_RATIO"
