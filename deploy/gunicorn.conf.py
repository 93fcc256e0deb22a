"""Gunicorn settings for the registry in production (`make serve`, deploy/registry.service).

Every value can be overridden from the environment (REGISTRY_BIND, REGISTRY_WORKERS,
REGISTRY_THREADS, REGISTRY_TIMEOUT, REGISTRY_MAX_REQUESTS, REGISTRY_ACCESS_LOG,
REGISTRY_CONTROL_SOCKET, REGISTRY_LOG_LEVEL) or on the command line
(`gunicorn -c deploy/gunicorn.conf.py --workers 3`).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

MAX_DEFAULT_WORKERS = 12  # more sync workers rarely help one PostgreSQL; set REGISTRY_WORKERS


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise SystemExit(f"gunicorn.conf.py: {name} must be a whole number >= {minimum}")
    return int(raw)


def default_workers(cores: int | None = None) -> int:
    """2 × cores + 1, at most MAX_DEFAULT_WORKERS."""
    cores = cores or multiprocessing.cpu_count()
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


wsgi_app = "registry.wsgi:app"
chdir = str(Path(__file__).resolve().parent.parent)
bind = os.environ.get("REGISTRY_BIND", "127.0.0.1:8000").split(",")
proc_name = "registry"

# Sync workers by default (one request at a time each); REGISTRY_THREADS > 1 switches to
# gthread workers. Each worker keeps its own database pool (sqlalchemy: 5 + 10 overflow).
workers = _int("REGISTRY_WORKERS", default_workers())
threads = _int("REGISTRY_THREADS", 1)
# Exports of the whole listing stream for tens of seconds; nginx's proxy_read_timeout
# (deploy/nginx.conf) is set a little above this.
timeout = _int("REGISTRY_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# Recycle each worker after a few thousand requests so memory cannot creep up for ever.
max_requests = _int("REGISTRY_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = max_requests // 10

# Load the app once in the master: a bad configuration stops the server before any worker
# starts, and workers share the loaded code's memory.
preload_app = True
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"  # heartbeat files off slow or read-only disks

# gunicorn >= 25's control socket (gunicornc) only when REGISTRY_CONTROL_SOCKET names a path:
# systemd already reloads (HUP) and stops the server, and a default path under $HOME is
# shared by every instance of a machine.
control_socket = os.environ.get("REGISTRY_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# The app writes one line per request itself (registry.request, with user and request id),
# so gunicorn's access log is off unless REGISTRY_ACCESS_LOG names a file or "-".
accesslog = os.environ.get("REGISTRY_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("REGISTRY_LOG_LEVEL", "info").lower()

if os.environ.get("REGISTRY_LOG_FORMAT", "text").strip().lower() == "json":
    from gunicorn.glogging import Logger

    from registry.logs import JsonFormatter

    class JsonLogger(Logger):
        """gunicorn's own lines (start, workers, timeouts) as JSON too, like the app's."""

        def setup(self, cfg) -> None:
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    logger_class = JsonLogger


def when_ready(_server) -> None:
    """Before the first workers fork: build the listing's index in the master, so they
    start with it (shared, copy-on-write) and only patch what changed since."""
    from registry import db
    from registry.carriers.index import warm
    from registry.wsgi import app

    if os.environ.get("REGISTRY_WARM_INDEX", "1").strip() != "0":
        warm(app)
        db.engine_of(app).dispose()  # the master serves nothing: no connections kept


def post_fork(_server, _worker) -> None:
    """A worker must not share the master's database connections."""
    from registry import db
    from registry.wsgi import app

    db.engine_of(app).dispose(close=False)
