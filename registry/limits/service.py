"""Counting API requests against a rate limit: a fixed window per caller, in the database.

Each request is one upsert (`INSERT … ON CONFLICT … DO UPDATE SET hits = hits + 1 RETURNING
hits`) on the caller's row of the current window, so every worker and server shares the same
count and two concurrent requests can never both read a stale one. The first request of a
window deletes the windows before it, so the table holds about one row per recent caller.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from registry import db
from registry.db import utcnow
from registry.limits.models import RateCounter

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` requests per `window` seconds for each caller of a `scope`
    (`token`, `client` or `address`); a limit of 0 means no limit."""

    scope: str
    limit: int
    window: int


@dataclass(frozen=True)
class RateState:
    """Where a caller stands after counting a request."""

    scope: str
    limit: int
    hits: int
    reset_at: dt.datetime  # when the current window ends
    window: int = 60  # seconds

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.hits)

    @property
    def exceeded(self) -> bool:
        return self.hits > self.limit

    def retry_after(self, now: dt.datetime) -> int:
        """Whole seconds until the window ends (at least 1)."""
        return max(1, math.ceil((self.reset_at - now).total_seconds()))


def window_start(now: dt.datetime, window: int) -> dt.datetime:
    """The start of the fixed window of `window` seconds that holds `now` (UTC epoch based,
    so every server computes the same one)."""
    seconds = int(now.timestamp()) // window * window
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def address_key(address: str | None) -> str:
    """The bucket name of a network address: IPv4 as is, IPv6 by its /64 network (one host
    is given a whole /64, so counting single IPv6 addresses would not limit anybody)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "address:" + (address or "unknown")[:80]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"address:{ip}"


def count_request(bucket: str, rule: RateLimit, now: dt.datetime | None = None) -> RateState:
    """Count one request of `bucket` in the current window of `rule` and return where the
    caller stands (the caller commits; nothing is refused here)."""
    now = now or utcnow()
    window = max(1, rule.window)
    start = window_start(now, window)
    insert = _INSERTS[db.session.get_bind().dialect.name]
    stmt = (
        insert(RateCounter)
        .values(bucket=bucket, window_start=start, hits=1)
        .on_conflict_do_update(
            index_elements=[RateCounter.bucket, RateCounter.window_start],
            set_={"hits": RateCounter.hits + 1},
        )
        .returning(RateCounter.hits)
    )
    hits = db.session.execute(stmt).scalar_one()
    if hits == 1:
        prune(before=start)
    return RateState(rule.scope, rule.limit, hits, start + dt.timedelta(seconds=window), window)


def prune(before: dt.datetime) -> int:
    """Delete the counters of windows that started before `before`; returns how many."""
    result = db.session.execute(delete(RateCounter).where(RateCounter.window_start < before))
    return result.rowcount or 0
