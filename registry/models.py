"""Every model, imported once so the mappers and Alembic see the whole schema."""

from registry.accounts.models import ApiToken, Role, ThrottleEvent, User
from registry.applications.models import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationFigure,
    ApplicationStep,
)
from registry.audit import AuditEvent
from registry.cache import DataVersion, StandingChange, register_public_model
from registry.carriers.models import (
    Carrier,
    CarrierType,
    CreditCodeReview,
    Criterion,
    Indicator,
    Recognition,
)
from registry.db import Base
from registry.evaluations.models import (
    Evaluation,
    Grade,
    GradeBand,
    RevocationRule,
    RubricItem,
    RuleApplication,
)
from registry.imports.models import CarrierImport, ImportItem
from registry.limits.models import RateCounter
from registry.notifications.models import OutboxMessage
from registry.opendata.models import OpenDataRelease
from registry.regions.models import Region
from registry.reports.models import (
    AnnualReport,
    FigureCheck,
    ReportEvent,
    ReportFigure,
    ReportReminder,
)
from registry.targets.models import Plan, Target, TargetValue

# What the public pages read; of that, what the listing's standing reads and what the reports
# scope covers (registry/cache.py): a carrier's address, contacts or reports do not move the
# listing, and its address or contacts do not move the bureaus' workspaces.
register_public_model(Region, standing=True)
register_public_model(CarrierType, standing=True)
register_public_model(Recognition, standing=True, key=lambda r: r.carrier_id)
register_public_model(Evaluation, standing=True, key=lambda e: e.carrier_id, reports=True)
register_public_model(
    Carrier, standing=("name", "uscc", "type_id", "region_id"), key=lambda c: c.id
)
for _model in (Indicator, AnnualReport, ReportFigure):
    register_public_model(_model, reports=True)
for _model in (Plan, Target, TargetValue):
    register_public_model(_model)

__all__ = [
    "AnnualReport",
    "ApiToken",
    "Application",
    "ApplicationAttachment",
    "ApplicationEvent",
    "ApplicationFigure",
    "ApplicationStep",
    "AuditEvent",
    "Base",
    "Carrier",
    "CarrierImport",
    "CarrierType",
    "CreditCodeReview",
    "Criterion",
    "DataVersion",
    "Evaluation",
    "FigureCheck",
    "Grade",
    "GradeBand",
    "ImportItem",
    "Indicator",
    "OpenDataRelease",
    "OutboxMessage",
    "Plan",
    "RateCounter",
    "Recognition",
    "Region",
    "ReportEvent",
    "ReportFigure",
    "ReportReminder",
    "RevocationRule",
    "Role",
    "RubricItem",
    "RuleApplication",
    "StandingChange",
    "Target",
    "TargetValue",
    "ThrottleEvent",
    "User",
]
