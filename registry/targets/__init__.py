"""Plans and targets: the policies' numeric targets, checked live against the registry."""

from flask import Blueprint

bp = Blueprint("targets", __name__)


@bp.record_once
def _template_helpers(state) -> None:
    from registry.targets.web import init_app

    init_app(state.app)


from registry.targets import edit_views, extract_views, views  # noqa: E402,F401
