"""One tick (plan, then deliver), and the APScheduler job that runs it every minute."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.scheduler.delivery import Delivery
from bot.scheduler.delivery import deliver
from bot.scheduler.delivery import wall_clock
from bot.scheduler.planner import Plan
from bot.scheduler.planner import plan
from bot.scheduler.transport import Transport
from storage import people
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
TICK_SECONDS = 60
KEEP_EVENT_IDS = timedelta(days=1)


@dataclass(frozen=True)
class Tick:
    at: datetime
    plan: Plan
    delivery: Delivery

    def summary(self) -> str:
        d = self.delivery
        return (
            f"tick at {self.at.isoformat()}: {self.plan.pilots_checked} pilots looked at, "
            f"{self.plan.recorded} messages newly due; {d.sent} sent, {d.postponed} waiting "
            f"for working hours or a snooze, {d.retrying} to retry, {d.failed} failed, "
            f"{d.cancelled} no longer needed"
        )


def tick(
    sessions: sessionmaker[Session],
    transport: Transport,
    now: datetime,
    *,
    clock: Callable[[], datetime] = wall_clock,
) -> Tick:
    """One pass as of `now`. `clock` is the real time, which leases run on."""
    planned = plan(sessions, now, transport.client)
    result = Tick(now, planned, deliver(sessions, transport, now, clock=clock))
    _housekeeping(sessions, clock())
    return result


def _housekeeping(sessions: sessionmaker[Session], real_now: datetime) -> None:
    # Event ids are stamped with the real time they arrived, whatever instant a tick plans for.
    with UnitOfWork(sessions) as uow:
        people.forget_events_before(uow.session, real_now - KEEP_EVENT_IDS)
        uow.commit()


def start_background(
    sessions: sessionmaker[Session],
    transport: Transport,
    clock: Callable[[], datetime] = wall_clock,
    timed: Callable[[float], None] = lambda _seconds: None,
) -> BackgroundScheduler:
    """Ticks every minute in this process. The database decides what is due, so a restart
    or a second replica neither repeats nor skips anything. `timed` is told how long each
    tick took, in seconds (for /metrics)."""
    scheduler = BackgroundScheduler(timezone=UTC)

    def job() -> None:
        started = time.perf_counter()
        try:
            log.info(tick(sessions, transport, clock()).summary(), extra={"event": "tick"})
        except Exception:
            # A failed tick is rolled back by its units of work; the next one tries again.
            log.exception("scheduler tick failed", extra={"event": "tick"})
        finally:
            timed(time.perf_counter() - started)

    scheduler.add_job(
        job, "interval", seconds=TICK_SECONDS, id="tick", max_instances=1, coalesce=True,
        next_run_time=clock(),
    )  # fmt: skip
    scheduler.start()
    return scheduler
