#!/usr/bin/env bash
# Load test: gunicorn as `make serve` runs it (gunicorn.conf.py, DEBUG off) and wrk on
# loopback, logged in. For each database it measures, in order:
#   the ceiling    /account/whoami/ (a logged-in page that does almost nothing)
#   the board      /
#   the changelist /admin/assessments/injection/
#   an injection   /injections/<id>/
#   its PDF        /injections/<id>/report.pdf
# and prints req/s, p50/p99 latency, errors (non-2xx responses + socket errors), the ratio
# to the ceiling and a verdict against the targets below.
#
# Then, when Redis answers at REDIS_URL (default redis://127.0.0.1:6379/0), the same pages on
# two app servers (ports PORT and PORT+1, each WORKERS workers) sharing that Redis and the
# database, half of the connections on each at once, as behind a load balancer: req/s of
# each and together, the worst p99, errors, and the ratio of the total to the pair's own
# ceiling. On one 2-core machine the two servers share the cores: the figure shows what the
# shared cache costs and keeps, not more capacity.
#
#     bench/load.sh                                  # 20 s per page, SQLite then PostgreSQL
#     DURATION=5 bench/load.sh                       # a quick smoke run
#     BENCH_DATABASES=sqlite GUNICORN_THREADS=1 bench/load.sh
#     PAGES="ceiling changelist" TWO_SERVERS=0 bench/load.sh   # some pages, one server only
#
# SQLite: a throwaway file in a temporary directory. PostgreSQL (when PG_ADMIN_URL answers,
# default postgres://postgres@127.0.0.1:5432, trust auth): a throwaway database si_load_<pid>,
# dropped at the end. Both get the demo data + SYNTHETIC synthetic injections.
# Targets (2 cores; the ratios are what count): ceiling >= 350 req/s on SQLite; board >= 0.5x
# the ceiling; injection page >= 0.4x; changelist >= 0.2x; p99 < 200 ms and 0 errors each.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
PORT=${PORT:-8765}
SYNTHETIC=${SYNTHETIC:-3000}
BENCH_DATABASES=${BENCH_DATABASES:-sqlite postgresql}
PAGES=${PAGES:-ceiling board changelist injection pdf}
TWO_SERVERS=${TWO_SERVERS:-1}
BENCH_REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
unset REDIS_URL # the one-server run uses each process's memory, as `make serve` does by default
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
PG_DATABASE="si_load_$$"
PYTHON=.venv/bin/python
BASE="http://127.0.0.1:${PORT}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is missing: install it with 'apt-get install -y wrk' (Debian package wrk)." >&2
    exit 2
fi
[ -x "$PYTHON" ] || { echo "No virtualenv: run 'make install' first." >&2; exit 2; }

WORK=$(mktemp -d)
GUNICORN_PID=""
SECOND_PID=""
PG_CREATED=""

postgres() { # postgres create|drop|ping: the throwaway database, via psycopg
    "$PYTHON" - "$PG_ADMIN_URL/postgres" "$PG_DATABASE" "$1" <<'PY'
import sys

import psycopg
from psycopg import sql

url, name, action = sys.argv[1:]
with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
    if action == "create":
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    elif action == "drop":
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
PY
}

stop_gunicorn() {
    local pid
    for pid in "$GUNICORN_PID" "$SECOND_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    GUNICORN_PID=""
    SECOND_PID=""
}

redis_answers() {
    "$PYTHON" - "$BENCH_REDIS_URL" <<'PY' 2>/dev/null
import sys

import redis

redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()
PY
}

cleanup() {
    stop_gunicorn
    if [ -n "$PG_CREATED" ]; then
        postgres drop || echo "Could not drop the database $PG_DATABASE; drop it by hand." >&2
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export SECRET_KEY="${SECRET_KEY:-load-bench-only-insecure-key}"
export DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING OTP_REQUIRED=0

# wrk counts 3xx as success; a lost session would redirect to the login page, so count
# every non-2xx response ourselves.
cat >"$WORK/count.lua" <<'LUA'
local threads = {}
non2xx = 0
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
    if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
    local bad = 0
    for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "RESULT %.1f %.1f %.1f %d %d %d\n", summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
        bad, e.connect + e.read + e.write + e.timeout))
end
LUA

