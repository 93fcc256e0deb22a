"""The listing's standing gets its own data version (row 2 of data_versions): a carrier's
address, contacts or reports no longer invalidate the listing's index.

Revision ID: 0008_standing_version
Revises: 0007_rate_counters
Create Date: 2026-12-02 02:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_standing_version"
down_revision: str | None = "0007_rate_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "INSERT INTO data_versions (id, version) "
            "SELECT 2, version FROM data_versions WHERE id = 1"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM data_versions WHERE id = 2"))
