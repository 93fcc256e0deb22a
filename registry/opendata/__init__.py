"""Open data: the public registry as dated, versioned files with a data dictionary."""

from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/open-data")

from registry.opendata import views  # noqa: E402,F401
