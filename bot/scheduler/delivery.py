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
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.charts.portfolio import portfolio_chart
from bot.errors import DeliveryError
from bot.errors import PermanentError
from bot.errors import TransientError
from bot.errors import UncertainError
from bot.governance.notices import Reason
from bot.governance.working_hours import next_working_moment
from bot.governance.zones import zone
from bot.scheduler import digest_chart
from bot.scheduler.messages import owner_or_subscriber
from bot.scheduler.messages import render
from bot.scheduler.people import timezone_of
from bot.scheduler.retry import RetryStrategy
from bot.scheduler.transport import Transport
from bot.slack.directory import Directory
from storage import outbox
from storage import schedule
from storage.models import Notification
from storage.models import NotificationStatus
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
BATCH = 50
SENDERS = 4
# Renewed before each post, so it only has to outlast one post with slack_sdk's own retries
# (a few time-outs and short waits); a tick killed mid-delivery holds its rows back no longer.
LEASE = timedelta(seconds=90)
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
    retry: RetryStrategy = RETRY,
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

        def one(rows: list[Notification]) -> None:
            attempts = [_Attempt(sessions, row, now, result, retry, lease, clock) for row in rows]
            try:
                _deliver_one(directory, transport, attempts)
            except Exception as error:
                # One row that cannot be delivered must not hold up the others. What the row
                # says stays as it was stored (a post under way is marked as such).
                log.exception("delivering %s to %s failed", rows[0].reason, rows[0].recipient)
                for attempt in attempts:
                    attempt.failed(TransientError(repr(error)[:200]), None)

        # A post waits mostly on the network, so a few recipients at once keep up with Slack's
        # allowance even when each post takes a while. One recipient's messages go one after
        # another, in order, within Slack's one-a-second limit per conversation.
        by_recipient: dict[tuple[str, str], list[Notification]] = {}
        for row in fresh:
            by_recipient.setdefault((row.team_id, row.recipient), []).append(row)

        def in_order(rows: list[Notification]) -> None:
            for group in _one_message_each(rows):
                one(group)

        with ThreadPoolExecutor(SENDERS, thread_name_prefix="pilotgate-deliver") as senders:
            list(senders.map(in_order, by_recipient.values()))
    return result


def _one_message_each(rows: list[Notification]) -> list[list[Notification]]:
    """One recipient's rows in the order claimed, those about the same pilot together: a
    person gets at most one DM per pilot per tick, naming every reason due."""
    groups: dict[object, list[Notification]] = {}
    for row in rows:
        together = (
            row.pilot_id is not None
            and _to_a_person(row)
            and Reason(row.reason) is not Reason.DELIVERY_FAILED
        )
        groups.setdefault(row.pilot_id if together else ("alone", row.id), []).append(row)
    return list(groups.values())


def _to_a_person(row: Notification) -> bool:
    """A DM waits for the person's working hours; a digest or an announcement in a channel
    goes at its own time."""
    return Reason(row.reason).polite and row.recipient[:1] not in ("C", "G")


