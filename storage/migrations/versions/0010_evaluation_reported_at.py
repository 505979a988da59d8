"""An evaluation run keeps when it was reported, apart from when it ran"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reported_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    # Runs recorded so far were reported when they ran, as far as anyone can tell now.
    op.execute("UPDATE evaluations SET reported_at = recorded_at")


def downgrade() -> None:
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_column("reported_at")
