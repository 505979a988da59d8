"""Evidence: guardrails, dated evaluation runs, evidence links

The pilot's single eval size and score become its first evaluation run, so the latest run is
the one truth the evaluation check reads: a pilot with both set gets one run, dated at its
registration and recorded by whoever registered it. A pilot with only one of the two set had
no run to speak of; that half-value is dropped with the columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0007"
down_revision = "0006"

CARRIED_OVER = "carried over from the pilot's eval-size and eval-score"


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_evaluations_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    op.create_index(
        "ix_evaluations_pilot_at", "evaluations", ["pilot_id", "recorded_at"], unique=False
    )
    op.create_table(
        "guardrails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("better", sa.String(length=8), nullable=False),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("added_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_guardrails_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardrails")),
        sa.UniqueConstraint("pilot_id", "name", name=op.f("uq_guardrails_pilot_id_name")),
    )
    # No batch mode, not even on SQLite: copying `pilots` to drop its columns would drop the
    # old table, and with foreign keys on that deletes every row that cascades from it
    # (readings, RACI, decisions). SQLite adds and drops plain columns in place since 3.35.
    op.add_column("measurements", sa.Column("metric", sa.String(length=32), nullable=True))
    op.drop_index("ix_measurements_pilot_kind_at", table_name="measurements")
    op.create_index(
        "ix_measurements_pilot_series_at",
        "measurements",
        ["pilot_id", "kind", "metric", "recorded_at"],
        unique=False,
    )
    for column in ("eval_report", "dashboard", "runbook"):
        op.add_column("pilots", sa.Column(column, sa.String(length=500), nullable=True))
    # Plain SQL copies the instants as stored, whatever the dialect keeps them as.
    op.execute(
        sa.text(
            "INSERT INTO evaluations (pilot_id, score, size, note, recorded_by, recorded_at) "
            "SELECT id, eval_score, eval_size, :note, registered_by, registered_at FROM pilots "
            "WHERE eval_score IS NOT NULL AND eval_size IS NOT NULL ORDER BY id"
        ).bindparams(note=CARRIED_OVER)
    )
    op.drop_column("pilots", "eval_score")
    op.drop_column("pilots", "eval_size")


def downgrade() -> None:
    """Puts the latest run back on its pilot; earlier runs, guardrails (and their readings)
    and links are lost. In place, for the reason upgrade() gives."""
    op.add_column("pilots", sa.Column("eval_size", sa.Integer(), nullable=True))
    op.add_column("pilots", sa.Column("eval_score", sa.Float(), nullable=True))
    op.execute(
        "UPDATE pilots SET "
        "eval_size = (SELECT size FROM evaluations WHERE evaluations.pilot_id = pilots.id "
        "ORDER BY recorded_at DESC, id DESC LIMIT 1), "
        "eval_score = (SELECT score FROM evaluations WHERE evaluations.pilot_id = pilots.id "
        "ORDER BY recorded_at DESC, id DESC LIMIT 1)"
    )
    for column in ("runbook", "dashboard", "eval_report"):
        op.drop_column("pilots", column)
    # Readings of guardrails that no longer exist would read as nothing the old schema knows.
    op.execute("DELETE FROM measurements WHERE kind = 'guardrail'")
    op.drop_index("ix_measurements_pilot_series_at", table_name="measurements")
    op.create_index(
        "ix_measurements_pilot_kind_at",
        "measurements",
        ["pilot_id", "kind", "recorded_at"],
        unique=False,
    )
    op.drop_column("measurements", "metric")
    op.drop_table("guardrails")
    op.drop_index("ix_evaluations_pilot_at", table_name="evaluations")
    op.drop_table("evaluations")
