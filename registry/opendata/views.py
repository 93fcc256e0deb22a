"""The public download page of the open data, its files, and publishing a new version."""

from __future__ import annotations

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import current_user
from registry.accounts.forms import EmptyForm
from registry.opendata import bp, dictionary, service

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}


@bp.get("/")
def index():
    releases = service.list_releases()
    can_publish = policy.can_publish_open_data(current_user())
    return render_template(
        "opendata/index.html",
        latest=releases[0] if releases else None,
        older=releases[1:],
        tables=dictionary.TABLES,
        code_lists=dictionary.code_lists(),
        excluded=dictionary.EXCLUDED,
        can_publish=can_publish,
        # a form (and its CSRF token) only for those who may publish: the public's page
        # stays the same for everybody, so browsers and proxies may keep it
        form=EmptyForm() if can_publish else None,
    )


@bp.get("/v<int:version>/<name>")
def download(version: int, name: str):
    release = service.get_release(version)
    path = service.release_file(release, name)
    return send_file(
        path,
        mimetype=MIMETYPES.get(path.suffix.lstrip("."), "application/octet-stream"),
        as_attachment=path.suffix != ".json",
        download_name=name,
        max_age=86400,
    )


@bp.post("/publish")
def publish():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_publish_open_data(user))
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("opendata.index"))
    release = service.publish_release(actor=user)
    db.session.commit()
    flash(_("Published open data version %(v)s.", v=release.version), "success")
    return redirect(url_for("opendata.index"))
