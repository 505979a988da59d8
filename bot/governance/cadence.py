"""Cadence arithmetic in a person's time zone.

A period is a number of calendar days on the wall clock where the person lives: a reading
taken Monday 10:00 in Berlin is current until the next Monday 10:00 in Berlin, whether that
week had 167, 168 or 169 hours.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.vocabulary import Cadence


def require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; pass an aware datetime")
    return moment


def add_periods(start: datetime, cadence: Cadence, periods: int, tz: ZoneInfo) -> datetime:
    """The instant `periods` cadence periods after `start`, counted on `tz`'s wall clock."""
    local = require_aware(start).astimezone(tz)
    return (local + timedelta(days=cadence.days * periods)).astimezone(UTC)


def is_current(reading_at: datetime, now: datetime, cadence: Cadence, tz: ZoneInfo) -> bool:
    """A reading is current while it is less than one cadence period old."""
    return require_aware(now) < add_periods(reading_at, cadence, 1, tz)


def next_reading_due(last_activity: datetime, cadence: Cadence, tz: ZoneInfo) -> datetime:
    return add_periods(last_activity, cadence, 1, tz)


def stalled_at(last_activity: datetime, cadence: Cadence, tz: ZoneInfo) -> datetime:
    """When a pilot with no newer reading or decision becomes Stalled: two periods on."""
    return add_periods(last_activity, cadence, 2, tz)


def local_date(now: datetime, tz: ZoneInfo) -> date:
    return require_aware(now).astimezone(tz).date()


def days_until(day: date, now: datetime, tz: ZoneInfo) -> int:
    """Whole calendar days from today (in `tz`) to `day`; negative once it has passed."""
    return (day - local_date(now, tz)).days


def has_passed(day: date, now: datetime, tz: ZoneInfo) -> bool:
    """A date has passed once that whole day is over where the person is."""
    return days_until(day, now, tz) < 0
