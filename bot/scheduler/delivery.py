"""Delivery: claim pending outbox rows, post them, and settle each one.

DMs wait for the recipient's working hours and for any snooze; a transient failure leaves
the row pending with backoff; a permanent one is recorded, never retried, and told to the
pilot's owner or the digest's subscriber.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.errors import PermanentError, TransientError, UncertainError
from bot.governance.notices import Reason
from bot.governance.working_hours import next_working_moment
from bot.governance.zones import zone
from bot.scheduler.messages import owner_or_subscriber, render
from bot.scheduler.people import timezone_of
from bot.scheduler.retry import RetryStrategy
from bot.scheduler.transport import Transport
from bot.slack.directory import Directory
from storage import outbox, schedule
from storage.models import Notification, NotificationStatus
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
BATCH = 50
SENDERS = 4
LEASE = timedelta(minutes=5)
RETRY = RetryStrategy()


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    postponed: int = 0
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: str) -> None:
        with self._lock:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def note_error(self, error: str) -> None:
        with self._lock:
            self.errors.append(error)


def wall_clock() -> datetime:
    return datetime.now(UTC)


def deliver(
    sessions: sessionmaker[Session],
    transport: Transport,
    now: datetime,
    *,
    lease: timedelta = LEASE,
    clock: Callable[[], datetime] = wall_clock,
) -> Delivery:
    """Delivers what is due by `now`. Leases run on `clock`, the real time, whatever `now`."""
    result = Delivery()
    directory = Directory(sessions)
    seen: set[int] = set()
    while True:
        with UnitOfWork(sessions, actor="scheduler") as uow:
            rows = outbox.claim(uow.session, now, clock(), lease, BATCH)
            uow.commit()
        fresh = [row for row in rows if row.id not in seen]
        if not fresh:
            break
        seen.update(row.id for row in fresh)

        def one(row: Notification) -> None:
            holder = _Lease(sessions, row, lease, clock)
            try:
                _deliver_one(sessions, directory, transport, row, now, result, holder)
            except Exception as error:
                # One row that cannot be delivered must not hold up the others.
                log.exception("delivering %s to %s failed", row.reason, row.recipient)
                _transient(sessions, row, now, TransientError(repr(error)[:200]), dict(row.payload),
                           result)  # fmt: skip

        # A post waits mostly on the network, so a few recipients at once keep up with Slack's
        # allowance even when each post takes a while. One recipient's messages go one after
        # another, in order, within Slack's one-a-second limit per conversation.
        by_recipient: dict[tuple[str, str], list[Notification]] = {}
        for row in fresh:
            by_recipient.setdefault((row.team_id, row.recipient), []).append(row)

        def in_order(rows: list[Notification]) -> None:
            for row in rows:
                one(row)

        with ThreadPoolExecutor(SENDERS, thread_name_prefix="pilotgate-deliver") as senders:
            list(senders.map(in_order, by_recipient.values()))
    return result


class _Lease:
    """This deliverer's hold on one row; renewed before each post, so a deliverer that ran
    past its lease (and lost the row to another) never posts it too."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        row: Notification,
        lease: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions, self._row, self._lease, self._clock = sessions, row, lease, clock
        self._held = row.lease_until

    def renew(self) -> bool:
        with UnitOfWork(self._sessions) as uow:
            self._held = outbox.renew(
                uow.session, self._row.id, self._held, self._clock() + self._lease
            )
            uow.commit()
        return self._held is not None


