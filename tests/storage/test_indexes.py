"""The queries listeners and the scheduler run are answered from an index, not a table scan.

SQLite's EXPLAIN QUERY PLAN says which; the same indexes exist on PostgreSQL (the migration
test checks both schemas match the models).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy import select

from storage.db import create_db_engine
from storage.migrate import upgrade
from storage.models import Evaluation
from storage.models import Measurement
from storage.models import Notification
from storage.models import Pilot
from storage.models import RaciAssignment


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


SOON = date(2026, 12, 1)
DUE = datetime(2026, 11, 16, tzinfo=UTC)

# query, and the index SQLite must answer it from
QUERIES = {
    "a pilot by key": (
        select(Pilot).where(Pilot.team_id == "T1", Pilot.number == 3),
        # SQLite backs a UNIQUE constraint with an index of its own naming.
        "(team_id=? AND number=?)",
    ),
    "pilots a person owns": (
        select(Pilot).where(Pilot.team_id == "T1", Pilot.owner_id == "U1"),
        "ix_pilots_team_owner",
    ),
    "pilots a person sponsors": (
        select(Pilot).where(Pilot.team_id == "T1", Pilot.sponsor_id == "U1"),
        "ix_pilots_team_sponsor",
    ),
    "pilots a person holds a RACI role in": (
        select(RaciAssignment.pilot_id).where(RaciAssignment.user_id == "U1"),
        "ix_raci_user",
    ),
    "a pilot's latest reading": (
        select(Measurement)
        .where(
            Measurement.pilot_id == 1,
            Measurement.kind == "reading",
            Measurement.metric.is_(None),
        )
        .order_by(Measurement.recorded_at.desc())
        .limit(1),
        "ix_measurements_pilot_series_at",
    ),
    "a guardrail's latest reading": (
        select(Measurement)
        .where(
            Measurement.pilot_id == 1,
            Measurement.kind == "guardrail",
            Measurement.metric == "errors",
        )
        .order_by(Measurement.recorded_at.desc())
        .limit(1),
        "ix_measurements_pilot_series_at",
    ),
    "a pilot's evaluation runs": (
        select(Evaluation).where(Evaluation.pilot_id == 1).order_by(Evaluation.recorded_at),
        "ix_evaluations_pilot_at",
    ),
    "pilots deciding soon": (
        select(Pilot.id).where(Pilot.decide_by <= SOON),
        "ix_pilots_decide_by",
    ),
    "notifications due for delivery": (
        select(Notification.id).where(
            Notification.status == "pending", Notification.not_before <= DUE
        ),
        "ix_notifications_status_due",
    ),
}


@pytest.mark.parametrize(("query", "index"), list(QUERIES.values()), ids=list(QUERIES))
def test_query_uses_its_index(sqlite_engine: Engine, query: object, index: str) -> None:
    compiled = query.compile(dialect=sqlite_engine.dialect)  # type: ignore[attr-defined]
    values = tuple(compiled.params[name] for name in compiled.positiontup)
    with sqlite_engine.connect() as connection:
        steps = [
            str(row[-1])
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values)
        ]
    assert any("INDEX" in step and index in step for step in steps), steps
    assert not [s for s in steps if s.startswith("SCAN ") and "INDEX" not in s], steps
