"""Recognition workflow: carriers apply, bureaus review up the county → city → province
chain, the last step approves (a recognition), bureaus revoke recognitions."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

from registry.applications import panels, review, views  # noqa: E402,F401
