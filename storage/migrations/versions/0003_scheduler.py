"""Scheduler: next check, leases, snoozes"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "snoozes",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("until", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"], ["pilots.id"], name=op.f("fk_snoozes_pilot_id_pilots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pilot_id", "user_id", name=op.f("pk_snoozes")),
    )
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_reason", sa.String(length=64), nullable=True))

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lease_until", storage.types.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_check_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_pilots_next_check", ["next_check_at"], unique=False)
    # Pilots registered before the scheduler existed are looked at on the first tick.
    op.execute("UPDATE pilots SET next_check_at = CURRENT_TIMESTAMP")


def downgrade() -> None:
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_index("ix_pilots_next_check")
        batch_op.drop_column("next_check_at")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("lease_until")

    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("paused_reason")

    op.drop_table("snoozes")
