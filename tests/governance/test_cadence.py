"""Cadence periods on the owner's wall clock, and dates that pass at the owner's midnight.

"Now" is passed in, as the scheduler does, so no clock is frozen here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.governance.cadence import add_periods
from bot.governance.cadence import days_until
from bot.governance.cadence import has_passed
from bot.governance.cadence import is_current
from bot.governance.cadence import local_date
from bot.governance.cadence import next_reading_due
from bot.governance.cadence import require_aware
from bot.governance.cadence import stalled_at
from bot.governance.vocabulary import Cadence

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
KOLKATA = ZoneInfo("Asia/Kolkata")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
UTC_ZONE = ZoneInfo("UTC")
SECOND = timedelta(seconds=1)

# Mondays 10:00 local, the week before a clock change.
BERLIN_BEFORE_FALL_BACK = datetime(2026, 10, 19, 10, 0, tzinfo=BERLIN)  # ends 2026-10-25
NEW_YORK_BEFORE_SPRING_FORWARD = datetime(2026, 3, 2, 10, 0, tzinfo=NEW_YORK)  # starts 2026-03-08
NAIVE = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).replace(tzinfo=None)


def wall_clock(moment: datetime, tz: ZoneInfo) -> tuple[date, int, int]:
    local = moment.astimezone(tz)
    return local.date(), local.hour, local.minute


@pytest.mark.parametrize(
    ("start", "tz", "hours"),
    [
        (BERLIN_BEFORE_FALL_BACK, BERLIN, 169),
        (NEW_YORK_BEFORE_SPRING_FORWARD, NEW_YORK, 167),
        (datetime(2026, 6, 1, 10, 0, tzinfo=BERLIN), BERLIN, 168),
    ],
)
def test_a_week_is_seven_days_on_the_wall_clock(start: datetime, tz: ZoneInfo, hours: int) -> None:
    due = add_periods(start.astimezone(UTC), Cadence.WEEKLY, 1, tz)
    assert due - start == timedelta(hours=hours)
    assert wall_clock(due, tz) == (start.date() + timedelta(days=7), 10, 0)
    assert due.tzinfo == UTC


@pytest.mark.parametrize(
    ("cadence", "days"), [(Cadence.WEEKLY, 7), (Cadence.BIWEEKLY, 14), (Cadence.MONTHLY, 30)]
)
@pytest.mark.parametrize(
    ("start", "tz"),
    [
        (BERLIN_BEFORE_FALL_BACK, BERLIN),
        (NEW_YORK_BEFORE_SPRING_FORWARD, NEW_YORK),
        (datetime(2026, 1, 31, 23, 30, tzinfo=AUCKLAND), AUCKLAND),
    ],
)
def test_a_period_is_whole_calendar_days(
    cadence: Cadence, days: int, start: datetime, tz: ZoneInfo
) -> None:
    due = next_reading_due(start, cadence, tz)
    expected_date = start.date() + timedelta(days=days)
    assert wall_clock(due, tz) == (expected_date, start.hour, start.minute)


def test_the_same_instant_in_any_zone_gives_the_same_due_time() -> None:
    in_utc = BERLIN_BEFORE_FALL_BACK.astimezone(UTC)
    in_kolkata = BERLIN_BEFORE_FALL_BACK.astimezone(KOLKATA)
    assert add_periods(in_utc, Cadence.WEEKLY, 1, BERLIN) == add_periods(
        in_kolkata, Cadence.WEEKLY, 1, BERLIN
    )


@pytest.mark.parametrize("cadence", list(Cadence))
@pytest.mark.parametrize(
    ("start", "tz"),
    [
        (BERLIN_BEFORE_FALL_BACK, BERLIN),
        (NEW_YORK_BEFORE_SPRING_FORWARD, NEW_YORK),
        (datetime(2026, 12, 31, 23, 59, tzinfo=LOS_ANGELES), LOS_ANGELES),
    ],
)
def test_a_reading_is_current_until_one_period_has_passed(
    cadence: Cadence, start: datetime, tz: ZoneInfo
) -> None:
    end = add_periods(start, cadence, 1, tz)
    assert is_current(start, start, cadence, tz)
    assert is_current(start, end - SECOND, cadence, tz)
    assert not is_current(start, end, cadence, tz)
    assert not is_current(start, end + SECOND, cadence, tz)


def test_in_berlin_the_week_of_fall_back_gives_an_extra_hour() -> None:
    after_168_hours = BERLIN_BEFORE_FALL_BACK.astimezone(UTC) + timedelta(hours=168)
    assert is_current(BERLIN_BEFORE_FALL_BACK, after_168_hours, Cadence.WEEKLY, BERLIN)


def test_in_new_york_the_week_of_spring_forward_is_an_hour_short() -> None:
    after_167_hours = NEW_YORK_BEFORE_SPRING_FORWARD.astimezone(UTC) + timedelta(hours=167)
    assert not is_current(NEW_YORK_BEFORE_SPRING_FORWARD, after_167_hours, Cadence.WEEKLY, NEW_YORK)


@pytest.mark.parametrize(
    ("cadence", "start", "tz", "stalls_on"),
    [
        (Cadence.WEEKLY, BERLIN_BEFORE_FALL_BACK, BERLIN, date(2026, 11, 2)),
        (Cadence.BIWEEKLY, BERLIN_BEFORE_FALL_BACK, BERLIN, date(2026, 11, 16)),
        (Cadence.MONTHLY, NEW_YORK_BEFORE_SPRING_FORWARD, NEW_YORK, date(2026, 5, 1)),
    ],
)
def test_a_pilot_stalls_two_periods_after_its_last_activity(
    cadence: Cadence, start: datetime, tz: ZoneInfo, stalls_on: date
) -> None:
    moment = stalled_at(start, cadence, tz)
    assert moment == add_periods(start, cadence, 2, tz)
    assert moment == next_reading_due(next_reading_due(start, cadence, tz), cadence, tz)
    assert wall_clock(moment, tz) == (stalls_on, 10, 0)


def test_a_reading_at_a_time_that_will_not_exist_lands_on_a_real_instant() -> None:
    # 02:30 on 2026-03-01 exists in New York; 02:30 a week later falls in the spring-forward gap.
    reading = datetime(2026, 3, 1, 2, 30, tzinfo=NEW_YORK)
    due = next_reading_due(reading.astimezone(UTC), Cadence.WEEKLY, NEW_YORK)
    assert due.tzinfo == UTC
    assert due.utcoffset() == timedelta(0)
    # Somewhere between 01:30 EST and 03:30 EDT, i.e. 06:30Z to 07:30Z on the 8th.
    assert datetime(2026, 3, 8, 6, 30, tzinfo=UTC) <= due <= datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert due.astimezone(NEW_YORK).astimezone(UTC) == due
    assert is_current(reading, due - SECOND, Cadence.WEEKLY, NEW_YORK)
    assert not is_current(reading, due, Cadence.WEEKLY, NEW_YORK)


def day_end(tz: ZoneInfo, day: date, next_day: date, name: str) -> Any:
    """The last second of `day` on `tz`'s wall clock, and the day that follows it."""
    return pytest.param(tz, datetime.combine(day, time(23, 59, 59), tzinfo=tz), next_day, id=name)


