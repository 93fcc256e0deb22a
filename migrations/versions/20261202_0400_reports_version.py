"""Reports and grades get their own data version (row 3 of data_versions): the bureaus'
workspaces cache their counts on the listing's standing and on reports, so a carrier
editing its address or contacts no longer makes them recount.

Revision ID: 0009_reports_version
Revises: 0008_standing_version
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_reports_version"
down_revision: str | None = "0008_standing_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "INSERT INTO data_versions (id, version) "
            "SELECT 3, version FROM data_versions WHERE id = 1"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM data_versions WHERE id = 3"))
