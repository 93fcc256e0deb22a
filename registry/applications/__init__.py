"""Recognition workflow: carriers apply, bureaus review up the county → city → province
chain, the last step approves (a recognition), bureaus revoke recognitions."""

from flask import Blueprint

bp = Blueprint("applications", __name__)


@bp.app_template_filter("moment")
def _moment(value) -> str:
    """A date and time in the registry's time zone (Asia/Shanghai), to the minute."""
    from flask_babel import format_datetime

    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


@bp.app_template_filter("filesize")
def _filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


from registry.applications import panels, review, views  # noqa: E402,F401
