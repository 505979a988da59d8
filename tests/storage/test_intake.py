"""The intake's rows on SQLite and PostgreSQL: claimed one at a time, fenced, expired.

Leases are instants handed in (`wall`), so a lease that ran out is an instant later on, not a
wait.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage import intake
from storage.intake import Kind
from storage.intake import LeaseLost
from storage.intake import NewRequest
from storage.intake import Status
from storage.models import IntakeRequest
from storage.models import Workspace

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=10)


def receive(sessions: sessionmaker[Session], key: str, at: datetime = T0) -> int | None:
    with sessions() as session:
        request = NewRequest("T1", "U1", Kind.COMMAND, key, {"text": key}, None, at)
        stored = intake.record(session, request)
        session.commit()
    return stored


def claim(sessions: sessionmaker[Session], token: str, wall: datetime) -> intake.Taken | None:
    with sessions() as session:
        taken = intake.claim(session, token, wall=wall, lease=LEASE, fresh_since=wall - LEASE * 180)
        session.commit()
    return taken


def statuses(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as session:
        return {r.dedupe_key: r.status for r in session.scalars(select(IntakeRequest))}


def test_the_same_key_is_recorded_once(sessions: sessionmaker[Session]) -> None:
    assert receive(sessions, "command:trigger-1") is not None
    assert receive(sessions, "command:trigger-1") is None
    assert list(statuses(sessions).values()) == [Status.PENDING]


def test_each_claim_takes_one_request_and_never_one_another_holds(
    sessions: sessionmaker[Session],
) -> None:
    for n in range(5):
        receive(sessions, f"command:trigger-{n}", T0 + timedelta(seconds=n))
    first, second = claim(sessions, "a/1", T0), claim(sessions, "b/1", T0)
    assert first is not None
    assert second is not None
    assert (first.payload, second.payload) == ({"text": "command:trigger-0"},
                                               {"text": "command:trigger-1"})  # fmt: skip
    assert sorted(statuses(sessions).values()) == [Status.PENDING] * 3 + [Status.RUNNING] * 2


def test_a_worker_whose_lease_ran_out_cannot_commit_and_its_successor_sees_the_change(
    sessions: sessionmaker[Session],
) -> None:
    receive(sessions, "command:trigger-1")
    stale = claim(sessions, "a/1", T0)
    assert stale is not None
    assert claim(sessions, "b/1", T0 + LEASE / 2) is None, "held while the lease lasts"
    fresh = claim(sessions, "b/1", T0 + LEASE + timedelta(seconds=1))
    assert fresh is not None
    assert (fresh.attempts, fresh.applied) == (2, False)
    work = intake.fenced(sessions)

    with intake.holding(stale.claim), work() as session:
        session.add(Workspace(team_id="T-STALE", installed_at=T0, pilot_counter=0))
        with pytest.raises(LeaseLost):
            session.commit()
    with intake.holding(fresh.claim), work() as session:
        session.add(Workspace(team_id="T-FRESH", installed_at=T0, pilot_counter=0))
        session.commit()
    with sessions() as session:
        assert list(session.scalars(select(Workspace.team_id))) == ["T-FRESH"]

    # Had the second worker died now, the third would know the change was made.
    third = claim(sessions, "c/1", T0 + LEASE * 3)
    assert third is not None
    assert third.applied


def test_outside_a_claim_fenced_sessions_are_plain_sessions(
    sessions: sessionmaker[Session],
) -> None:
    with intake.fenced(sessions)() as session:
        session.add(Workspace(team_id="T1", installed_at=T0, pilot_counter=0))
        session.commit()
    with sessions() as session:
        assert session.get(Workspace, "T1") is not None


def left_running(sessions: sessionmaker[Session], key: str, lease_until: datetime,
                 *, applied: bool) -> None:  # fmt: skip
    with sessions() as session:
        row = session.scalars(select(IntakeRequest).where(IntakeRequest.dedupe_key == key)).one()
        row.status, row.claimed_by, row.lease_until = Status.RUNNING.value, "w/1", lease_until
        row.applied_at = T0 if applied else None
        session.commit()


def test_expiry_settles_only_what_nobody_holds_and_says_what_was_changed(
    sessions: sessionmaker[Session],
) -> None:
    later = T0 + timedelta(minutes=31)
    for key in ("never-taken", "held", "made", "kept"):
        receive(sessions, key)
    left_running(sessions, "held", later + LEASE, applied=False)  # a live worker renews it
    left_running(sessions, "made", T0 + LEASE, applied=True)  # its worker died after the change
    receive(sessions, "recent", later - timedelta(minutes=1))

    with sessions() as session:
        settled = intake.expire(session, received_before=later - timedelta(minutes=30),
                                wall=later, limit=2)  # fmt: skip
        session.commit()
    assert [(t.payload["text"], t.applied) for t in settled] == [("never-taken", False),
                                                                 ("made", True)]  # fmt: skip
    assert statuses(sessions) == {
        "never-taken": Status.EXPIRED, "held": Status.RUNNING, "made": Status.DONE,
        "kept": Status.PENDING, "recent": Status.PENDING,
    }  # fmt: skip
