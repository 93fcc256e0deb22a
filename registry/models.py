"""Every model, imported once so the mappers and Alembic see the whole schema."""

from registry.accounts.models import Role, User
from registry.audit import AuditEvent
from registry.cache import DataVersion, register_public_model
from registry.carriers.models import (
    Carrier,
    CarrierType,
    Criterion,
    Indicator,
    Recognition,
)
from registry.db import Base
from registry.evaluations.models import Evaluation, Grade
from registry.regions.models import Region
from registry.reports.models import AnnualReport, ReportFigure
from registry.targets.models import Plan, Target, TargetValue

for _model in (
    Region,
    CarrierType,
    Indicator,
    Carrier,
    Recognition,
    AnnualReport,
    ReportFigure,
    Evaluation,
    Plan,
    Target,
    TargetValue,
):
    register_public_model(_model)

__all__ = [
    "AnnualReport",
    "AuditEvent",
    "Base",
    "Carrier",
    "CarrierType",
    "Criterion",
    "DataVersion",
    "Evaluation",
    "Grade",
    "Indicator",
    "Plan",
    "Recognition",
    "Region",
    "ReportFigure",
    "Role",
    "Target",
    "TargetValue",
    "User",
]