def _deliver_one(directory: Directory, transport: Transport, attempts: list[_Attempt]) -> None:
    """Delivers the rows of `attempts` (one recipient; one pilot, or a row alone) as one
    message; the first row carries it, the others are settled with it."""
    attempt, companions = attempts[0], attempts[1:]
    row, now = attempt.row, attempt.now
    tz = None
    if _to_a_person(row):
        tz = timezone_of(directory, transport.client, row.team_id, row.recipient, now)
        later = _later(attempt.sessions, row, now, next_working_moment(now, tz))
        if later > now:
            for waiting in attempts:
                if waiting.settle(NotificationStatus.PENDING, not_before=later,
                                  count_attempt=False):  # fmt: skip
                    waiting.result.add("postponed")
            return
    with UnitOfWork(attempt.sessions) as uow:
        rendered = render(uow, [a.row for a in attempts], now, tz or zone(None))
    carried = {r.id for r in rendered.rows} if rendered is not None else set()
    for gone in attempts:
        if gone.row.id not in carried and gone.settle(
            NotificationStatus.CANCELLED, count_attempt=False
        ):
            gone.result.add("cancelled")
    if rendered is None:
        return
    if row.id not in carried:
        # The first row's reason has gone; the next row that is still due carries the message.
        _deliver_one(directory, transport, [a for a in attempts if a.row.id in carried])
        return
    companions = [a for a in companions if a.row.id in carried]
    messages = rendered.messages
    progress: dict[str, Any] = dict(row.payload)
    try:
        for index in range(int(progress.get("parts_sent", 0)), len(messages)):
            marker = f"{row.id}:{index}"
            thread_ts = progress.get("thread_ts")
            ts = None
            if progress.pop("uncertain", False):
                # An earlier attempt may have posted this part: its answer was lost, or its
                # deliverer died during the post. Look before posting it again.
                ts = transport.find(
                    row.team_id, row.recipient, marker, thread_ts if index else None
                )
            if ts is None:
                # Stored as under way until it is known to have arrived or not, so whoever
                # takes the row over after a crash looks first too.
                if not attempt.renew({**progress, "uncertain": True}):
                    return
                # The rows it also carries stay ours while it is under way.
                companions = [c for c in companions if c.renew(dict(c.row.payload))]
                ts = transport.post(row.team_id, row.recipient, messages[index], thread_ts, marker)
            progress["parts_sent"] = index + 1
            progress.setdefault("thread_ts", ts)
            if len(messages) > 1:
                with UnitOfWork(attempt.sessions) as uow:
                    outbox.save_progress(uow.session, row.id, progress)
                    uow.commit()
    except DeliveryError as error:
        if isinstance(error, UncertainError):
            progress["uncertain"] = True
        attempt.failed(error, progress)
        for companion in companions:
            companion.failed(error, None)
        return
    chart_due = Reason(row.reason) is Reason.DIGEST and progress.get("thread_ts")
    if chart_due and not _digest_chart(attempt, transport, progress):
        return
    if attempt.settle(NotificationStatus.SENT, payload=progress):
        attempt.result.add("sent")
        for companion in companions:
            carried_by = {**companion.row.payload, "sent_with": row.id}
            if companion.settle(NotificationStatus.SENT, payload=carried_by):
                companion.result.add("sent")


def _digest_chart(attempt: _Attempt, transport: Transport, progress: dict[str, Any]) -> bool:
    """The portfolio chart in the digest's thread, once its messages are out; False when the
    row was lost to another deliverer meanwhile. Tried once: the digest is sent either way."""
    chart = progress.get("chart")
    if chart not in (None, digest_chart.UNDER_WAY):
        return True
    row = attempt.row
    try:
        with UnitOfWork(attempt.sessions) as uow:
            tz = zone(str(row.payload.get("timezone") or "UTC"))
            weeks = digest_chart.verdict_weeks(uow, row.team_id, attempt.now, tz)
        png = portfolio_chart(weeks)
    except Exception:
        # The digest is out. A chart that cannot be counted or drawn is the operator's to hear
        # of, never a reason to fail the digest, retry it or pause its channel.
        log.exception("the portfolio chart for %s could not be drawn", row.recipient)
        progress["chart"] = digest_chart.NOT_DRAWN
        return True
    if not attempt.renew({**progress, "chart": digest_chart.UNDER_WAY}):
        return False
    progress["chart"] = digest_chart.post_chart(
        transport, row.team_id, row.recipient, str(progress["thread_ts"]), f"{row.id}:chart",
        weeks, png, under_way=chart == digest_chart.UNDER_WAY,
    )  # fmt: skip
    return True


