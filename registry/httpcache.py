"""HTTP caching: Cache-Control for every kind of response, ETags, versioned static URLs.

One policy, applied after every request (`cache_headers`):

- static files: a URL carrying the file's fingerprint (`?v=…`, which `url_for('static', …)`
  adds) is cached for a year as immutable; any other static URL is revalidated;
- a response its view marked `no-store` (downloads of private files, progress streams, the
  health check) keeps exactly that;
- anything personalised (a signed-in user or API token, a CSRF token or a flashed message in
  the page, a cookie being set) is `private, no-store`;
- errors, redirects and the answers to writes are `no-store`;
- the public's reads are `public, no-cache` (or `public, max-age=REGISTRY_CACHE_MAX_AGE`) with
  an ETag, so a browser or proxy revalidates and gets a 304 without a body.

Views that show only public data are marked `@public_etag`: their ETag derives from the data
version (registry/cache.py, bumped by every write to public data), the day, the locale, the
URL and the code's release, so a 304 is answered before the view runs any query.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_babel import get_locale
from werkzeug.security import safe_join

from registry.cache import current_version

STATIC_MAX_AGE = 365 * 24 * 3600
_PACKAGE = Path(__file__).resolve().parent


def public_etag(view: Callable[..., Any]) -> Callable[..., Any]:
    """Give the public's GETs of `view` a weak ETag derived from the data version, and answer
    a matching If-None-Match with 304 without calling the view. Only for views whose answer
    to the public depends on nothing but public data, the day, the locale and the URL."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tag = _public_etag()
        if tag is None:
            return view(*args, **kwargs)
        if request.if_none_match.contains_weak(tag):
            response = current_app.response_class(status=304)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
        response.set_etag(tag, weak=True)
        return response

    return wrapper


def _public_etag() -> str | None:
    from registry.accounts.auth import current_user

    if request.method not in ("GET", "HEAD") or current_user() is not None:
        return None
    if not request.path.startswith("/api/") and "_flashes" in session:
        return None  # the page will show a message meant for this visitor only
    version = current_version()
    if version is None:
        return None
    parts = (
        release(),
        str(version),
        _today().isoformat(),  # listings and progress are "as of today"
        str(get_locale()),
        request.full_path,
    )
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _today() -> dt.date:
    return dt.date.today()  # the views' "today"


@functools.cache
def release() -> str:
    """A fingerprint of the code, translations, templates and static files (whose versions
    the pages link to): a page's ETag changes with a new release."""
    root = _PACKAGE.parent
    files = [p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".mo")]
    files += [p for folder in ("templates", "static") for p in (root / folder).rglob("*")]
    digest = hashlib.sha256()
    for path in sorted(p for p in files if p.is_file()):
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- static files ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _fingerprint(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_fingerprint(filename: str) -> str | None:
    """A short hash of a static file's content (None when there is no such file)."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None:
        return None
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _fingerprint(path, stat.st_mtime_ns, stat.st_size)


def _version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_fingerprint(values["filename"])
        if version:
            values["v"] = version


def _static_cache(response: Response) -> Response:
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if response.status_code in (200, 304) and version and version == static_fingerprint(filename):
        response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
    else:
        response.headers["Cache-Control"] = "public, no-cache"
    return response


# --- the policy -----------------------------------------------------------------------------


def is_personalised(response: Response) -> bool:
    """Whether the response was made for this visitor only."""
    from registry.accounts.auth import current_user

    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return (
        current_user() is not None
        or field in g
        or session.modified
        or "Set-Cookie" in response.headers
    )


def _view_decided(response: Response) -> bool:
    # Werkzeug's send_file says a bare `no-cache` by default: that is no decision
    cc = response.cache_control
    return bool(cc.no_store or cc.private or cc.public or cc.max_age is not None)


def cache_headers(response: Response) -> Response:
    """Cache-Control, Vary and ETag of a response (see the module's docstring)."""
    if request.endpoint == "static":
        return _static_cache(response)
    if response.cache_control.no_store:
        return response  # the view said so (downloads, progress, health): nothing to add or ask
    api = request.path.startswith("/api/")
    if is_personalised(response):
        response.headers["Cache-Control"] = "private, no-store"
        _vary(response, api)
        return response
    if _view_decided(response):
        return response
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        response.headers["Cache-Control"] = "no-store"
        return response
    max_age = current_app.config.get("CACHE_MAX_AGE") or 0
    response.headers["Cache-Control"] = (
        f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"
    )
    _vary(response, api)
    if _hashable(response):
        response.add_etag()  # a hash of the body: saves the transfer, not the work
        response.make_conditional(request)
    return response


def _hashable(response: Response) -> bool:
    """A complete body in memory without an ETag yet."""
    return (
        response.status_code == 200
        and response.get_etag()[0] is None
        and not (response.direct_passthrough or response.is_streamed)
    )


def _vary(response: Response, api: bool) -> None:
    # the locale comes from the `lang` cookie (or the URL); the API's caller from its token
    response.vary.add("Cookie")
    if api:
        response.vary.add("Authorization")


def init_app(app: Flask) -> None:
    app.url_defaults(_version_static_urls)
    app.after_request(cache_headers)
