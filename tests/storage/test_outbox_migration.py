"""Upgrading a database whose outbox named pilots only by key: every row learns its pilot."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select

from storage.db import create_db_engine
from storage.migrate import upgrade
from storage.models import Notification, Pilot, Workspace

AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _pilot(team_id: str, number: int) -> dict[str, object]:
    return {
        "team_id": team_id, "number": number, "name": f"Pilot {number}", "stage": "piloting",
        "registered_at": AT, "registered_by": "U0ANN", "owner_id": "U0ANN", "cadence": "weekly",
    }  # fmt: skip


def _notification(team_id: str, reason: str, subject: str, period: str) -> dict[str, object]:
    return {
        "team_id": team_id, "recipient": "U0ANN", "reason": reason, "subject": subject,
        "period": period, "payload": {}, "status": "pending", "attempts": 0, "not_before": AT,
        "created_at": AT,
    }  # fmt: skip


def test_rows_recorded_before_the_upgrade_name_their_pilot_by_id(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        upgrade(engine, "0004")
        # Written as revision 0004 had them: the outbox names pilots by key only.
        with engine.begin() as connection:
            connection.execute(insert(Workspace.__table__), [
                {"team_id": team_id, "installed_at": AT, "pilot_counter": 3}
                for team_id in ("T1", "T2")
            ])  # fmt: skip
            connection.execute(insert(Pilot.__table__), [
                _pilot("T1", 1), _pilot("T1", 3), _pilot("T2", 3),
            ])  # fmt: skip
            connection.execute(insert(Notification.__table__), [
                _notification("T1", "baseline_missing", "P-3", "baseline:2026-11-03"),
                _notification("T2", "baseline_missing", "P-3", "baseline:2026-11-03"),
                _notification("T1", "reading_due", "P-1", "reading:2026-11-09"),
                _notification("T1", "digest", "", "2026-11-03"),
                _notification("T1", "delivery_failed", "C0SPONSORS", "17"),
                _notification("T1", "reading_due", "P-9", "reading:2026-11-09"),  # long gone
            ])  # fmt: skip
        upgrade(engine)
        with engine.connect() as connection:
            pilot_ids = {
                (team, number): pilot_id
                for pilot_id, team, number in connection.execute(
                    select(Pilot.id, Pilot.team_id, Pilot.number)
                )
            }
            rows = connection.execute(
                select(Notification.team_id, Notification.subject, Notification.pilot_id)
                .order_by(Notification.id)
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
            connection.execute(delete(Pilot).where(Pilot.id == pilot_ids["T1", 3]))
        with engine.connect() as connection:
            left = connection.scalars(select(Notification.subject).order_by(Notification.id))
            assert list(left) == ["P-3", "P-1", "", "C0SPONSORS", "P-9"]
    finally:
        engine.dispose()
