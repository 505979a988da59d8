"""Decision loop: currency, decision status and extensions, amendments, deactivated people"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("before", sa.String(length=200), nullable=True),
        sa.Column("after", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amended_by", sa.String(length=32), nullable=False),
        sa.Column("amended_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_amendments_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendments")),
    )
    op.create_index("ix_amendments_pilot", "amendments", ["pilot_id"], unique=False)
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("currency", sa.String(length=3), nullable=False, server_default="USD")
        )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="recorded")
        )
        batch_op.add_column(sa.Column("approved_by", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("approved_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("open_gaps", sa.JSON(), nullable=True))
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deactivated", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("deactivated")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        for column in ("open_gaps", "until", "approved_at", "approved_by", "status"):
            batch_op.drop_column(column)
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_column("currency")
    op.drop_index("ix_amendments_pilot", table_name="amendments")
    op.drop_table("amendments")
