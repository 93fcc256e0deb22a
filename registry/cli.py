"""The `registry` command group (a Flask CLI group: `flask --app registry` works too)."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from registry import db


def _create_app() -> Flask:
    from registry import create_app
    from registry.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        fail(f"refusing to start: {exc}")


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Registry of innovation carriers (创新创业载体)."""


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    from registry import migrate

    migrate.upgrade(db.engine_of(current_app), revision)
    click.echo(f"database at {migrate.current(db.engine_of(current_app))}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (e.g. base)."""
    from registry import migrate

    migrate.downgrade(db.engine_of(current_app), revision)
    click.echo(f"database at {migrate.current(db.engine_of(current_app))}")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's revision and the newest one."""
    from registry import migrate

    click.echo(f"database: {migrate.current(db.engine_of(current_app))}  head: {migrate.head()}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the registry with the development server (production: gunicorn, see README)."""
    click.echo(f"serving on http://{host}:{port}/  (database: {_safe_url()})")
    from werkzeug.serving import run_simple

    run_simple(host, port, current_app._get_current_object(), threaded=True)


def _safe_url() -> str:
    return db.engine_of(current_app).url.render_as_string(hide_password=True)


def fail(message: str) -> NoReturn:
    """Stop a command with a message on stderr and exit status 2."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def register_commands(app: Flask) -> None:
    from registry.accounts.cli import user_group
    from registry.backups.cli import backup_command, restore_command
    from registry.evaluations.cli import rules_group
    from registry.imports.cli import import_command
    from registry.notifications.cli import outbox_group
    from registry.opendata.cli import export_command
    from registry.regions.cli import region_group
    from registry.reports.cli import reports_group
    from registry.seeding import seed
    from registry.targets.cli import targets_group

    for command in (
        db_group,
        seed,
        user_group,
        outbox_group,
        serve,
        import_command,
        export_command,
        reports_group,
        rules_group,
        targets_group,
        region_group,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
