"""Upgrading a database whose outbox named pilots only by key: every row learns its pilot."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from storage.db import create_db_engine
from storage.migrate import MIGRATIONS
from storage.migrate import upgrade
from storage.types import UTCDateTime

AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

# The tables as they stood before the migration, with just the columns written here, so the
# test does not follow the models as they change later.
workspaces = sa.table(
    "workspaces",
    sa.column("team_id", sa.String),
    sa.column("installed_at", UTCDateTime()),
    sa.column("pilot_counter", sa.Integer),
)
pilots = sa.table(
    "pilots",
    *(sa.column(name, sa.String) for name in ("team_id", "name", "stage", "registered_by")),
    *(sa.column(name, sa.String) for name in ("owner_id", "cadence")),
    sa.column("id", sa.Integer),
    sa.column("number", sa.Integer),
    sa.column("registered_at", UTCDateTime()),
)
notifications = sa.table(
    "notifications",
    *(sa.column(name, sa.String) for name in ("team_id", "recipient", "reason", "subject")),
    *(sa.column(name, sa.String) for name in ("period", "status")),
    sa.column("id", sa.Integer),
    sa.column("payload", sa.JSON),
    sa.column("attempts", sa.Integer),
    sa.column("not_before", UTCDateTime()),
    sa.column("created_at", UTCDateTime()),
    sa.column("pilot_id", sa.Integer),
)


def revision_before_pilot_id() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    for script in ScriptDirectory.from_config(config).walk_revisions():
        if script.path.endswith("_outbox_pilot_id.py"):
            assert isinstance(script.down_revision, str)
            return script.down_revision
    raise AssertionError("no migration adds the outbox's pilot_id")


def pilot(team_id: str, number: int) -> dict[str, object]:
    return {
        "team_id": team_id, "number": number, "name": f"Pilot {number}", "stage": "piloting",
        "registered_at": AT, "registered_by": "U0ANN", "owner_id": "U0ANN", "cadence": "weekly",
    }  # fmt: skip


def notification(team_id: str, reason: str, subject: str, period: str) -> dict[str, object]:
    return {
        "team_id": team_id, "recipient": "U0ANN", "reason": reason, "subject": subject,
        "period": period, "payload": {}, "status": "pending", "attempts": 0, "not_before": AT,
        "created_at": AT,
    }  # fmt: skip


def test_rows_recorded_before_the_upgrade_name_their_pilot_by_id(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        upgrade(engine, revision_before_pilot_id())
        with engine.begin() as connection:
            connection.execute(sa.insert(workspaces), [
                {"team_id": team_id, "installed_at": AT, "pilot_counter": 3}
                for team_id in ("T1", "T2")
            ])  # fmt: skip
            connection.execute(sa.insert(pilots), [
                pilot("T1", 1), pilot("T1", 3), pilot("T2", 3),
            ])  # fmt: skip
            connection.execute(sa.insert(notifications), [
                notification("T1", "baseline_missing", "P-3", "baseline:2026-11-03"),
                notification("T2", "baseline_missing", "P-3", "baseline:2026-11-03"),
                notification("T1", "reading_due", "P-1", "reading:2026-11-09"),
                notification("T1", "digest", "", "2026-11-03"),
                notification("T1", "delivery_failed", "C0SPONSORS", "17"),
                notification("T1", "reading_due", "P-9", "reading:2026-11-09"),  # long gone
            ])  # fmt: skip
        upgrade(engine)
        with engine.connect() as connection:
            pilot_ids = {
                (team, number): pilot_id
                for pilot_id, team, number in connection.execute(
                    sa.select(pilots.c.id, pilots.c.team_id, pilots.c.number)
                )
            }
            rows = connection.execute(
                sa.select(notifications.c.team_id, notifications.c.subject,
                          notifications.c.pilot_id).order_by(notifications.c.id)
            ).all()  # fmt: skip
        assert [tuple(row) for row in rows] == [
            ("T1", "P-3", pilot_ids["T1", 3]),
            ("T2", "P-3", pilot_ids["T2", 3]),
            ("T1", "P-1", pilot_ids["T1", 1]),
            ("T1", "", None),
            ("T1", "C0SPONSORS", None),
            ("T1", "P-9", None),
        ]
        # A pilot's messages go with it.
        with engine.begin() as connection:
            connection.execute(sa.delete(pilots).where(pilots.c.id == pilot_ids["T1", 3]))
        with engine.connect() as connection:
            subjects = connection.scalars(
                sa.select(notifications.c.subject).order_by(notifications.c.id)
            )
            assert list(subjects) == ["P-3", "P-1", "", "C0SPONSORS", "P-9"]
    finally:
        engine.dispose()
