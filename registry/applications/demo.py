"""Demo data of the workflow: a few Sichuan counties reporting directly to the province
(扩权县), and applications in every status with their chains, figures and events, written
by bulk inserts. Each history is played through the real transition table, so the demo
never holds a state the workflow could not reach.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import bindparam, func, insert, select, text

from registry import db
from registry.accounts.models import Role, User
from registry.accounts.passwords import hash_password
from registry.applications.chain import review_chain
from registry.applications.demo_history import DEMO_NOW, History
from registry.applications.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationFigure,
    ApplicationStep,
)
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Criterion, Indicator, Recognition
from registry.demo import DEMO_PASSWORD, DemoResult, _Ids
from registry.errors import ValidationError
from registry.regions.models import Region

# Sichuan counties of the 扩权强县 reform as the demo's 扩权县 (demo data: a deployment
# marks its province's own list with `registry region direct` or the bureaus' page).
DIRECT_COUNTIES = ("511421", "510681", "510781", "510981", "511722", "510722")
A = ApplicationAction
PLANS = [
    (10, "draft"),
    (36, "in_review"),
    (6, "in_review_again"),
    (12, "returned"),
    (18, "approved"),
    (8, "rejected"),
    (10, "withdrawn"),
]

SHOWCASE = [
    "returned",
    "in_review",
    "draft",
    "approved",
    "in_review",
    "rejected",
    "in_review_again",
    "withdrawn",
]


def demo_applications(rng: random.Random, result: DemoResult) -> None:
    mark_direct_counties()
    writer = _Writer(rng)
    candidates = writer.candidates()
    if not candidates:
        return
    n = min(3000, max(60, len(candidates) // 30))
    for carrier in writer.pick(candidates, n):
        writer.application(carrier, kind=writer.showcase_kind(carrier))
    writer.flush()
    result.extras.append(
        f"demo: {writer.count} applications ({writer.summary()}); "
        f"扩权县: {', '.join(DIRECT_COUNTIES)}"
    )


def mark_direct_counties() -> None:
    regions = db.session.scalars(select(Region).where(Region.code.in_(DIRECT_COUNTIES)))
    for region in regions:
        region.is_direct_to_province = True
    db.session.flush()


@dataclass
class _Candidate:
    id: int
    type_id: int
    region: Region
    owner_id: int | None
    operator: str
    level: Level | None  # the current level


@dataclass
class _Writer:
    rng: random.Random
    rows: dict[str, list[dict]] = field(default_factory=dict)
    count: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ids = {
            m: _Ids(m)
            for m in (
                User,
                Recognition,
                Application,
                ApplicationStep,
                ApplicationFigure,
                ApplicationEvent,
            )
        }
        self.password = hash_password(DEMO_PASSWORD)
        self.reviewers = self._existing_reviewers()
        self.indicators = self._indicators()
        self.minimums = self._minimums()

    # -- who ---------------------------------------------------------------------------

    def _existing_reviewers(self) -> dict[int, int]:
        rows = db.session.execute(
            select(User.region_id, func.min(User.id))
            .where(User.role == Role.reviewer)
            .group_by(User.region_id)
        )
        return {region_id: user_id for region_id, user_id in rows}

    def reviewer(self, region: Region) -> int:
        """A reviewer of the region's bureau (a demo account is made for it if none)."""
        if region.id not in self.reviewers:
            user_id = self.ids[User].take()
            self._add(
                "users",
                _user_row(user_id, f"bureau{region.code}@registry.example", region, self.password),
            )
            self.reviewers[region.id] = user_id
        return self.reviewers[region.id]

    def owner(self, c: _Candidate) -> int:
        if c.owner_id is None:
            c.owner_id = self.ids[User].take()
            row = _user_row(c.owner_id, f"org{c.id}@registry.example", None, self.password)
            row["name"] = c.operator
            self._add("users", row)
            self._add("owners", {"id": c.id, "owner_id": c.owner_id})
        return c.owner_id

    # -- which carriers ------------------------------------------------------------------

    def candidates(self) -> list[_Candidate]:
        level = (
            select(Recognition.carrier_id, func.max(Recognition.level).label("level"))
            .where(Recognition.revoked_on.is_(None))
            .group_by(Recognition.carrier_id)
            .subquery()
        )
        stmt = (
            select(
                Carrier.id,
                Carrier.type_id,
                Carrier.region_id,
                Carrier.owner_id,
                Carrier.operator_name,
                level.c.level,
            )
            .outerjoin(level, level.c.carrier_id == Carrier.id)
            .where((level.c.level.is_(None)) | (level.c.level < int(Level.national)))
            .order_by(Carrier.id)
        )
        regions = {r.id: r for r in db.session.scalars(select(Region))}
        return [
            _Candidate(cid, tid, regions[rid], oid, op or "", Level(lv) if lv else None)
            for cid, tid, rid, oid, op, lv in db.session.execute(stmt)
        ]

    def pick(self, candidates: list[_Candidate], n: int) -> list[_Candidate]:
        """The demo organisations' carriers first (their workspaces show the workflow), then
        a deterministic sample, Sichuan's more likely."""
        owned = [c for c in candidates if c.owner_id is not None]
        others = [c for c in candidates if c.owner_id is None]
        weights = [3 if c.region.path.startswith("000000/510000") else 1 for c in others]
        cumulative = list(accumulate(weights))  # once, not per draw: 100,000 carriers
        chosen: dict[int, _Candidate] = {c.id: c for c in owned}
        while len(chosen) < n and len(chosen) < len(candidates):
            c = self.rng.choices(others, cum_weights=cumulative)[0]
            chosen.setdefault(c.id, c)
        return sorted(chosen.values(), key=lambda c: c.id)

    # -- one application -------------------------------------------------------------------

    def showcase_kind(self, c: _Candidate) -> str | None:
        """The demo organisations' carriers show each status in turn (the first one an
        application returned to fix)."""
        if c.owner_id is None:
            return None
        self.showcased = getattr(self, "showcased", 0) + 1
        return SHOWCASE[(self.showcased - 1) % len(SHOWCASE)]

    def application(self, c: _Candidate, kind: str | None = None) -> None:
        level = Level(int(c.level) + 1) if c.level else self._first_level()
        try:
            chain = review_chain(c.region, level)
        except ValidationError:
            level = Level(min(int(level) + 1, int(Level.national)))
            try:
                chain = review_chain(c.region, level)
            except ValidationError:
                return
        plan = self._plan(len(chain), kind)
        app_id = self.ids[Application].take()
        owner_id = self.owner(c)
        start = DEMO_NOW - dt.timedelta(
            days=self.rng.randint(20, 170), hours=self.rng.randint(0, 8)
        )
        history = History(self, app_id, c, level, chain, owner_id, start)
        for action in plan:
            history.play(action)
        self._add("applications", history.row())
        self._figures(app_id, c, level)
        self.count += 1
        status = history.status.value
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def _first_level(self) -> Level:
        return self.rng.choices([Level.county, Level.municipal, Level.provincial], [30, 50, 20])[0]

    def _plan(self, steps: int, kind: str | None = None) -> list[ApplicationAction]:
        kind = kind or self.rng.choices([k for _w, k in PLANS], [w for w, _k in PLANS])[0]
        rng = self.rng
        at = rng.randint(0, steps - 1)
        before = [A.recommend] * at
        if kind == "draft":
            return []
        if kind == "in_review":
            return [A.submit, *before]
        if kind == "in_review_again":
            return [A.submit, *before, A.return_, A.submit, *[A.recommend] * rng.randint(0, at)]
        if kind == "returned":
            return [A.submit, *before, A.return_]
        if kind == "approved":
            return [A.submit, *[A.recommend] * (steps - 1), A.approve]
        if kind == "rejected":
            return [A.submit, *before, A.reject]
        return [A.withdraw] if rng.random() < 0.3 else [A.submit, *before, A.withdraw]

    def _figures(self, app_id: int, c: _Candidate, level: Level) -> None:
        for indicator in self.indicators.get(c.type_id, []):
            minimum = self.minimums.get((c.type_id, level, indicator.id))
            if minimum is not None:
                raw = float(minimum) * self.rng.uniform(0.75, 2.2)
            else:
                raw = self.rng.uniform(3, 300)
            value = (
                Decimal(int(raw)) if indicator.value_kind == "integer" else Decimal(f"{raw:.2f}")
            )
            self._add(
                "figures",
                {
                    "id": self.ids[ApplicationFigure].take(),
                    "application_id": app_id,
                    "indicator_id": indicator.id,
                    "value": value,
                },
            )

    def _indicators(self) -> dict[int, list[Indicator]]:
        out: dict[int, list[Indicator]] = {}
        stmt = select(Indicator).where(Indicator.in_application.is_(True)).order_by(Indicator.id)
        for indicator in db.session.scalars(stmt):
            out.setdefault(indicator.type_id, []).append(indicator)
        return out

    def _minimums(self) -> dict[tuple, Decimal]:
        stmt = select(Criterion).where(Criterion.per_indicator_id.is_(None))
        return {(c.type_id, c.level, c.indicator_id): c.min_value for c in db.session.scalars(stmt)}

    # -- writing ---------------------------------------------------------------------------

    def _add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def flush(self) -> None:
        order = [
            ("users", User),
            ("recognitions", Recognition),
            ("applications", Application),
            ("steps", ApplicationStep),
            ("figures", ApplicationFigure),
            ("events", ApplicationEvent),
        ]
        for key, model in order:
            rows = self.rows.get(key, [])
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(model), rows[start : start + 2000])
        owners = self.rows.get("owners", [])
        if owners:
            table = Carrier.__table__
            db.session.execute(
                table.update()
                .where(table.c.id == bindparam("carrier"))
                .values(owner_id=bindparam("owner")),
                [{"carrier": r["id"], "owner": r["owner_id"]} for r in owners],
            )
        _advance_sequences()

    def summary(self) -> str:
        return ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))


def _user_row(user_id: int, email: str, region: Region | None, password: str) -> dict:
    return {
        "id": user_id,
        "email": email,
        "password_hash": password,
        "name": region.bureau_name if region else "",
        "phone": "",
        "role": (Role.reviewer if region else Role.carrier).value,
        "region_id": region.id if region else None,
        "is_active": True,
        "must_change_password": False,
        "email_confirmed_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "password_changed_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "last_login_at": None,
        "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }


def _advance_sequences() -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    tables = (
        "users",
        "recognitions",
        "applications",
        "application_steps",
        "application_figures",
        "application_events",
    )
    for table in tables:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
        )
