"""The innovation-carrier registry: application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from registry import config as config_mod
from registry import db

PROJECT_ROOT = Path(__file__).resolve().parent.parent

babel = Babel()
csrf = CSRFProtect()


def _blueprints() -> list:
    """Every blueprint, in an explicit list."""
    from registry.accounts import bp as accounts_bp
    from registry.accounts.admin import bp as admin_bp
    from registry.accounts.api import bp as accounts_api_bp
    from registry.api import bp as api_bp
    from registry.applications import bp as applications_bp
    from registry.applications.api import bp as applications_api_bp
    from registry.carriers.api import bp as carriers_api_bp
    from registry.carriers.profiles_api import bp as carrier_profiles_api_bp
    from registry.carriers.views import bp as carriers_bp
    from registry.dashboard import bp as dashboard_bp
    from registry.evaluations.api import bp as evaluations_api_bp
    from registry.evaluations.views import bp as evaluations_bp
    from registry.health import bp as health_bp
    from registry.imports import bp as imports_bp
    from registry.opendata import bp as opendata_bp
    from registry.opendata.api import bp as opendata_api_bp
    from registry.public import bp as public_bp
    from registry.regions.api import bp as regions_api_bp
    from registry.regions.views import bp as regions_bp
    from registry.reports.api import bp as reports_api_bp
    from registry.reports.views import bp as reports_bp
    from registry.targets import bp as targets_bp
    from registry.targets.api import bp as targets_api_bp

    return [
        public_bp,
        accounts_bp,
        admin_bp,
        carriers_bp,
        dashboard_bp,
        api_bp,
        accounts_api_bp,
        regions_api_bp,
        carriers_api_bp,
        carrier_profiles_api_bp,
        imports_bp,
        opendata_bp,
        opendata_api_bp,
        reports_bp,
        reports_api_bp,
        evaluations_bp,
        evaluations_api_bp,
        targets_bp,
        targets_api_bp,
        applications_bp,
        applications_api_bp,
        regions_bp,
        health_bp,
    ]


def select_locale() -> str:
    if not has_request_context():
        return "zh"  # commands and jobs speak Chinese, as the UI does by default
    lang = request.args.get("lang") or request.cookies.get("lang")
    return lang if lang in ("zh", "en") else "zh"


def _trust_proxies(app: Flask) -> None:
    """Behind REGISTRY_PROXY_FIX proxies, take the client's address, scheme, host and prefix
    from their X-Forwarded-* headers (trusting only the last N values of each)."""
    count = config_mod.proxy_count(app.config)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count, x_prefix=count
        )


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Make the app: settings from the environment, then `config` on top."""
    instance_path = os.environ.get("REGISTRY_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(config_mod.from_env())
    if config:
        app.config.update(config)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = config_mod.default_sqlite_url(app.instance_path)
    config_mod.validate(app.config)
    app.debug = bool(app.config.get("DEBUG"))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    from registry import logs

    logs.init_app(app)  # first: every later hook runs with a request id
    _trust_proxies(app)  # outside the request log: it logs the client's address

    import registry.models  # noqa: F401  (every mapper configured before first use)

    db.init_app(app, engine=app.config.get("ENGINE"))
    from registry.carriers.queries import set_cache_size

    set_cache_size(app.config["LISTING_CACHE_SIZE"])
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    csrf.init_app(app)

    from registry import httpcache, inputs, web
    from registry.accounts import auth
    from registry.limits import web as limits_web
    from registry.notifications import delivery, senders

    web.init_app(app)
    httpcache.init_app(app)
    inputs.init_app(app)
    auth.init_app(app)
    limits_web.init_app(app)
    senders.init_app(app)
    delivery.init_app(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    from registry.cli import register_commands

    register_commands(app)
    return app
