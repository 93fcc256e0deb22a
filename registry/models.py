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
from registry.imports.models import CarrierImport, ImportItem
from registry.opendata.models import OpenDataRelease
from registry.regions.models import Region
from registry.reports.models import AnnualReport, ReportFigure

for _model in (
    Region,
    CarrierType,
    Indicator,
    Carrier,
    Recognition,
    AnnualReport,
    ReportFigure,
    Evaluation,
):
    register_public_model(_model)

__all__ = [
    "AnnualReport",
    "AuditEvent",
    "Base",
    "Carrier",
    "CarrierImport",
    "CarrierType",
    "Criterion",
    "DataVersion",
    "Evaluation",
    "Grade",
    "ImportItem",
    "Indicator",
    "OpenDataRelease",
    "Recognition",
    "Region",
    "ReportFigure",
    "Role",
    "User",
]