# The last second of a day and the first of the next, on the local wall clock.
MIDNIGHTS = [
    day_end(AUCKLAND, date(2026, 1, 31), date(2026, 2, 1), "auckland-jan"),
    day_end(KOLKATA, date(2026, 2, 28), date(2026, 3, 1), "kolkata-feb"),
    day_end(LOS_ANGELES, date(2026, 12, 31), date(2027, 1, 1), "los-angeles-dec"),
    day_end(UTC_ZONE, date(2026, 12, 31), date(2027, 1, 1), "utc-dec"),
    day_end(LOS_ANGELES, date(2026, 11, 15), date(2026, 11, 16), "los-angeles-sun"),
    day_end(KOLKATA, date(2026, 11, 15), date(2026, 11, 16), "kolkata-sun"),
]


@pytest.mark.parametrize(("tz", "last_second", "next_day"), MIDNIGHTS)
def test_local_date_turns_over_at_local_midnight(
    tz: ZoneInfo, last_second: datetime, next_day: date
) -> None:
    before = last_second.astimezone(UTC)
    after = before + SECOND
    assert local_date(before, tz) == last_second.date()
    assert local_date(after, tz) == next_day
    assert next_day - last_second.date() == timedelta(days=1)


@pytest.mark.parametrize(("tz", "last_second", "next_day"), MIDNIGHTS)
def test_a_date_passes_once_its_whole_day_is_over_locally(
    tz: ZoneInfo, last_second: datetime, next_day: date
) -> None:
    day = last_second.date()
    before = last_second.astimezone(UTC)
    after = before + SECOND
    assert days_until(day, before, tz) == 0
    assert not has_passed(day, before, tz)
    assert days_until(next_day, before, tz) == 1
    assert days_until(day, after, tz) == -1
    assert has_passed(day, after, tz)
    assert days_until(next_day, after, tz) == 0
    assert not has_passed(next_day, after, tz)


def test_sunday_night_to_monday_morning_is_a_new_week() -> None:
    sunday_night = datetime(2026, 11, 15, 23, 59, tzinfo=LOS_ANGELES)
    monday = sunday_night + timedelta(minutes=1)
    assert local_date(sunday_night, LOS_ANGELES).weekday() == 6
    assert local_date(monday, LOS_ANGELES).weekday() == 0


@pytest.mark.parametrize(
    ("tz", "passed"),
    [(AUCKLAND, True), (KOLKATA, False), (UTC_ZONE, False), (LOS_ANGELES, False)],
)
def test_the_same_instant_passes_a_date_in_one_zone_only(tz: ZoneInfo, passed: bool) -> None:
    # 12:00Z on 28 Feb is 01:00 on 1 Mar in Auckland, 17:30 in Kolkata, 04:00 in Los Angeles.
    now = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert has_passed(date(2026, 2, 28), now, tz) is passed


def test_require_aware_returns_an_aware_datetime_unchanged() -> None:
    moment = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    assert require_aware(moment) is moment


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: require_aware(NAIVE), id="require_aware"),
        pytest.param(lambda: add_periods(NAIVE, Cadence.WEEKLY, 1, BERLIN), id="add_periods"),
        pytest.param(
            lambda: is_current(NAIVE, datetime.now(UTC), Cadence.WEEKLY, BERLIN),
            id="is_current-reading",
        ),
        pytest.param(
            lambda: is_current(BERLIN_BEFORE_FALL_BACK, NAIVE, Cadence.WEEKLY, BERLIN),
            id="is_current-now",
        ),
        pytest.param(lambda: next_reading_due(NAIVE, Cadence.WEEKLY, BERLIN), id="next_due"),
        pytest.param(lambda: stalled_at(NAIVE, Cadence.MONTHLY, BERLIN), id="stalled_at"),
        pytest.param(lambda: local_date(NAIVE, BERLIN), id="local_date"),
        pytest.param(lambda: days_until(date(2026, 3, 2), NAIVE, BERLIN), id="days_until"),
        pytest.param(lambda: has_passed(date(2026, 3, 2), NAIVE, BERLIN), id="has_passed"),
    ],
)
def test_a_naive_datetime_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        call()
