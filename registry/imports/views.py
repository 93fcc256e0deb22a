"""Pages of imports: upload a bureau list, check it row by row, adjust the mapping, import."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from registry import db, policy
from registry.accounts.auth import current_user
from registry.api import page_args
from registry.carriers.service import list_carrier_types
from registry.errors import RegistryError
from registry.imports import bp, service, template
from registry.imports.forms import ImportForm, UploadForm, mapping_form, options_from
from registry.imports.models import CarrierImport
from registry.imports.parsing import Source
from registry.imports.report import ImportReport
from registry.progress import progress_response, wants_progress

PER_PAGE = 100
SHOWS = ("problems", "all", "create", "update", "unchanged", "error", "flagged")


def _user():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_import(user))
    return user


def _within(user):
    return lambda region: policy.can_import_into(user, region)


def _load(import_id: int, run: bool = False) -> CarrierImport:
    user = _user()
    record = service.get_import(import_id)
    policy.require(policy.can_view_import(user, record), hide=True)
    if run:
        policy.require(policy.can_run_import(user, record))
    return record


@bp.get("/")
def list_imports():
    user = _user()
    page, _per_page = page_args(request.args)
    stmt = select(CarrierImport).order_by(CarrierImport.id.desc())
    records = [r for r in db.session.scalars(stmt.limit(500)) if policy.can_view_import(user, r)]
    return render_template(
        "imports/index.html",
        records=records[(page - 1) * 20 : page * 20],
        page=page,
        pages=max(1, -(-len(records) // 20)),
    )


@bp.route("/new", methods=["GET", "POST"])
def new_import():
    user = _user()
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            record = service.new_import(Source(upload.filename, content=upload.read()), user)
        except RegistryError as exc:
            form.file.errors.append(exc.fields.get("file", exc.message))
        else:
            return _check(record, user, None)
    status = 422 if form.errors else 200
    return render_template("imports/new.html", form=form), status


def _check(record: CarrierImport, user, options: dict | None):
    """Run the dry run (with progress for the page's script) and show the report."""
    steps = service.check_steps(record, within=_within(user), options=options)
    target = url_for("imports.show_import", import_id=record.id)

    def finish() -> str:
        db.session.commit()
        return target

    if wants_progress():
        return progress_response(steps, finish, failed=lambda exc: _failed_check(record, exc))
    try:
        for _step in steps:
            pass
    except RegistryError as exc:
        return redirect(_failed_check(record, exc))
    return redirect(finish())


def _failed_check(record: CarrierImport, exc: RegistryError) -> str:
    """An unreadable file or bad option: keep the upload, say why on its page."""
    db.session.rollback()
    flash(exc.message, "error")
    if db.session.get(CarrierImport, record.id) is None:
        return url_for("imports.new_import")
    return url_for("imports.show_import", import_id=record.id)


@bp.get("/<int:import_id>")
def show_import(import_id: int):
    record = _load(import_id)
    report = ImportReport.from_dict(record.report) if record.report else None
    show = request.args.get("show", "problems")
    show = show if show in SHOWS else "problems"
    rows = _filtered(report, show) if report else []
    page, _ = page_args(request.args)
    form = None
    if report is not None and record.status.value == "staged":
        form = mapping_form(
            report.headers, record.report, list_carrier_types(), report.sheets, formdata=None
        )
    return render_template(
        "imports/show.html",
        record=record,
        report=report,
        counts=report.counts if report else {},
        rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE],
        total_rows=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // PER_PAGE)),
        show=show,
        shows=SHOWS,
        form=form,
        import_form=ImportForm(),
        previous=service.previous_imports_of(record),
        threshold=service.PROGRESS_THRESHOLD,
    )


def _filtered(report: ImportReport, show: str) -> list:
    if show == "all":
        return report.rows
    if show == "problems":
        return [
            r
            for r in report.rows
            if r.action == "error" or r.flagged or any(m["level"] == "warning" for m in r.messages)
        ]
    if show == "flagged":
        return [r for r in report.rows if r.flagged]
    return [r for r in report.rows if r.action == show]


@bp.post("/<int:import_id>/check")
def check_import(import_id: int):
    record = _load(import_id, run=True)
    report = record.report or {}
    form = mapping_form(
        report.get("headers") or [], report, list_carrier_types(), report.get("sheets") or []
    )
    if not form.validate_on_submit():
        flash(_("Please correct the mapping: %(errors)s", errors=form.errors), "error")
        return redirect(url_for("imports.show_import", import_id=record.id))
    return _check(record, current_user(), options_from(form, len(form.columns)))


@bp.post("/<int:import_id>/run")
def run_import(import_id: int):
    record = _load(import_id, run=True)
    user = current_user()
    steps = service.import_steps(record, within=_within(user), actor=user)
    target = url_for("imports.show_import", import_id=record.id, show="all")

    def finish() -> str:
        db.session.commit()
        flash(
            _(
                "Imported: %(created)d carriers created, %(updated)d updated, %(recs)d "
                "recognitions added.",
                created=record.created_count,
                updated=record.updated_count,
                recs=record.recognitions_count,
            ),
            "success",
        )
        return target

    def failed(exc: RegistryError) -> str:
        db.session.rollback()
        flash(exc.message, "error")
        return url_for("imports.show_import", import_id=record.id, show="error")

    if wants_progress():
        return progress_response(steps, finish, failed)
    try:
        for _step in steps:
            pass
    except RegistryError as exc:
        return redirect(failed(exc))
    return redirect(finish())


@bp.get("/template.xlsx")
def download_template():
    _user()
    return template.template_response()
