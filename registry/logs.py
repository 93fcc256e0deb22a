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
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it is short and plain (what nginx, load balancers and tracing
# tools send); anything else (spaces, quotes, control characters) could forge log lines.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/@-]{0,127}")
_BARE_VALUE = re.compile(r"[^\s\"'=\\]+")
_OWN_HANDLER = "_registry_handler"

log = logging.getLogger("registry.request")


def request_id() -> str | None:
    """The current request's id (the caller's X-Request-ID if sane, else a new one), or None
    outside a request."""
    if not has_request_context():
        return None
    rid = g.get("request_id")
    if rid is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        g.request_id = rid
    return rid


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


def _current_user_id() -> int | None:
    # only a user the request already loaded: logging never costs a query
    user = g.get("api_user") or g.get("_login_user")
    return getattr(user, "id", None)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish_request(response: Response) -> Response:
    rid = request_id()
    response.headers[REQUEST_ID_HEADER] = rid or ""
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "user_id": _current_user_id(),
        "remote_addr": request.remote_addr,
    }
    started = g.get("request_started", time.perf_counter())

    def _log_when_sent() -> None:
        # after the body went out, so a streamed export counts its whole time
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        log.info("request", extra={"fields": fields, "request_id": rid})

    response.call_on_close(_log_when_sent)
    return response


def init_app(app: Flask) -> None:
    """Configure the loggers and log every request; call first, so that the request id is
    set before any other hook can fail and the line is written after every other hook."""
    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "text"))
    app.before_request(_start_request)
    app.after_request(_finish_request)
