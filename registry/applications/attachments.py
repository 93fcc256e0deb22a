"""Files attached to an application: PDF and images only (recognised by their first bytes,
not by their name), limited in size, stored outside the web root under random names, and
never deleted (removing one hides it from the application)."""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from registry import audit, db
from registry.accounts.models import User
from registry.applications.drafts import EDITABLE
from registry.applications.models import Application, ApplicationAttachment
from registry.db import utcnow
from registry.errors import Conflict, NotFound, ValidationError

# content type → the file name extensions that may carry it
TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
}
EXTENSIONS = {ext: kind for kind, exts in TYPES.items() for ext in exts}
MAX_ATTACHMENTS = 20


def sniff(head: bytes) -> str | None:
    """The content type a file's first bytes announce (among the allowed), or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES") or 10 * 1024 * 1024)


def storage_dir() -> Path:
    """Where attachments live: REGISTRY_UPLOAD_DIR (default instance/uploads), never under
    static/."""
    base = current_app.config.get("UPLOAD_DIR") or os.path.join(
        current_app.instance_path, "uploads"
    )
    path = Path(base) / "applications"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(attachment: ApplicationAttachment) -> Path:
    return storage_dir() / attachment.stored_name


def active_attachments(application: Application) -> list[ApplicationAttachment]:
    stmt = (
        select(ApplicationAttachment)
        .where(
            ApplicationAttachment.application_id == application.id,
            ApplicationAttachment.removed_at.is_(None),
        )
        .order_by(ApplicationAttachment.id)
    )
    return list(db.session.scalars(stmt))


def get_attachment(application: Application, attachment_id: int) -> ApplicationAttachment:
    """One of the application's attachments (removed ones too); raises NotFound."""
    attachment = db.session.get(ApplicationAttachment, attachment_id)
    if attachment is None or attachment.application_id != application.id:
        raise NotFound(_("This application has no such attachment."))
    return attachment


def add_attachment(
    application: Application, filename: str, content: bytes, *, actor: User
) -> ApplicationAttachment:
    """Attach a file to a draft or returned application.

    Raises ValidationError (`file`: not a PDF or image, empty, too large, too many files),
    Conflict when the application cannot be changed now.
    """
    from registry.applications.service import claim

    _require_editable(application)
    name = clean_filename(filename)
    kind = _check_file(name, content)
    _check_count(application)
    claim(application, application.version)
    stored_name = secrets.token_hex(16)
    _write(storage_dir() / stored_name, content)
    attachment = ApplicationAttachment(
        application_id=application.id,
        filename=name,
        stored_name=stored_name,
        content_type=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    application.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "application.attachment_add",
        "application",
        application.id,
        actor_id=actor.id,
        carrier_id=application.carrier_id,
        attachment_id=attachment.id,
        filename=name,
        content_type=kind,
        size=len(content),
        sha256=attachment.sha256,
    )
    return attachment


def remove_attachment(
    application: Application, attachment: ApplicationAttachment, *, actor: User
) -> None:
    """Take a file off a draft or returned application (the file and its record are kept).

    Raises Conflict when the application cannot be changed now or the file is already off.
    """
    from registry.applications.service import claim

    _require_editable(application)
    if attachment.removed_at is not None:
        raise Conflict(_("This file was already removed from the application."))
    claim(application, application.version)
    attachment.removed_at = utcnow()
    attachment.removed_by_id = actor.id
    application.updated_at = attachment.removed_at
    db.session.flush()
    audit.record(
        "application.attachment_remove",
        "application",
        application.id,
        actor_id=actor.id,
        carrier_id=application.carrier_id,
        attachment_id=attachment.id,
        filename=attachment.filename,
    )


def clean_filename(filename: str | None) -> str:
    """The file's own name without any folder, control characters or excess length."""
    raw = filename or ""
    name = PureWindowsPath(PurePosixPath(raw).name).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    name = name.strip().strip(".") or "attachment"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:9]) if dot else name[:200]
    return name


def _require_editable(application: Application) -> None:
    if application.status not in EDITABLE:
        raise Conflict(
            _(
                "Files can be added or removed only while the application is a draft or "
                "returned for changes (it is %(status)s).",
                status=application.status.label,
            )
        )


def _check_file(name: str, content: bytes) -> str:
    ext = os.path.splitext(name)[1].lower()
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise ValidationError({"file": _("must be a PDF, PNG, JPEG or WebP file")})
    if not content:
        raise ValidationError({"file": _("is empty")})
    limit = max_bytes()
    if len(content) > limit:
        megabytes = f"{limit / 1024 / 1024:g}"
        raise ValidationError({"file": _("is larger than %(mb)s MB", mb=megabytes)})
    found = sniff(content[:16])
    if found is None or found != expected:
        raise ValidationError(
            {
                "file": _(
                    "does not hold what its name says (%(ext)s): only real PDF files and "
                    "images are accepted",
                    ext=ext,
                )
            }
        )
    return found


def _check_count(application: Application) -> None:
    count = db.session.scalar(
        select(func.count())
        .select_from(ApplicationAttachment)
        .where(
            ApplicationAttachment.application_id == application.id,
            ApplicationAttachment.removed_at.is_(None),
        )
    )
    if (count or 0) >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("at most %(n)d files may be attached", n=MAX_ATTACHMENTS)})


def _write(path: Path, content: bytes) -> None:
    # written under a temporary name first, so a half-written file never has the final name
    temporary = path.with_suffix(".part")
    with open(temporary, "xb") as f:
        f.write(content)
    os.replace(temporary, path)
