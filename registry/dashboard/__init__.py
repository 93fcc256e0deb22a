"""Workspaces of the signed-in: a carrier account's "my carriers", a reviewer's "my region".

Both pages are built from panels that domains register (see panels.py), so later features
(applications to review, reports due) add theirs without touching these views.
"""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/my")

from registry.dashboard import views  # noqa: E402,F401
