"""When a DM is polite to send: a person's working hours, on their own wall clock.

Also the one place a wall-clock time on a given day becomes an instant, so that nudges,
working hours and digests agree on what "09:00 on 29 March in Berlin" means, even on a day
the clocks change.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.cadence import require_aware

WORKDAY_START = time(9, 0)
WORKDAY_END = time(18, 0)  # exclusive: 17:59:59 is working time, 18:00 is not
# Monday = 0 ... Friday = 4, as date.weekday() counts.
WORKDAYS = frozenset(range(5))


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the wall clock in `tz` shows `at` on `day`.

    Never raises on a clock change: a time skipped when clocks spring forward (02:30 in
    Berlin on 29 March 2026) resolves to the real instant just as far past the gap (03:30
    CEST); a time that occurs twice when clocks fall back resolves to its first occurrence.
    """
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of `day` where the person lives."""
    return local_instant(day, time(0, 0), tz)


def is_working_moment(moment: datetime, tz: ZoneInfo) -> bool:
    local = require_aware(moment).astimezone(tz)
    return local.weekday() in WORKDAYS and WORKDAY_START <= local.time() < WORKDAY_END


def next_working_moment(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment` itself (in UTC) when it falls in working hours in `tz`, else the next start.

    Working hours are Monday to Friday, 09:00 up to (not including) 18:00 local time.
    """
    if is_working_moment(moment, tz):
        return moment.astimezone(UTC)
    local = moment.astimezone(tz)
    day = local.date()
    if local.time() >= WORKDAY_START:
        # Today's working hours are over (or it is a weekend day): start looking tomorrow.
        day += timedelta(days=1)
    while day.weekday() not in WORKDAYS:
        day += timedelta(days=1)
    return local_instant(day, WORKDAY_START, tz)