# Migrate and seed the database DATABASE_URL names; sets SESSION (a logged-in staff session
# made directly in the session store: GET requests only, so no CSRF token is needed) and
# INJECTION (a demo injection with readings before, in and after the window).
prepare_database() {
    "$PYTHON" manage.py migrate --noinput -v0
    "$PYTHON" manage.py setup_roles >/dev/null
    "$PYTHON" manage.py seed_demo --patients "$SYNTHETIC" --skip-history >/dev/null
    local facts
    facts=$("$PYTHON" manage.py shell -v0 -c '
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from assessments.models import Injection
user, _ = get_user_model().objects.get_or_create(
    username="load-bench", defaults={"is_staff": True, "is_superuser": True}
)
user.set_unusable_password()
user.save()
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
injection = Injection.objects.filter(patient__mrn="DEMO-001").earliest("pk")
print(settings.SESSION_COOKIE_NAME + "=" + store.session_key, injection.pk)
' 2>/dev/null | tail -n 1)
    read -r SESSION INJECTION <<<"$facts"
}

start_gunicorn() { # start_gunicorn LOG [PORT]: sets GUNICORN_PID (SECOND_PID for a 2nd)
    local log=$1 port=${2:-$PORT}
    WEB_CONCURRENCY=$WORKERS BIND="127.0.0.1:${port}" .venv/bin/gunicorn \
        --config gunicorn.conf.py --log-level warning >"$log" 2>&1 &
    if [ "$port" = "$PORT" ]; then GUNICORN_PID=$!; else SECOND_PID=$!; fi
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:${port}/health/" && return 0
        sleep 0.2
    done
    echo "gunicorn did not answer on port $port; its log:" >&2
    tail -n 40 "$log" >&2
    exit 1
}

# One wrk run; prints "req/s p50 p99 requests non2xx socket-errors".
measure() {
    local path=$1 seconds=$2 base=${3:-$BASE} connections=${4:-$CONNECTIONS}
    wrk --threads "$THREADS" --connections "$connections" --duration "${seconds}s" \
        --timeout 5s --script "$WORK/count.lua" -H "Cookie: ${SESSION}" "$base$path" |
        awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7}'
}

# The pages to measure: name, path, minimum ratio to the ceiling ("-": none; the ceiling has
# its own target): the ceiling (always: the ratios need it) and those named in PAGES.
pages() {
    local name path min_ratio
    while read -r name path min_ratio; do
        case " ceiling $PAGES " in *" $name "*) echo "$name ${path//<id>/$INJECTION} $min_ratio" ;; esac
    done <<'LIST'
ceiling /account/whoami/ -
board / 0.5
changelist /admin/assessments/injection/ 0.2
injection /injections/<id>/ 0.4
pdf /injections/<id>/report.pdf -
LIST
}

status=0
run_pages() {
    local database=$1 log=$2 ceiling="" name path min_ratio
    printf '  %-12s %-34s %8s %7s %7s %7s %6s  %s\n' \
        page path 'req/s' 'p50 ms' 'p99 ms' errors ratio verdict
    while read -r name path min_ratio; do
        local code
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${SESSION}" "$BASE$path")
        if [ "$code" != 200 ]; then
            echo "  $path answered $code before the run (expected 200); gunicorn's log:" >&2
            tail -n 40 "$log" >&2
            exit 1
        fi
        [ "$WARMUP" -gt 0 ] && measure "$path" "$WARMUP" >/dev/null
        local rps p50 p99 requests non2xx socket
        read -r rps p50 p99 requests non2xx socket < <(measure "$path" "$DURATION")
        local errors=$((non2xx + socket)) ratio problems=""
        [ -z "$ceiling" ] && ceiling=$rps
        ratio=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN {printf "%.2f", (c > 0 ? r / c : 0)}')
        if [ "$name" = ceiling ] && [ "$database" = sqlite ] &&
            awk -v r="$rps" 'BEGIN {exit !(r < 350)}'; then
            problems+=" <350req/s"
        fi
        if [ "$min_ratio" != - ] && awk -v r="$ratio" -v m="$min_ratio" 'BEGIN {exit !(r < m)}'; then
            problems+=" ratio<${min_ratio}"
        fi
        awk -v p="$p99" 'BEGIN {exit !(p >= 200)}' && problems+=" p99>=200ms"
        [ "$errors" -gt 0 ] && problems+=" errors"
        local verdict=ok
        if [ -n "$problems" ]; then
            verdict="MISSED:${problems}"
            status=1
        fi
        printf '  %-12s %-34s %8s %7s %7s %7s %6s  %s\n' \
            "$name" "$path" "$rps" "$p50" "$p99" "$errors" "${ratio}x" "$verdict"
    done < <(pages)
}

