"""Alembic environment: runs on the connection or URL the `registry db` commands give."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import registry.models  # noqa: F401  (registers every table)
from registry.db import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    """The URL given by `registry db`, else the app's own setting (REGISTRY_DATABASE_URL)."""
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from registry import PROJECT_ROOT
    from registry.config import default_sqlite_url, from_env

    return from_env()["DATABASE_URL"] or default_sqlite_url(str(PROJECT_ROOT / "instance"))


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
