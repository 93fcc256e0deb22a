"""The WSGI entry point for production servers: `gunicorn registry.wsgi:app` (settings in
deploy/gunicorn.conf.py). The configuration is checked here, once, before any worker starts."""

from __future__ import annotations

import sys

from registry import create_app
from registry.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    # a clear message and a non-zero exit, not a worker crash loop
    sys.exit(f"registry: refusing to start: {exc}")
