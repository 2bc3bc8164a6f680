#!/usr/bin/env bash
# Load test: gunicorn (2 workers, DEBUG off) and wrk on loopback, logged in, against the
# today board `/` and the injection changelist. Prints req/s, p99 latency and the error
# count (non-2xx responses + socket errors) for each page.
#
#     bench/load.sh                            # 60 s per page
#     DURATION=10 CONNECTIONS=8 bench/load.sh
#
# Uses a throwaway SQLite database (demo data + SYNTHETIC synthetic injections) in a
# temporary directory; gunicorn is stopped and the directory removed on exit.
# Targets: >= 200 req/s, p99 < 200 ms, 0 errors.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
PORT=${PORT:-8765}
SYNTHETIC=${SYNTHETIC:-3000}
PYTHON=.venv/bin/python
BASE="http://127.0.0.1:${PORT}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is missing: install it with 'apt-get install -y wrk' (Debian package wrk)." >&2
    exit 2
fi
[ -x "$PYTHON" ] || { echo "No virtualenv: run 'make install' first." >&2; exit 2; }

WORK=$(mktemp -d)
GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="sqlite:///${WORK}/load.sqlite3"
export SECRET_KEY="${SECRET_KEY:-load-bench-only-insecure-key}"
export DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING OTP_REQUIRED=0

echo "Setting up a throwaway database with the demo data and ${SYNTHETIC} synthetic injections..."
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py setup_roles >/dev/null
"$PYTHON" manage.py seed_demo --patients "$SYNTHETIC" --skip-history >/dev/null
"$PYTHON" manage.py collectstatic --noinput -v0

# A staff user and a logged-in session for it, made directly in the session store
# (GET requests only, so no CSRF token is needed).
SESSION=$("$PYTHON" manage.py shell -v0 -c '
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
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
print(settings.SESSION_COOKIE_NAME + "=" + store.session_key)
' 2>/dev/null | tail -n 1)

.venv/bin/gunicorn clinic.wsgi --workers "$WORKERS" --bind "127.0.0.1:${PORT}" \
    --log-level warning >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 50); do
    curl -s -o /dev/null "$BASE/admin/login/" && break
    sleep 0.2
done

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

echo "gunicorn: ${WORKERS} workers on ${BASE}; wrk: ${THREADS} threads, ${CONNECTIONS} connections, ${DURATION} s per page"
printf '  %-36s %9s %8s %8s %9s %7s\n' page 'req/s' 'p50 ms' 'p99 ms' requests errors
status=0
for path in / /admin/assessments/injection/; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${SESSION}" "$BASE$path")
    if [ "$code" != 200 ]; then
        echo "  $path answered $code before the run (expected 200); see $WORK/gunicorn.log" >&2
        cat "$WORK/gunicorn.log" >&2
        exit 1
    fi
    read -r rps p50 p99 requests non2xx socket < <(
        wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "${DURATION}s" \
            --timeout 5s --script "$WORK/count.lua" -H "Cookie: ${SESSION}" "$BASE$path" |
            awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7}'
    )
    errors=$((non2xx + socket))
    verdict=ok
    if awk -v r="$rps" -v p="$p99" -v e="$errors" 'BEGIN {exit !(r < 200 || p >= 200 || e > 0)}'; then
        verdict=MISSED
        status=1
    fi
    printf '  %-36s %9s %8s %8s %9s %7s  %s\n' "$path" "$rps" "$p50" "$p99" "$requests" \
        "$errors" "$verdict"
done
echo "Targets: >= 200 req/s, p99 < 200 ms, 0 errors (non-2xx + socket errors)."
exit $status