# The same pages on two servers sharing Redis, half of the connections on each at once.
run_two_servers() {
    local log=$1 ceiling="" name path min_ratio half=$(((CONNECTIONS + 1) / 2))
    local second="http://127.0.0.1:$((PORT + 1))"
    printf '  %-12s %-34s %8s %8s %8s %7s %7s %6s\n' \
        page path 'A req/s' 'B req/s' 'req/s' 'p99 ms' errors ratio
    while read -r name path min_ratio; do
        [ "$WARMUP" -gt 0 ] && measure "$path" "$WARMUP" "$second" "$half" >/dev/null
        measure "$path" "$DURATION" "$BASE" "$half" >"$WORK/a" &
        local first_wrk=$!
        measure "$path" "$DURATION" "$second" "$half" >"$WORK/b"
        wait "$first_wrk"
        local a_rps a_p50 a_p99 a_requests a_non2xx a_socket
        local b_rps b_p50 b_p99 b_requests b_non2xx b_socket
        read -r a_rps a_p50 a_p99 a_requests a_non2xx a_socket <"$WORK/a"
        read -r b_rps b_p50 b_p99 b_requests b_non2xx b_socket <"$WORK/b"
        local total p99 errors ratio
        total=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN {printf "%.1f", a + b}')
        p99=$(awk -v a="$a_p99" -v b="$b_p99" 'BEGIN {printf "%.1f", (a > b ? a : b)}')
        errors=$((a_non2xx + a_socket + b_non2xx + b_socket))
        [ -z "$ceiling" ] && ceiling=$total
        ratio=$(awk -v r="$total" -v c="$ceiling" 'BEGIN {printf "%.2f", (c > 0 ? r / c : 0)}')
        [ "$errors" -gt 0 ] && status=1
        printf '  %-12s %-34s %8s %8s %8s %7s %7s %6s\n' \
            "$name" "$path" "$a_rps" "$b_rps" "$total" "$p99" "$errors" "${ratio}x"
    done < <(pages)
}

bench_database() {
    local database=$1
    case $database in
    sqlite)
        export DATABASE_URL="sqlite:///${WORK}/load.sqlite3"
        ;;
    postgresql)
        if ! postgres ping 2>/dev/null; then
            echo "PostgreSQL: nothing answers at $PG_ADMIN_URL (user and trust auth as set there); skipped."
            return 0
        fi
        postgres create
        PG_CREATED=1
        export DATABASE_URL="$PG_ADMIN_URL/$PG_DATABASE"
        ;;
    *)
        echo "Unknown database '$database' in BENCH_DATABASES (sqlite, postgresql)." >&2
        exit 2
        ;;
    esac
    echo
    echo "== $database: setting up the demo data and ${SYNTHETIC} synthetic injections..."
    prepare_database
    "$PYTHON" manage.py collectstatic --noinput -v0
    start_gunicorn "$WORK/gunicorn-$database.log"
    local threads
    threads=$("$PYTHON" -c 'import runpy; print(runpy.run_path("gunicorn.conf.py")["threads"])')
    echo "gunicorn: ${WORKERS} workers x ${threads} threads on ${BASE};" \
        "wrk: ${THREADS} threads, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per page"
    run_pages "$database" "$WORK/gunicorn-$database.log"
    stop_gunicorn
    if [ "$TWO_SERVERS" = 1 ]; then
        if redis_answers; then
            echo "two servers (ports ${PORT} and $((PORT + 1)), ${WORKERS} workers each) sharing" \
                "Redis at ${BENCH_REDIS_URL}; wrk: $(((CONNECTIONS + 1) / 2)) connections on each"
            REDIS_URL=$BENCH_REDIS_URL start_gunicorn "$WORK/gunicorn-$database-a.log"
            REDIS_URL=$BENCH_REDIS_URL start_gunicorn "$WORK/gunicorn-$database-b.log" $((PORT + 1))
            run_two_servers "$WORK/gunicorn-$database-a.log"
            stop_gunicorn
        else
            echo "two servers: Redis does not answer at ${BENCH_REDIS_URL}; skipped."
        fi
    fi
    if [ "$database" = postgresql ]; then
        postgres drop
        PG_CREATED=""
    fi
}

for database in $BENCH_DATABASES; do
    bench_database "$database"
done
echo
echo "Targets: ceiling >= 350 req/s on SQLite; ratio to the ceiling: board >= 0.5x,"
echo "changelist >= 0.2x, injection page >= 0.4x; p99 < 200 ms and 0 errors (non-2xx +"
echo "socket errors) on every page. Ratios are what count on a 2-core machine. Two servers:"
echo "0 errors; their ratios are to the pair's own ceiling."
exit $status
