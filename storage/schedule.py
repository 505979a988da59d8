"""What the scheduler reads and writes besides the outbox: pilots due a look, snoozes,
subscriptions, and the time zones it knows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from storage.models import DigestSubscription
from storage.models import Pilot
from storage.models import Snooze


def pilots_to_check(session: Session, now: datetime, limit: int) -> Sequence[Pilot]:
    """Pilots whose next look has come, oldest first; replicas skip each other's rows, which
    stay locked until the transaction ends (on PostgreSQL)."""
    statement = _with_children(
        select(Pilot)
        .where(Pilot.next_check_at <= now)
        .order_by(Pilot.next_check_at, Pilot.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=Pilot)
    pilots: Sequence[Pilot] = session.scalars(statement).all()
    return pilots


def people_to_check(session: Session, now: datetime, limit: int) -> list[tuple[str, str]]:
    """(team id, user id) of the owners and sponsors of the pilots pilots_to_check would take
    next, read without locking anything, so what Slack knows about them can be asked before
    any lock is held."""
    rows = session.execute(
        select(Pilot.team_id, Pilot.owner_id, Pilot.sponsor_id)
        .where(Pilot.next_check_at <= now)
        .order_by(Pilot.next_check_at, Pilot.id)
        .limit(limit)
    ).all()
    return sorted({(team_id, who) for team_id, *people in rows for who in people if who})


def pilot(session: Session, pilot_id: int) -> Pilot | None:
    """The pilot an outbox row is about, with everything the rules read."""
    found: Pilot | None = session.scalars(
        _with_children(select(Pilot).where(Pilot.id == pilot_id))
    ).first()
    return found


def _with_children(statement: Select[Any]) -> Select[Any]:
    return statement.options(
        selectinload(Pilot.measurements), selectinload(Pilot.raci), selectinload(Pilot.decisions)
    )


def set_next_check(
    session: Session, pilot_id: int, when: datetime | None, read: datetime | None
) -> None:
    """Moves the pilot's next look to `when`, unless a change set it since it was `read`
    (on SQLite nothing locks the row while a tick works): that change wins, and the pilot is
    looked at again on the next tick."""
    # A plain UPDATE: the scheduler's bookkeeping is not a change anyone made to the pilot,
    # so it stays out of the audit log.
    session.execute(
        update(Pilot)
        .where(Pilot.id == pilot_id, Pilot.next_check_at == read)
        .values(next_check_at=when)
        # The pilots just read sit in this session; matching the UPDATE against each of
        # them (the default) made a tick quadratic in the pilots it planned.
        .execution_options(synchronize_session=False)
    )


def snoozes_of(session: Session, pilot_ids: Sequence[int]) -> dict[tuple[int, str], datetime]:
    """Every snooze on these pilots, in one query: (pilot id, user id) -> until."""
    rows = session.execute(
        select(Snooze.pilot_id, Snooze.user_id, Snooze.until).where(
            Snooze.pilot_id.in_(list(pilot_ids))
        )
    ).all()
    return {(pilot_id, user_id): until for pilot_id, user_id, until in rows}


def snoozed_until(session: Session, pilot_id: int, user_id: str) -> datetime | None:
    """When one person's snooze on a pilot ends, if they snoozed it."""
    return session.scalar(
        select(Snooze.until).where(Snooze.pilot_id == pilot_id, Snooze.user_id == user_id)
    )


def snooze(session: Session, pilot_id: int, user_id: str, until: datetime) -> None:
    existing = session.get(Snooze, (pilot_id, user_id))
    if existing is None:
        session.add(Snooze(pilot_id=pilot_id, user_id=user_id, until=until))
    else:
        existing.until = until


def active_subscriptions(session: Session) -> Sequence[DigestSubscription]:
    return session.scalars(
        select(DigestSubscription)
        .where(DigestSubscription.paused_reason.is_(None))
        .order_by(DigestSubscription.id)
    ).all()


def subscription(session: Session, team_id: str, channel_id: str) -> DigestSubscription | None:
    """A workspace's subscription for one channel (there is at most one)."""
    return session.scalars(
        select(DigestSubscription).where(
            DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id
        )
    ).one_or_none()


def pause_subscription(session: Session, team_id: str, channel_id: str, reason: str) -> None:
    found = subscription(session, team_id, channel_id)
    if found is not None:
        found.paused_reason = reason[:64]


def subscriber(session: Session, team_id: str, channel_id: str) -> str | None:
    found = subscription(session, team_id, channel_id)
    return found.subscribed_by if found is not None else None
