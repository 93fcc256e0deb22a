"""Accounts: sign-in, roles and the region a reviewer is bound to."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from registry.accounts import views  # noqa: E402,F401
