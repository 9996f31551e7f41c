"""gunicorn settings for branch-portal, read from the environment (docs/deployment.md).

    gunicorn -c gunicorn.conf.py            # from the project folder, with the env file loaded

BIND (e.g. ``unix:/run/branch-portal/gunicorn.sock`` or ``0.0.0.0:8000``) wins over HOST/PORT;
WEB_CONCURRENCY (or GUNICORN_WORKERS) sets the worker processes, 2 × cores + 1 by default.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "branch_portal.wsgi:application"

bind = [
    os.environ.get("BIND")
    or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
]
workers = _int("WEB_CONCURRENCY", _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 1)

# The consolidated Excel export of a whole district takes seconds, not minutes; anything longer
# than this is stuck and gets its worker restarted.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak can never grow without bound. Not too often: a new
# worker spends 1-2 s of CPU starting Django and begins with an empty memory cache.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000)

# Access log (with the time taken, in ms) and errors to stdout/stderr, i.e. to journald under
# systemd. GUNICORN_ACCESS_LOG=off turns the access log off (the benchmark does).
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() in {"off", "0", "no"} else "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# Request limits: the request line, the number of header fields and the size of each (gunicorn
# answers 400 beyond them). Bodies are capped by the application (MAX_REQUEST_BODY_SIZE) and by
# the proxy (client_max_body_size).
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _int("GUNICORN_LIMIT_REQUEST_FIELDS", 100)
limit_request_field_size = _int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)

# Trust X-Forwarded-* only from the reverse proxy in front (nginx on the same host by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "branch-portal"