def _later(
    sessions: sessionmaker[Session], row: Notification, now: datetime, polite: datetime
) -> datetime:
    """The working-hours moment, or the end of a snooze if that is later."""
    if row.pilot_id is None:
        return polite
    with UnitOfWork(sessions) as uow:
        snoozed = schedule.snoozed_until(uow.session, row.pilot_id, row.recipient)
    return max(polite, snoozed or now)


class _Attempt:
    """This deliverer's try at one row, on a lease: renewed before each post, so a deliverer
    that ran past its lease (and lost the row to another) neither posts it nor settles it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        row: Notification,
        now: datetime,
        result: Delivery,
        retry: RetryStrategy,
        lease: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self.sessions, self.row, self.now, self.result = sessions, row, now, result
        self._retry, self._lease, self._clock = retry, lease, clock
        self._held = row.lease_until

    def renew(self, payload: dict[str, Any]) -> bool:
        """Renews the hold and stores `payload` as what the row says meanwhile."""
        with UnitOfWork(self.sessions) as uow:
            until = self._clock() + self._lease
            renewed = outbox.renew(uow.session, self.row.id, self._held, until, payload)
            uow.commit()
        return self._kept(renewed is not None, until)

    def settle(self, status: NotificationStatus, **changes: Any) -> bool:
        with UnitOfWork(self.sessions, actor="scheduler") as uow:
            settled = outbox.settle(uow.session, self.row.id, status, held=self._held,
                                    now=self.now, **changes)  # fmt: skip
            uow.commit()
        return self._kept(settled, None)

    def _kept(self, held: bool, until: datetime | None) -> bool:
        if not held:
            log.warning("lost the lease on %s to %s; another tick has it", self.row.reason,
                        self.row.recipient)  # fmt: skip
            return False
        self._held = until
        return True

    def failed(self, error: DeliveryError, progress: dict[str, Any] | None) -> None:
        """Pending again when the retry strategy says so, else failed for good. `progress`
        (None: leave it as stored) is what the row says from now on."""
        row = self.row
        decision = self._retry.decide(row.attempts + 1, error, self.now)
        if decision.retry_at is None:
            if not isinstance(error, PermanentError):
                error = PermanentError(f"gave up: {error.error}")
            self._failed_for_good(error, progress)
            return
        if not self.settle(NotificationStatus.PENDING, error=error.error,
                           not_before=decision.retry_at, payload=progress,
                           count_attempt=decision.counts):  # fmt: skip
            return
        self.result.add("retrying")
        log.info("delivery of %s to %s will be retried: %s", row.reason, row.recipient,
                 error.error)  # fmt: skip

    def _failed_for_good(self, error: DeliveryError, progress: dict[str, Any] | None) -> None:
        row = self.row
        with UnitOfWork(self.sessions, actor="scheduler") as uow:
            if not outbox.settle(uow.session, row.id, NotificationStatus.FAILED, held=self._held,
                                 now=self.now, error=error.error, payload=progress):  # fmt: skip
                self._kept(False, None)
                return
            self._held = None
            self.result.add("failed")
            self.result.note_error(f"{row.reason} to {row.recipient}: {error.error}")
            log.warning("delivery of %s to %s failed for good: %s", row.reason, row.recipient,
                        error.error)  # fmt: skip
            if Reason(row.reason) is Reason.DIGEST:
                schedule.pause_subscription(uow.session, row.team_id, row.recipient, error.error)
            told = owner_or_subscriber(uow, row)
            if told and Reason(row.reason) is not Reason.DELIVERY_FAILED:
                notice = outbox.NewNotification(
                    team_id=row.team_id,
                    recipient=told,
                    reason=Reason.DELIVERY_FAILED.value,
                    subject=row.subject or row.recipient,
                    pilot_id=row.pilot_id,
                    period=str(row.id),
                    not_before=self.now,
                    payload={"reason": row.reason, "recipient": row.recipient,
                             "error": error.error},
                )  # fmt: skip
                outbox.record_due(uow.session, [notice], self.now)
            uow.commit()
