"""Health checks: whether the database answers, at the cost of one `SELECT 1`."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("registry.health")


def database_answers(engine: Engine) -> bool:
    """True when the database runs `SELECT 1`; a failure is logged, never raised."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0:1]
        log.warning("health check: the database does not answer: %s", "".join(reason))
        return False
    return True
