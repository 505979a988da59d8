"""Outbox claims that race take disjoint batches, none larger than asked for.

On PostgreSQL an `UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` may run
its subquery again for rows a concurrent claim changed, and take more than `n` rows: a tick
could claim the whole backlog while another stood idle. SQLite serialises writers, so there
the race is a queue; the same assertions hold on both.
"""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage import outbox
from storage.models import Workspace

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
BACKLOG = 120
BATCH = 7


def record_backlog(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        session.add(Workspace(team_id="T1", installed_at=T0, pilot_counter=0))
        session.flush()
        rows = [
            outbox.NewNotification("T1", f"U{n:04d}", "nudge", "P-1", "2026-W50", T0, {})
            for n in range(BACKLOG)
        ]
        assert outbox.record_due(session, rows, T0) == BACKLOG
        session.commit()


def claim_ids(session: Session) -> list[int]:
    return [row.id for row in outbox.claim(session, T0, datetime.now(UTC), LEASE, BATCH)]


def test_claims_racing_until_the_backlog_is_gone_take_disjoint_bounded_batches(
    sessions: sessionmaker[Session],
) -> None:
    record_backlog(sessions)
    batches: list[list[int]] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def deliverer() -> None:
        start.wait()
        while True:
            with sessions() as session:
                ids = claim_ids(session)
                session.commit()
            if not ids:
                return
            with lock:
                batches.append(ids)

    threads = [threading.Thread(target=deliverer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert max(len(batch) for batch in batches) <= BATCH
    taken = [row for batch in batches for row in batch]
    assert len(taken) == len(set(taken)) == BACKLOG, "every row once, none twice"


def test_a_claim_made_while_another_is_open_passes_its_rows_by(
    sessions: sessionmaker[Session],
) -> None:
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite's second writer waits for the first to commit: nothing to pass by")
    record_backlog(sessions)
    with sessions() as first, sessions() as second:
        held = claim_ids(first)  # not committed: its rows stay locked
        passed_by = claim_ids(second)
        second.commit()
        first.commit()
    assert len(held) == len(passed_by) == BATCH
    assert not set(held) & set(passed_by)
