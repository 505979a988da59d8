"""The outbox names its pilot by id"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

# The tables as they stand at this revision, for the backfill (never the live models).
notifications = sa.table(
    "notifications",
    sa.column("team_id", sa.String),
    sa.column("subject", sa.String),
    sa.column("pilot_id", sa.Integer),
)
pilots = sa.table(
    "pilots",
    sa.column("id", sa.Integer),
    sa.column("team_id", sa.String),
    sa.column("number", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pilot_id", sa.Integer(), nullable=True))
        # The decision loop names some occasions by their instant, longer than 32 characters.
        batch_op.alter_column(
            "period", existing_type=sa.String(length=32), type_=sa.String(length=80)
        )
        batch_op.create_index("ix_notifications_pilot", ["pilot_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_pilot_id_pilots"),
            "pilots",
            ["pilot_id"],
            ["id"],
            ondelete="CASCADE",
        )
    # Rows recorded so far name their pilot only by its key ("P-3") within the workspace;
    # digests ("") and notices about a channel match no pilot and stay NULL.
    key = sa.literal("P-") + sa.cast(pilots.c.number, sa.String)
    op.execute(
        notifications.update().values(
            pilot_id=sa.select(pilots.c.id)
            .where(pilots.c.team_id == notifications.c.team_id, key == notifications.c.subject)
            .scalar_subquery()
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notifications_pilot_id_pilots"), type_="foreignkey")
        batch_op.drop_index("ix_notifications_pilot")
        batch_op.drop_column("pilot_id")
        batch_op.alter_column(
            "period", existing_type=sa.String(length=80), type_=sa.String(length=32)
        )
