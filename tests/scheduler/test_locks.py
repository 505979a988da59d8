"""No pilot stays locked while the scheduler waits on Slack: it asks first, then locks."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.governance.notices import Reason
from tests.fakeslack import FakeSlack
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import World

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
SLOW = 1.5  # seconds users.info takes to answer


def pilots_locked(engine: Engine) -> bool:
    """PostgreSQL: whether another transaction holds FOR UPDATE locks on pilots (it holds a
    RowShareLock on the table until it ends). SQLite: whether another connection is writing."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            holders = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'pilots' AND l.mode = 'RowShareLock' "
                    "AND l.pid <> pg_backend_pid()"
                )
            )
        return bool(holders)
    path = engine.url.database
    assert path is not None
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")  # fails at once if another connection is writing
        probe.rollback()
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()
    return False


def test_the_owners_zone_is_asked_before_the_pilots_are_locked(
    world: World, fake: FakeSlack, engine: Engine
) -> None:
    world.register(MONDAY)  # its owner's zone is not known yet: planning asks users.info
    fake.slow("users.info", SLOW)
    tick = threading.Thread(target=world.tick, args=(MONDAY + timedelta(days=1),))
    tick.start()
    checks: list[tuple[float, bool]] = []
    while tick.is_alive():
        checks.append((fake.clock(), pilots_locked(engine)))
        time.sleep(0.05)
    tick.join()
    [asked] = fake.calls("users.info")  # `at`: when it arrived, before its slow answer
    during = [locked for at, locked in checks if asked.at < at < asked.at + SLOW]
    assert during, "no check fell while users.info was being answered"
    assert not any(during), "a pilot was locked while Slack was asked"
    # The question was not in vain: the nudges are keyed on the owner's (Berlin) day.
    assert {(n.recipient, n.reason, n.period) for n in world.outbox()} == {
        (OWNER, Reason.BASELINE_MISSING.value, "baseline:2026-11-03"),
        (OWNER, Reason.RACI_NO_ACCOUNTABLE.value, "raci:2026-11-03"),
    }
