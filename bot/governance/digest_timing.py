"""When a channel's digest is due: its time of day, every day or on one weekday, in the zone
of the person who subscribed it.

A digest is keyed by its scheduled local day (`daily:2026-11-16`, `weekly:2026-11-16`), so a
tick that runs late, twice, or on two replicas still names the same digest.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.cadence import require_aware
from bot.governance.digest_schedule import DigestSchedule
from bot.governance.digest_schedule import Frequency
from bot.governance.working_hours import local_instant

# A weekly schedule is found within eight days either way; one more covers a clock change.
_SEARCH_DAYS = 9
_DEFAULT_WEEKDAY = 0  # Monday, as parse_schedule defaults a weekly digest


def scheduled_on(schedule: DigestSchedule, day: date) -> bool:
    """Whether the schedule has a digest on this local day."""
    if schedule.frequency is Frequency.DAILY:
        return True
    weekday = _DEFAULT_WEEKDAY if schedule.weekday is None else schedule.weekday
    return day.weekday() == weekday


def digest_period(schedule: DigestSchedule, day: date) -> str:
    return f"{schedule.frequency.value}:{day.isoformat()}"


def latest_digest(
    schedule: DigestSchedule, tz: ZoneInfo, subscribed_at: datetime, now: datetime
) -> tuple[str, datetime] | None:
    """The period key and instant of the latest scheduled digest at or before `now`.

    None when that digest was scheduled before the subscription was made: a channel
    subscribed at 10:00 to a 09:00 daily digest gets its first one tomorrow at 09:00.
    """
    require_aware(subscribed_at)
    day = local_date(now, tz)
    for _ in range(_SEARCH_DAYS):
        if scheduled_on(schedule, day):
            moment = local_instant(day, schedule.at, tz)
            if moment <= now:
                if moment < subscribed_at:
                    return None
                return digest_period(schedule, day), moment
        day -= timedelta(days=1)
    return None  # pragma: no cover - every schedule has a day within a week


def next_digest(schedule: DigestSchedule, tz: ZoneInfo, now: datetime) -> datetime:
    """The first scheduled digest strictly after `now`."""
    day = local_date(now, tz)
    for _ in range(_SEARCH_DAYS):
        if scheduled_on(schedule, day):
            moment = local_instant(day, schedule.at, tz)
            if moment > now:
                return moment
        day += timedelta(days=1)
    raise AssertionError("unreachable: every schedule has a day within a week")  # pragma: no cover
