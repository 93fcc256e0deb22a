"""The listing's standing gets its own data version (row 2 of data_versions) and a log of
the carriers each version changed: a carrier's address, contacts or reports no longer
invalidate the listing's index, and a recognition or a grade updates it in place.

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
    op.create_table(
        "standing_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_changes")),
    )
    op.create_index(
        op.f("ix_standing_changes_version"), "standing_changes", ["version"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_standing_changes_version"), table_name="standing_changes")
    op.drop_table("standing_changes")
    op.execute(sa.text("DELETE FROM data_versions WHERE id = 2"))
