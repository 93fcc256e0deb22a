"""Public pages: home, the carrier listing, carrier pages, region pages."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from registry.public import views  # noqa: E402,F401
