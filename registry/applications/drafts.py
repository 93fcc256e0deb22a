"""Starting an application and keeping its figures while the carrier may change them
(a draft, or one returned for changes)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from registry import audit, db
from registry.accounts.models import User
from registry.applications.chain import review_chain
from registry.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationFigure,
    ApplicationStatus,
)
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Indicator
from registry.carriers.queries import carrier_standing
from registry.db import utcnow
from registry.errors import Conflict, ValidationError

EDITABLE = (ApplicationStatus.draft, ApplicationStatus.returned)
MAX_FIGURE = Decimal("9999999999999999")


def application_indicators(type_id: int) -> list[Indicator]:
    """The indicators an application of this type gives figures for, in form order."""
    stmt = (
        select(Indicator)
        .where(Indicator.type_id == type_id, Indicator.in_application.is_(True))
        .order_by(Indicator.sort_order, Indicator.id)
    )
    return list(db.session.scalars(stmt))


def open_application(carrier_id: int) -> Application | None:
    """The carrier's open (draft, in review or returned) application, if any."""
    stmt = select(Application).where(
        Application.carrier_id == carrier_id, Application.status.in_(OPEN_STATUSES)
    )
    return db.session.scalar(stmt)


def parse_level(value: Any) -> Level:
    """A level from its code; raises ValidationError naming the field `level`."""
    if isinstance(value, Level):
        return value
    try:
        return Level.parse(value if isinstance(value, str) else "")
    except ValueError:
        raise ValidationError(
            {"level": _("must be one of %(values)s", values=", ".join(Level.codes()))}
        ) from None


def check_level(carrier: Carrier, level: Level) -> None:
    """Raises ValidationError (`level`) unless `level` is above the carrier's current level
    and some bureau grants it to a carrier in the carrier's region."""
    current = carrier_standing(carrier.id).level
    if current is not None and level <= current:
        raise ValidationError(
            {
                "level": _(
                    "must be above the carrier's current level (%(level)s)", level=current.label
                )
            }
        )
    review_chain(carrier.region, level)


def levels_open_to(carrier: Carrier) -> list[Level]:
    """The levels the carrier may apply for: above its current one, with a bureau to grant."""
    current = carrier_standing(carrier.id).level
    levels = []
    for level in Level:
        if current is not None and level <= current:
            continue
        try:
            review_chain(carrier.region, level)
        except ValidationError:
            continue
        levels.append(level)
    return levels


def create_application(carrier: Carrier, *, level: Any, figures: Any, actor: User) -> Application:
    """A draft application of `carrier` for `level` with its figures.

    Raises ValidationError (level, figures.CODE), Conflict when the carrier already has an
    open application.
    """
    level = parse_level(level)
    check_level(carrier, level)
    values = parse_figures(carrier.type_id, figures)
    _refuse_second_open(carrier)
    application = Application(carrier_id=carrier.id, level=level, created_by_id=actor.id)
    try:
        with db.session.begin_nested():  # the partial unique index decides under concurrency
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_second_open_message(open_application(carrier.id))) from None
    _write_figures(application, values)
    db.session.flush()
    audit.record(
        "application.create",
        "application",
        application.id,
        actor_id=actor.id,
        carrier_id=carrier.id,
        level=level.code,
        figures=_figures_for_audit(values),
    )
    return application


def update_figures(application: Application, figures: Any, *, actor: User) -> Application:
    """Change figures of a draft or returned application (only those given; null empties one).

    Raises ValidationError (figures.CODE), Conflict when the application is in review or
    closed, or was changed meanwhile.
    """
    from registry.applications.service import claim

    if application.status not in EDITABLE:
        raise Conflict(
            _(
                "The figures can be changed only while the application is a draft or returned "
                "for changes (it is %(status)s).",
                status=application.status.label,
            )
        )
    values = parse_figures(application.carrier.type_id, figures, partial=True)
    current = application.figure_values()
    changes = {k: v for k, v in values.items() if current.get(k) != v}
    if not changes:
        return application
    claim(application, application.version)
    _write_figures(application, changes)
    application.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "application.update",
        "application",
        application.id,
        actor_id=actor.id,
        carrier_id=application.carrier_id,
        figures=_figures_for_audit(changes),
    )
    return application


def missing_figures(application: Application) -> dict[str, str]:
    """Required figures not given: {"figures.CODE": message}."""
    values = application.figure_values()
    return {
        f"figures.{i.code}": _("is required")
        for i in application_indicators(application.carrier.type_id)
        if i.is_required and values.get(i.id) is None
    }


# --- reading figures --------------------------------------------------------------------


def parse_figures(type_id: int, data: Any, *, partial: bool = False) -> dict[int, Decimal | None]:
    """{indicator id: value} from {indicator code: number}; raises ValidationError naming
    each bad figure as `figures.CODE`."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError({"figures": _("must be an object of indicator codes and numbers")})
    indicators = {i.code: i for i in application_indicators(type_id)}
    values: dict[int, Decimal | None] = {}
    errors: dict[str, str] = {}
    for code, raw in data.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[f"figures.{code}"] = _(
                "is not a figure of this type's application (known: %(known)s)",
                known=", ".join(indicators),
            )
            continue
        value, problem = _figure(indicator, raw)
        if problem:
            errors[f"figures.{code}"] = problem
        else:
            values[indicator.id] = value
    if errors:
        raise ValidationError(errors)
    return values


def _figure(indicator: Indicator, raw: Any) -> tuple[Decimal | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool):
        return None, _("must be a number")
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        return None, _("must be a number")
    if not value.is_finite():
        return None, _("must be a number")
    if value < 0:
        return None, _("must not be negative")
    if value > MAX_FIGURE:
        return None, _("is too large")
    if indicator.value_kind == "integer" and value != value.to_integral_value():
        return None, _("must be a whole number")
    return value.quantize(Decimal("0.01")), None


def _write_figures(application: Application, values: dict[int, Decimal | None]) -> None:
    existing = {f.indicator_id: f for f in application.figures}
    for indicator_id, value in values.items():
        figure = existing.get(indicator_id)
        if figure is None:
            application.figures.append(ApplicationFigure(indicator_id=indicator_id, value=value))
        else:
            figure.value = value


def _figures_for_audit(values: dict[int, Decimal | None]) -> dict[str, str | None]:
    stmt = select(Indicator.id, Indicator.code).where(Indicator.id.in_(list(values)))
    codes = dict(db.session.execute(stmt).all())
    return {codes[k]: (str(v) if v is not None else None) for k, v in values.items()}


def _refuse_second_open(carrier: Carrier) -> None:
    existing = open_application(carrier.id)
    if existing is not None:
        raise Conflict(_second_open_message(existing))


def _second_open_message(existing: Application | None) -> str:
    if existing is None:
        return _("This carrier already has an open application.")
    return _(
        "This carrier already has an open application (No. %(id)d, %(status)s): continue or "
        "withdraw it before starting another.",
        id=existing.id,
        status=existing.status.label,
    )
