"""Health of a running instance, for load balancers and monitoring: `GET /healthz`."""

from flask import Blueprint

bp = Blueprint("health", __name__)

from registry.health import views  # noqa: E402,F401
