"""gunicorn settings for `make serve` and bench/load.sh; every value comes from the environment.

gthread workers: a slow request (a PDF, a long list) or a wait on the database holds one
thread, not a whole worker, so quick pages keep flowing beside it. Each thread keeps its own
database connection.
"""

import os
import re

from gunicorn.glogging import Logger


def env_int(name, default):
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


wsgi_app = "clinic.wsgi"
bind = os.environ.get("BIND") or "127.0.0.1:8000"
workers = env_int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
# A kept-alive connection stays with the worker that accepted it: with a few busy clients one
# worker did all the work while the other idled. Closing after each response lets the next
# request go to an idle worker; the TLS proxy in front keeps its clients' connections alive.
keepalive = 0
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
accesslog = "-"
# The path without its query string: a search (?q=) may be a patient's name, and logs hold no
# patient names. Otherwise gunicorn's default format; the path and the referring page are
# scrubbed (ScrubbingLogger).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'

DIARY_TOKEN = re.compile(r"/diary/[^/?#]+")


def scrubbed(text):
    """A path or URL as logged: without its query string (a search may be a patient's
    name), and a diary link's token (which opens the patient's diary) as "…"."""
    return DIARY_TOKEN.sub("/diary/…", (text or "").split("?", 1)[0].split("#", 1)[0])


class ScrubbingLogger(Logger):
    """gunicorn's logger, writing paths and referring pages scrubbed: a page opened from a
    diary link sends that link as the Referer of its style sheet and script."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("U", "f", "{referer}i"):
            if name in atoms:
                atoms[name] = scrubbed(atoms[name])
        atoms["r"] = f"{atoms['m']} {scrubbed(environ.get('RAW_URI'))} {atoms['H']}"
        atoms["q"] = "-"
        return atoms


logger_class = ScrubbingLogger
