"""Database: declarative base with a naming convention, engine, one session per app context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.globals import app_ctx
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, func, select
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

# The largest value an integer column holds (PostgreSQL's 4-byte `integer`): keys, years,
# counts. A larger number from a request names nothing and must not reach the database.
MAX_INT = 2**31 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp kept in UTC: stored naive, always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class DatabaseState:
    engine: Engine
    sessionmaker: sessionmaker[Session]


def _app_ctx_id() -> int:
    return id(app_ctx._get_current_object())


def _new_session() -> Session:
    from flask import current_app

    return current_app.extensions["registry.db"].sessionmaker()


session: scoped_session[Session] = scoped_session(_new_session, scopefunc=_app_ctx_id)


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # let SQLAlchemy, not pysqlite, emit BEGIN: savepoints and DDL then work
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            if ":memory:" not in url and "mode=memory" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


def init_app(app: Flask, engine: Engine | None = None) -> None:
    """Bind the app to its database; the session is removed at the end of each context."""
    if engine is None:
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    app.extensions["registry.db"] = DatabaseState(engine=engine, sessionmaker=factory)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        session.remove()


def engine_of(app: Flask) -> Engine:
    return app.extensions["registry.db"].engine


def is_sqlite(app_or_engine: Any) -> bool:
    engine = app_or_engine if isinstance(app_or_engine, Engine) else engine_of(app_or_engine)
    return engine.dialect.name == "sqlite"


def count(stmt: Any) -> int:
    """Number of rows a select would return."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
