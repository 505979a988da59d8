"""Keys per workspace, isolation, the audit log and the outbox's unique key, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage import pilots as store
from storage.models import AuditEntry
from storage.models import Measurement
from storage.models import Notification
from storage.models import Pilot
from storage.models import RaciAssignment
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def add_pilot(sessions: sessionmaker[Session], team: str, name: str, actor: str = "U1") -> str:
    with UnitOfWork(sessions, actor=actor) as uow:
        store.ensure_workspace(uow.session, team, NOW)
        pilot = Pilot(
            team_id=team,
            number=store.allocate_pilot_number(uow.session, team),
            name=name,
            stage="proposed",
            registered_at=NOW,
            registered_by=actor,
            owner_id=actor,
            cadence="weekly",
        )
        uow.session.add(pilot)
        uow.commit()
        return pilot.key


def test_keys_count_up_per_workspace(sessions: sessionmaker[Session]) -> None:
    assert [add_pilot(sessions, "T1", n) for n in ("a", "b", "c")] == ["P-1", "P-2", "P-3"]
    assert add_pilot(sessions, "T2", "d") == "P-1"
    assert add_pilot(sessions, "T1", "e") == "P-4"


def test_concurrent_registrations_never_share_a_key(sessions: sessionmaker[Session]) -> None:
    add_pilot(sessions, "T1", "first")  # the workspace row exists before the race
    with ThreadPoolExecutor(max_workers=6) as pool:
        keys = list(pool.map(lambda i: add_pilot(sessions, "T1", f"p{i}"), range(30)))
    assert len(set(keys)) == 30
    assert sorted(int(k[2:]) for k in keys) == list(range(2, 32))


def test_the_database_refuses_a_duplicate_key_in_one_workspace(
    sessions: sessionmaker[Session],
) -> None:
    add_pilot(sessions, "T1", "a")
    with sessions() as session:
        session.add(
            Pilot(
                team_id="T1",
                number=1,
                name="dup",
                stage="proposed",
                registered_at=NOW,
                registered_by="U1",
                cadence="weekly",
            )
        )
        with pytest.raises(IntegrityError):
            session.commit()


def test_lookups_never_cross_workspaces(sessions: sessionmaker[Session]) -> None:
    add_pilot(sessions, "T1", "only in one")
    add_pilot(sessions, "T2", "only in two")
    with sessions() as session:
        assert [p.name for p in store.list_pilots(session, "T1")] == ["only in one"]
        assert store.get_pilot(session, "T1", 1).name == "only in one"  # type: ignore[union-attr]
        assert store.get_pilot(session, "T2", 1).name == "only in two"  # type: ignore[union-attr]
        assert store.get_pilot(session, "T3", 1) is None
        assert [p.team_id for p in store.list_pilots(session)] == ["T1", "T2"]


@pytest.mark.parametrize(
    ("key", "number"),
    [
        ("P-1", 1),
        ("p-42", 42),
        (" P-7 ", 7),
        ("P-", None),
        ("Q-1", None),
        ("P-1x", None),
        ("P--1", None),
        ("P-1234567890", None),
        ("", None),
        ("P-٣", None),
    ],
)
def test_parse_key(key: str, number: int | None) -> None:
    assert store.parse_key(key) == number


def audit_rows(sessions: sessionmaker[Session]) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_every_change_leaves_an_audit_row_with_who_what_before_after_and_when(
    sessions: sessionmaker[Session],
) -> None:
    add_pilot(sessions, "T1", "drafting", actor="U0ANN")
    with UnitOfWork(sessions, actor="U0BEA") as uow:
        pilot = store.get_pilot(uow.session, "T1", 1)
        assert pilot is not None
        pilot.threshold = 9.8
        pilot.measurements.append(
            Measurement(kind="baseline", value=14, recorded_by="U0BEA", recorded_at=NOW)
        )
        pilot.raci.append(RaciAssignment(area="incidents", role="A", user_id="U0ANN"))
        uow.commit()
    with UnitOfWork(sessions, actor="U0CAL") as uow:
        pilot = store.get_pilot(uow.session, "T1", 1)
        assert pilot is not None
        pilot.raci = []
        uow.commit()

    rows = audit_rows(sessions)
    summary = [(r.actor, r.entity, r.action) for r in rows]
    assert ("U0ANN", "pilots", "create") in summary
    assert ("U0BEA", "pilots", "update") in summary
    assert ("U0BEA", "measurements", "create") in summary
    assert ("U0BEA", "raci_assignments", "create") in summary
    assert ("U0CAL", "raci_assignments", "delete") in summary
    update = next(r for r in rows if r.entity == "pilots" and r.action == "update")
    assert update.before == {"threshold": None}
    assert update.after == {"threshold": 9.8}
    assert update.team_id == "T1"
    assert update.at.tzinfo is UTC
    created = next(r for r in rows if r.entity == "pilots" and r.action == "create")
    assert created.after is not None
    assert created.after["name"] == "drafting"
    assert created.after["registered_at"] == NOW.isoformat()
    deleted = next(r for r in rows if r.action == "delete")
    assert deleted.before is not None
    assert deleted.before["user_id"] == "U0ANN"


def test_a_rolled_back_change_leaves_no_audit_row(sessions: sessionmaker[Session]) -> None:
    add_pilot(sessions, "T1", "drafting")
    before = len(audit_rows(sessions))
    with UnitOfWork(sessions, actor="U2") as uow:
        pilot = store.get_pilot(uow.session, "T1", 1)
        assert pilot is not None
        pilot.name = "renamed"
        uow.session.flush()
        # leaving without commit() rolls back
    assert len(audit_rows(sessions)) == before
    with sessions() as session:
        assert store.get_pilot(session, "T1", 1).name == "drafting"  # type: ignore[union-attr]


def outbox_row(period: str) -> Notification:
    return Notification(
        team_id="T1",
        recipient="U0ANN",
        reason="reading_due",
        subject="P-1",
        period=period,
        payload={"text": "due"},
        status="pending",
        attempts=0,
        not_before=NOW,
        created_at=NOW,
    )


def test_the_outbox_holds_one_row_per_recipient_reason_subject_and_period(
    sessions: sessionmaker[Session],
) -> None:
    add_pilot(sessions, "T1", "drafting")
    with sessions() as session:
        session.add_all([outbox_row("2026-W47"), outbox_row("2026-W48")])
        session.commit()
    with sessions() as session:
        session.add(outbox_row("2026-W47"))
        with pytest.raises(IntegrityError):
            session.commit()
