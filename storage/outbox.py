"""The notification outbox: record what is due once, claim it for delivery, settle it.

Delivery never holds a transaction open across a call to Slack. A claim is one UPDATE that
marks rows as being delivered until a lease runs out; on PostgreSQL its rows are picked in a
CTE with FOR UPDATE SKIP LOCKED so ticks on several machines take disjoint rows, and on SQLite the
single writer does the same. A deliverer that dies leaves its rows to be claimed again when
the lease ends: nothing is lost. A row whose post was under way when its deliverer died says
so in its payload, so whoever takes it over looks for that post before posting again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.dialects import insert_for
from storage.models import Notification
from storage.models import NotificationStatus

# The statuses by their old names, for callers written before the enum.
PENDING = NotificationStatus.PENDING
SENDING = NotificationStatus.SENDING
SENT = NotificationStatus.SENT
FAILED = NotificationStatus.FAILED
CANCELLED = NotificationStatus.CANCELLED


@dataclass(frozen=True)
class NewNotification:
    team_id: str
    recipient: str
    reason: str
    subject: str
    period: str
    not_before: datetime
    payload: dict[str, Any]
    pilot_id: int | None = None  # None for a digest


def record_due(session: Session, rows: Iterable[NewNotification], now: datetime) -> int:
    """Inserts the rows not recorded before; returns how many were new."""
    values = [
        {
            "team_id": row.team_id,
            "recipient": row.recipient,
            "reason": row.reason,
            "subject": row.subject,
            "pilot_id": row.pilot_id,
            "period": row.period,
            "payload": row.payload,
            "status": NotificationStatus.PENDING,
            "attempts": 0,
            "not_before": row.not_before,
            "created_at": now,
        }
        for row in rows
    ]
    if not values:
        return 0
    inserted = session.execute(
        insert_for(session, Notification)
        .values(values)
        .on_conflict_do_nothing(
            index_elements=["team_id", "recipient", "reason", "subject", "period"]
        )
        .returning(Notification.id)
    ).all()
    return len(inserted)


def claim(
    session: Session, due_by: datetime, wall: datetime, lease: timedelta, limit: int
) -> list[Notification]:
    """Takes up to `limit` rows due by `due_by` that no one else is delivering: pending
    ones, and ones whose deliverer's lease ran out (it died or stalled).

    Leases are real time (`wall`, the machine's clock), whatever instant the tick plans for,
    so a `tick --at` in the past never hands out a lease that has already run out.
    """
    claimable = or_(
        Notification.status == NotificationStatus.PENDING,
        and_(Notification.status == NotificationStatus.SENDING, Notification.lease_until < wall),
    )
    candidates = (
        select(Notification.id)
        .where(claimable, Notification.not_before <= due_by)
        .order_by(Notification.not_before, Notification.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Picked once, in a CTE, and joined by id. As `WHERE id IN (subquery ... FOR UPDATE
        # SKIP LOCKED)`, PostgreSQL may run the subquery again for rows a concurrent claim
        # changed, each run taking rows past the limit: one claim could take the backlog.
        picked = candidates.with_for_update(skip_locked=True).cte("picked")
        chosen = Notification.id == picked.c.id
    else:
        # SQLite has one writer at a time and runs its IN subquery once.
        chosen = Notification.id.in_(candidates.scalar_subquery())
    claimed_ids = session.scalars(
        update(Notification)
        .where(chosen, claimable)
        .values(status=NotificationStatus.SENDING, lease_until=wall + lease)
        .returning(Notification.id)
    ).all()
    if not claimed_ids:
        return []
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.id.in_(claimed_ids))
            .order_by(Notification.not_before, Notification.id)
            .execution_options(populate_existing=True)
        )
    )


def _still_held(notification_id: int, held: datetime | None) -> ColumnElement[bool]:
    """The row is still sending under the lease this deliverer took, not another's."""
    return and_(
        Notification.id == notification_id,
        Notification.status == NotificationStatus.SENDING,
        Notification.lease_until == held,
    )


def renew(
    session: Session,
    notification_id: int,
    held: datetime | None,
    until: datetime,
    payload: dict[str, Any],
) -> datetime | None:
    """Extends this deliverer's lease just before it posts, and stores `payload` (what the
    row should say if the deliverer dies during the post). None when the lease was lost (it
    ran out and another deliverer took the row), in which case it must not post."""
    renewed = session.execute(
        update(Notification)
        .where(_still_held(notification_id, held))
        .values(lease_until=until, payload=payload)
        .returning(Notification.id)
    ).first()
    return until if renewed is not None else None


def settle(
    session: Session,
    notification_id: int,
    status: NotificationStatus,
    *,
    held: datetime | None,
    now: datetime,
    error: str | None = None,
    not_before: datetime | None = None,
    payload: dict[str, Any] | None = None,
    count_attempt: bool = True,
) -> bool:
    """Records how a delivery attempt ended: sent, failed for good, cancelled, or pending
    again (with the next time to try). Only while the lease `held` is still this deliverer's:
    False (and nothing changed) when the row has since gone to another."""
    values: dict[str, Any] = {"status": status, "lease_until": None}
    if count_attempt:
        values["attempts"] = Notification.attempts + 1
    if status is NotificationStatus.SENT:
        values["sent_at"] = now
    if error is not None:
        values["last_error"] = error[:500]
    if not_before is not None:
        values["not_before"] = not_before
    if payload is not None:
        values["payload"] = payload
    settled = session.execute(
        update(Notification)
        .where(_still_held(notification_id, held))
        .values(values)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    ).first()
    return settled is not None


def save_progress(session: Session, notification_id: int, payload: dict[str, Any]) -> None:
    """Keeps how far a multi-part message got, so a retry resumes instead of repeating."""
    session.execute(
        update(Notification).where(Notification.id == notification_id).values(payload=payload)
    )


def postpone(session: Session, pilot_id: int, recipient: str, until: datetime) -> None:
    """Pushes pending messages to one person about one pilot to `until` (a snooze)."""
    session.execute(
        update(Notification)
        .where(
            Notification.pilot_id == pilot_id,
            Notification.recipient == recipient,
            Notification.status == NotificationStatus.PENDING,
            Notification.not_before < until,
        )
        .values(not_before=until)
    )


def sent_since(session: Session, pilot_id: int, recipient: str, since: datetime) -> dict[str, int]:
    """How many messages of each reason about one pilot went to one person since `since`."""
    rows = session.execute(
        select(Notification.reason, func.count())
        .where(
            Notification.pilot_id == pilot_id,
            Notification.recipient == recipient,
            Notification.status == NotificationStatus.SENT.value,
            Notification.sent_at >= since,
        )
        .group_by(Notification.reason)
    )
    return {reason: int(count) for reason, count in rows}


def count_by_status_and_reason(session: Session) -> list[tuple[str, str, int]]:
    """How many rows each (status, reason) has, in one GROUP BY: what an operator graphs."""
    rows = session.execute(
        select(Notification.status, Notification.reason, func.count())
        .group_by(Notification.status, Notification.reason)
        .order_by(Notification.status, Notification.reason)
    ).all()
    return [(str(status), str(reason), int(count)) for status, reason, count in rows]
