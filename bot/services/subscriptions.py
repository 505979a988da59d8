"""Subscribing a channel to the sponsor digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from bot.errors import InvalidInput
from bot.governance.digest_schedule import DigestSchedule
from bot.governance.digest_schedule import Frequency
from bot.services.actors import Actor
from storage import pilots as pilot_store
from storage import schedule as schedule_store
from storage.models import DigestSubscription
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Subscription:
    channel_id: str
    schedule: DigestSchedule
    timezone: str


def subscribe_digest(
    uow: UnitOfWork,
    actor: Actor,
    channel_id: str,
    schedule: DigestSchedule,
    timezone: str,
    now: datetime,
) -> Subscription:
    """Anyone may subscribe a channel; re-subscribing the same channel changes its schedule.

    The time is read in `timezone`, the subscriber's own.
    """
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{timezone[:64]!r} is not a time zone name like Europe/Berlin."
        ) from None
    session = uow.session
    pilot_store.ensure_workspace(session, actor.team_id, now)
    existing = schedule_store.subscription(session, actor.team_id, channel_id)
    subscription = existing or DigestSubscription(team_id=actor.team_id, channel_id=channel_id)
    subscription.frequency = schedule.frequency.value
    subscription.weekday = schedule.weekday
    subscription.time_of_day = schedule.at.strftime("%H:%M")
    subscription.timezone = timezone
    subscription.subscribed_by = actor.user_id
    subscription.subscribed_at = now
    subscription.paused_reason = None
    session.add(subscription)
    uow.commit()
    return Subscription(channel_id, schedule, timezone)


def schedule_of(subscription: DigestSubscription) -> DigestSchedule:
    """The schedule a stored subscription was made with."""
    hours, minutes = (int(part) for part in subscription.time_of_day.split(":"))
    return DigestSchedule(
        Frequency(subscription.frequency), time(hours, minutes), subscription.weekday
    )