def _deliver_one(
    sessions: sessionmaker[Session],
    directory: Directory,
    transport: Transport,
    row: Notification,
    now: datetime,
    result: Delivery,
    holder: _Lease,
) -> None:
    reason = Reason(row.reason)
    tz = None
    if reason.polite:
        tz = timezone_of(directory, transport.client, row.team_id, row.recipient, now)
        later = _later(sessions, row, now, next_working_moment(now, tz))
        if later > now:
            _settle(
                sessions,
                row,
                NotificationStatus.PENDING,
                now,
                not_before=later,
                count_attempt=False,
            )
            result.add("postponed")
            return
    with UnitOfWork(sessions) as uow:
        messages = render(uow, row, now, tz or zone(None))
    if messages is None:
        _settle(sessions, row, NotificationStatus.CANCELLED, now, count_attempt=False)
        result.add("cancelled")
        return
    progress: dict[str, Any] = dict(row.payload)
    try:
        for index in range(int(progress.get("parts_sent", 0)), len(messages)):
            marker = f"{row.id}:{index}"
            thread_ts = progress.get("thread_ts")
            ts = None
            if progress.pop("uncertain", False):
                # The last attempt timed out: it may have arrived after all.
                ts = transport.find(
                    row.team_id, row.recipient, marker, thread_ts if index else None
                )
            if ts is None:
                if not holder.renew():
                    log.warning("lost the lease on %s to %s; another tick has it", row.reason,
                                row.recipient)  # fmt: skip
                    return
                ts = transport.post(row.team_id, row.recipient, messages[index], thread_ts, marker)
            progress["parts_sent"] = index + 1
            progress.setdefault("thread_ts", ts)
            if len(messages) > 1:
                with UnitOfWork(sessions) as uow:
                    outbox.save_progress(uow.session, row.id, progress)
                    uow.commit()
    except UncertainError as error:
        progress["uncertain"] = True
        _transient(sessions, row, now, error, progress, result)
        return
    except TransientError as error:
        _transient(sessions, row, now, error, progress, result)
        return
    except PermanentError as error:
        _permanent(sessions, row, now, error, progress, result)
        return
    _settle(sessions, row, NotificationStatus.SENT, now, payload=progress)
    result.add("sent")


def _later(
    sessions: sessionmaker[Session], row: Notification, now: datetime, polite: datetime
) -> datetime:
    """The working-hours moment, or the end of a snooze if that is later."""
    if row.pilot_id is None:
        return polite
    with UnitOfWork(sessions) as uow:
        snoozed = schedule.snoozed_until(uow.session, row.pilot_id, row.recipient)
    return max(polite, snoozed or now)


def _transient(
    sessions: sessionmaker[Session],
    row: Notification,
    now: datetime,
    error: TransientError,
    progress: dict[str, Any],
    result: Delivery,
) -> None:
    decision = RETRY.decide(row.attempts + 1, error, now)
    if decision.retry_at is None:
        _permanent(sessions, row, now, PermanentError(f"gave up: {error.error}"), progress, result)
        return
    _settle(sessions, row, NotificationStatus.PENDING, now, error=error.error,
            not_before=decision.retry_at, payload=progress,
            count_attempt=decision.counts)  # fmt: skip
    result.add("retrying")
    log.info("delivery of %s to %s will be retried: %s", row.reason, row.recipient, error.error)


def _permanent(
    sessions: sessionmaker[Session],
    row: Notification,
    now: datetime,
    error: PermanentError,
    progress: dict[str, Any],
    result: Delivery,
) -> None:
    result.add("failed")
    result.note_error(f"{row.reason} to {row.recipient}: {error.error}")
    log.warning("delivery of %s to %s failed for good: %s", row.reason, row.recipient, error.error)
    with UnitOfWork(sessions, actor="scheduler") as uow:
        outbox.settle(uow.session, row.id, NotificationStatus.FAILED, now=now, error=error.error,
                      payload=progress)  # fmt: skip
        if Reason(row.reason) is Reason.DIGEST:
            schedule.pause_subscription(uow.session, row.team_id, row.recipient, error.error)
        told = owner_or_subscriber(uow, row)
        if told and Reason(row.reason) is not Reason.DELIVERY_FAILED:
            outbox.record_due(
                uow.session,
                [
                    outbox.NewNotification(
                        team_id=row.team_id,
                        recipient=told,
                        reason=Reason.DELIVERY_FAILED.value,
                        subject=row.subject or row.recipient,
                        pilot_id=row.pilot_id,
                        period=str(row.id),
                        not_before=now,
                        payload={"reason": row.reason, "recipient": row.recipient,
                                 "error": error.error},
                    )
                ],
                now,
            )  # fmt: skip
        uow.commit()


def _settle(
    sessions: sessionmaker[Session],
    row: Notification,
    status: NotificationStatus,
    now: datetime,
    **changes: Any,
) -> None:
    with UnitOfWork(sessions, actor="scheduler") as uow:
        outbox.settle(uow.session, row.id, status, now=now, **changes)
        uow.commit()
