"""`registry region ...` commands: counties reporting directly to the province (扩权县)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry import db
from registry.errors import RegistryError


@click.group("region")
def region_group() -> None:
    """Regions."""


@region_group.command("direct")
@click.argument("codes", nargs=-1)
@click.option("--off", is_flag=True, help="Put the counties back under their city.")
@click.option("--within", "within_code", help="With no CODES: list those in this region.")
@with_appcontext
def direct_command(codes: tuple[str, ...], off: bool, within_code: str | None) -> None:
    """Mark counties (GB/T 2260 CODES) as reporting directly to the province (扩权县), or
    list the marked ones. Applications submitted from then on skip their city."""
    from registry.cli import fail
    from registry.regions.service import direct_counties, get_region, set_direct_to_province

    try:
        if not codes:
            within = get_region(within_code) if within_code else None
            for region in direct_counties(within):
                click.echo(f"{region.code} {region.full_name}")
            return
        for code in codes:
            region = get_region(code)
            changed = set_direct_to_province(region, not off)
            state = "reports via its city" if off else "reports directly to the province"
            click.echo(
                f"{region.code} {region.full_name}: {state}{'' if changed else ' (as before)'}"
            )
        db.session.commit()
    except RegistryError as exc:
        db.session.rollback()
        fail("; ".join(exc.fields.values()) or exc.message)
