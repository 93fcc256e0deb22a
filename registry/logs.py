"""Logs: the `registry` loggers' level and format (text or JSON lines) from the settings, a
request id on every request, and one line per request on the `registry.request` logger."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g, has_request_context, request
from werkzeug.wsgi import ClosingIterator

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it is short and plain (what nginx, load balancers and tracing
# tools send); anything else (spaces, quotes, control characters) could forge log lines.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/@-]{0,127}")
_BARE_VALUE = re.compile(r"[^\s\"'=\\]+")
_OWN_HANDLER = "_registry_handler"
ENVIRON_ID = "registry.request_id"
ENVIRON_USER = "registry.user_id"

log = logging.getLogger("registry.request")


def request_id() -> str | None:
    """The current request's id (set by RequestLog from the caller's X-Request-ID if sane,
    else new), or None outside a request."""
    if not has_request_context():
        return None
    environ = request.environ
    if ENVIRON_ID not in environ:  # an app used without its middleware
        environ[ENVIRON_ID] = _request_id_for(environ)
    return environ[ENVIRON_ID]


def _request_id_for(environ: dict) -> str:
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps every record logged during a request with the request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id()
        return True


def _timestamp(record: logging.LogRecord) -> str:
    moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = dict(getattr(record, "fields", None) or {})
    if getattr(record, "request_id", None):
        fields["request_id"] = record.request_id
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's fields and, for
    an error, its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _text_value(value: Any) -> str:
    text = "-" if value is None else str(value)
    return text if _BARE_VALUE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message key=value ...`; a traceback follows on the next lines."""

    def format(self, record: logging.LogRecord) -> str:
        pairs = " ".join(f"{k}={_text_value(v)}" for k, v in _fields(record).items())
        line = f"{_timestamp(record)} {record.levelname} {record.name} {record.getMessage()}"
        line = f"{line} {pairs}" if pairs else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record is emitted (gunicorn, systemd and test
    runners each replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str = "INFO", fmt: str = "text") -> logging.Handler:
    """Send the `registry` loggers to stderr at `level` in `fmt` (text or json); calling it
    again replaces the handler it installed."""
    logger = logging.getLogger("registry")
    for handler in list(logger.handlers):
        if getattr(handler, _OWN_HANDLER, False):
            logger.removeHandler(handler)
    handler = _StderrHandler()
    setattr(handler, _OWN_HANDLER, True)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


def _note_user(_exc: BaseException | None) -> None:
    # only a user the request already loaded: logging never costs a query
    user = g.get("api_user") or g.get("_login_user")
    request.environ[ENVIRON_USER] = getattr(user, "id", None)


class RequestLog:
    """WSGI middleware around the Flask app: gives every request its id, returns it as the
    X-Request-ID header and logs one line when the response has been sent, whatever happened
    inside (an error page that failed too, a hook that raised, a streamed body)."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        rid = environ[ENVIRON_ID] = _request_id_for(environ)
        sent: dict[str, int] = {}

        def _start_response(status: str, headers: list, exc_info: Any = None) -> Callable:
            sent["status"] = int(status.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            return start_response(status, [*headers, (REQUEST_ID_HEADER, rid)], exc_info)

        def _log() -> None:
            fields = {
                "method": environ.get("REQUEST_METHOD"),
                "path": _path(environ),
                "status": sent.get("status", 500),
                "user_id": environ.get(ENVIRON_USER),
                "remote_addr": environ.get("REMOTE_ADDR"),
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            log.info("request", extra={"fields": fields, "request_id": rid})

        try:
            body = self.wsgi_app(environ, _start_response)
        except BaseException:
            _log()  # the server answers 500 itself
            raise
        return ClosingIterator(body, _log)


def _path(environ: dict) -> str:
    # as Flask's request.path shows it: PATH_INFO is latin-1 decoded bytes of UTF-8
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return raw.encode("latin-1").decode("utf-8", "replace")


def init_app(app: Flask) -> None:
    """Configure the loggers and log every request (wrap the app before any other
    middleware, so that ProxyFix runs first and the log shows the client's address)."""
    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "text"))
    app.teardown_request(_note_user)
    app.wsgi_app = RequestLog(app.wsgi_app)  # type: ignore[method-assign]
