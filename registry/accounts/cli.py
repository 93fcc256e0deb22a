"""`registry user ...` commands."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry import db
from registry.errors import RegistryError


@click.group("user")
def user_group() -> None:
    """Accounts."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(["carrier", "reviewer", "admin"]))
@click.option("--region", "region_code", help="GB/T 2260 code of the region (reviewers)")
@click.option("--name", default="")
@with_appcontext
def create_user_command(
    email: str, password: str, role: str, region_code: str | None, name: str
) -> None:
    """Create an account (reviewers need --region)."""
    from registry.accounts.service import create_user
    from registry.cli import fail
    from registry.regions.service import get_region

    try:
        region = get_region(region_code) if region_code else None
        user = create_user(
            email=email, password=password, role=role, region=region, name=name, confirmed=True
        )
        db.session.commit()
    except RegistryError as exc:
        db.session.rollback()
        fields = "; ".join(f"--{k}: {v}" for k, v in exc.fields.items())
        fail(fields or exc.message)
        return
    where = f" for {region.code} {region.name}" if region else ""
    click.echo(f"created {user.role.value} {user.email}{where} (id {user.id})")
