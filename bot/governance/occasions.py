"""Repeating occasions on a person's wall clock, and the rule that thins out repeats.

An occasion is a fixed instant (a cadence period after the last reading, a day after
registration, ...). A rule reports only its latest occasion at or before `now` and the next
one after it, so a late tick sends no backlog and the scheduler knows when to look again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.cadence import require_aware

# Reminders 1, 2 and 3 come every period; from the third on only every other period.
EVERY_PERIOD_UNTIL = 3


@dataclass(frozen=True)
class Occasions:
    """The latest occasion of a repeating rule at or before now, and the one after it."""

    latest: datetime | None
    following: datetime


def local_add(moment: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """`moment` plus `delta` counted on the wall clock in `tz`."""
    return (require_aware(moment).astimezone(tz) + delta).astimezone(UTC)


def is_sent(index: int) -> bool:
    """Whether the occasion with this 0-based index in an unanswered run is sent: the first
    three each period, then every other period (the 5th, 7th, ... occasion are skipped)."""
    return index < EVERY_PERIOD_UNTIL or (index - (EVERY_PERIOD_UNTIL - 1)) % 2 == 0


def repeating(
    start: datetime,
    *,
    first: int,
    step_days: int,
    now: datetime,
    tz: ZoneInfo,
    thinned: bool = True,
) -> Occasions:
    """Occasions at start + k * step_days wall-clock days for k = first, first + 1, ...;
    `thinned` applies `is_sent` to the index k - first.

    O(1) whatever the gap since `start`: whole steps are estimated from elapsed time, then
    corrected by the hour or two a clock change can shift a wall-clock day.
    """
    step = timedelta(days=step_days)

    def at(k: int) -> datetime:
        return local_add(start, step * k, tz)

    k = max(first, (now - start) // step)
    while k > first and at(k) > now:
        k -= 1
    while at(k + 1) <= now:
        k += 1
    if at(k) > now:
        return Occasions(None, at(k))
    following = k + 1
    if thinned:
        while not is_sent(k - first):
            k -= 1
        while not is_sent(following - first):
            following += 1
    return Occasions(at(k), at(following))


def steps_passed(start: datetime, *, step_days: int, now: datetime, tz: ZoneInfo) -> int:
    """How many of the occasions start + k * step_days wall-clock days (k ≥ 1) are at or
    before `now`."""
    if now < local_add(start, timedelta(days=step_days), tz):
        return 0
    latest = repeating(start, first=1, step_days=step_days, now=now, tz=tz, thinned=False).latest
    if latest is None:
        return 0
    days = (latest.astimezone(tz).date() - start.astimezone(tz).date()).days
    return days // step_days
