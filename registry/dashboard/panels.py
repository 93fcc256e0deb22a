"""Panels of the workspaces. A panel is a titled count with a few rows and a link to all of
them; domains append their panel functions to OWNER_PANELS or REGION_PANELS (returning None
hides the panel), e.g. the applications awaiting a region's decision."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from registry.accounts.models import User
from registry.dashboard.queries import CarrierRow, region_carriers
from registry.regions.models import Region


@dataclass
class PanelItem:
    title: str
    url: str
    meta: str = ""
    badges: list[tuple[str, str]] = field(default_factory=list)  # (label, badge class)


@dataclass
class Panel:
    key: str
    title: Any
    description: Any
    count: int
    items: list[PanelItem]
    more_url: str | None = None
    tone: str = "secondary"  # badge colour of the count when it is not zero


OwnerPanel = Callable[[User], Panel | None]
RegionPanel = Callable[[User, Region], Panel | None]

OWNER_PANELS: list[OwnerPanel] = []
REGION_PANELS: list[RegionPanel] = []

PANEL_ROWS = 8


def carrier_item(row: CarrierRow) -> PanelItem:
    badges = [(row.status.label, row.status.badge)]
    if row.credit_code.value in ("pending", "rejected"):
        badges.append((row.credit_code.label, row.credit_code.badge))
    return PanelItem(
        title=row.name,
        url=url_for("public.show_carrier", carrier_id=row.id),
        meta=f"{row.type_label} · {row.region_name}",
        badges=badges,
    )


def _region_filter_panel(which: str, title: Any, description: Any, tone: str) -> RegionPanel:
    def build(_user: User, region: Region) -> Panel | None:
        rows, total = region_carriers(region, which, 1, PANEL_ROWS)
        return Panel(
            key=which,
            title=title,
            description=description,
            count=total,
            items=[carrier_item(r) for r in rows],
            more_url=url_for("dashboard.region_carriers", region=region.code, which=which),
            tone=tone,
        )

    build.__name__ = f"region_panel_{which}"
    return build


REGION_PANELS += [
    _region_filter_panel(
        "credit_code",
        _l("Credit codes to verify"),
        _l("Codes that fail the GB 32100-2015 check, kept because the owner confirmed them."),
        "warning",
    ),
    _region_filter_panel(
        "needs_region_review",
        _l("Region to complete"),
        _l("Imported carriers placed at their city only: set their county."),
        "warning",
    ),
    _region_filter_panel(
        "unrecognized",
        _l("Registered, not yet recognised"),
        _l("Private carriers in your region that may apply for recognition."),
        "info",
    ),
]


def owner_panels(user: User) -> list[Panel]:
    return [p for p in (build(user) for build in OWNER_PANELS) if p is not None]


def region_panels(user: User, region: Region) -> list[Panel]:
    return [p for p in (build(user, region) for build in REGION_PANELS) if p is not None]
