"""Round dates for a time axis: few enough to read on a phone, on days people count by."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import date
from datetime import timedelta

from bot.governance.formatting import MONTHS


def day_month(day: date) -> str:
    """'12 Jan': a date a person reads at a glance, whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def tick_label(day: date) -> str:
    """'12 Jan', and on New Year's Day the year alone, which a long span needs somewhere."""
    return str(day.year) if (day.month, day.day) == (1, 1) else day_month(day)


def round_dates(first: date, last: date, most: int = 4) -> list[date]:
    """The round dates from `first` to `last` (both included) at the finest step that gives
    at most `most` of them: every day or two, Mondays, the 1st and 15th, every month,
    quarter, year, decade…
    """
    if most < 1:
        raise ValueError("at least one tick is needed")
    for step in _STEPS:
        ticks = []
        for day in step(first, last):
            ticks.append(day)
            if len(ticks) > most:
                break
        else:
            # A step with no date in a short span (no Monday in five days) is passed over.
            if ticks:
                return ticks
    return [first]  # more than a thousand years per tick: no pilot runs that long


def _every_days(count: int, align_to_monday: bool) -> Callable[[date, date], Iterator[date]]:
    def days(first: date, last: date) -> Iterator[date]:
        ordinal = first.toordinal()
        # date.toordinal() of a Monday is 1 mod 7; other steps count from day 1 of the calendar.
        anchor = 1 if align_to_monday else 0
        day = date.fromordinal(ordinal + (anchor - ordinal) % count)
        while day <= last:
            yield day
            day += timedelta(days=count)

    return days


def _every_months(count: int) -> Callable[[date, date], Iterator[date]]:
    def months(first: date, last: date) -> Iterator[date]:
        index = first.year * 12 + first.month - 1
        if first.day > 1:
            index += 1
        index += -index % count
        while (day := date(index // 12, index % 12 + 1, 1)) <= last:
            yield day
            index += count

    return months


def _twice_a_month(first: date, last: date) -> Iterator[date]:
    """The 1st and the 15th: between fortnights of Mondays and whole months."""
    month = date(first.year, first.month, 1)
    while month <= last:
        for day in (month, month.replace(day=15)):
            if first <= day <= last:
                yield day
        month = (month + timedelta(days=32)).replace(day=1)


_STEPS = [
    _every_days(1, align_to_monday=False),
    _every_days(2, align_to_monday=False),
    _every_days(7, align_to_monday=True),
    _every_days(14, align_to_monday=True),
    _twice_a_month,
    *(
        _every_months(count)
        for count in (1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200, 6000, 12000)
    ),
]
