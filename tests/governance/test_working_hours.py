"""Working hours on the recipient's wall clock: Monday to Friday, 09:00 up to 18:00.

Moments are written as the recipient's local wall clock (or with an explicit offset) and
compared as instants.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.governance.working_hours import WORKDAY_END
from bot.governance.working_hours import WORKDAY_START
from bot.governance.working_hours import is_working_moment
from bot.governance.working_hours import local_instant
from bot.governance.working_hours import local_midnight
from bot.governance.working_hours import next_working_moment
from tests.governance.tables import named_rows

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
AUCKLAND = "Pacific/Auckland"
UTC_NAME = "UTC"


def at(zone: str, text: str) -> datetime:
    """A wall-clock time in `zone` (or a time with its own offset) as an aware UTC instant."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


WORKING_HOURS = [
    # (why, zone, moment, next working moment, both on the zone's wall clock)
    ("Friday 17:59 is still working time", BERLIN, "2026-11-20 17:59", "2026-11-20 17:59"),
    ("Friday 17:59:59 is still working time", BERLIN, "2026-11-20 17:59:59", "2026-11-20 17:59:59"),
    ("Friday 18:00 waits for Monday", BERLIN, "2026-11-20 18:00", "2026-11-23 09:00"),
    ("Saturday waits for Monday", BERLIN, "2026-11-21 12:00", "2026-11-23 09:00"),
    ("Saturday before nine waits for Monday", BERLIN, "2026-11-21 06:00", "2026-11-23 09:00"),
    ("Sunday night waits for Monday 09:00", BERLIN, "2026-11-22 23:59", "2026-11-23 09:00"),
    ("Monday 08:59:59 waits a second", BERLIN, "2026-11-23 08:59:59", "2026-11-23 09:00"),
    ("Monday 09:00 is working time", BERLIN, "2026-11-23 09:00", "2026-11-23 09:00"),
    ("Wednesday evening waits for Thursday", BERLIN, "2026-11-18 21:15", "2026-11-19 09:00"),
    ("just after midnight waits for 09:00", BERLIN, "2026-11-19 00:01", "2026-11-19 09:00"),
    # Clock changes: the start of the day is 09:00 on the new wall clock.
    ("Berlin Friday evening before spring forward", BERLIN, "2026-03-27 18:00", "2026-03-30 09:00"),
    ("Berlin on the spring-forward Sunday", BERLIN, "2026-03-29 02:30", "2026-03-30 09:00"),
    ("Berlin Friday evening before fall back", BERLIN, "2026-10-23 20:00", "2026-10-26 09:00"),
    ("Berlin on the fall-back Sunday", BERLIN, "2026-10-25 02:30", "2026-10-26 09:00"),
    ("New York weekend of spring forward", NEW_YORK, "2026-03-07 10:00", "2026-03-09 09:00"),
    ("New York fall-back night", NEW_YORK, "2026-11-01 01:30", "2026-11-02 09:00"),
    # Month ends, in zones far from UTC.
    ("UTC New Year's Eve evening", UTC_NAME, "2026-12-31 18:00", "2027-01-01 09:00"),
    ("Saturday 31 January waits for 2 February", KOLKATA, "2026-01-31 10:00", "2026-02-02 09:00"),
    ("Saturday 28 February waits for 2 March", AUCKLAND, "2026-02-28 10:00", "2026-03-02 09:00"),
    # Another zone's weekday is no working day here, and the reverse.
    (
        "Sunday 20:00 UTC is Monday 09:00 in Auckland",
        AUCKLAND,
        "2026-11-22T20:00:00+00:00",
        "2026-11-23 09:00",
    ),
    (
        "Friday 12:29 UTC is 17:59 in Kolkata",
        KOLKATA,
        "2026-11-20T12:29:00+00:00",
        "2026-11-20 17:59",
    ),
    (
        "Friday 12:30 UTC is 18:00 in Kolkata",
        KOLKATA,
        "2026-11-20T12:30:00+00:00",
        "2026-11-23 09:00",
    ),
    (
        "Friday 22:00 UTC is still Friday 17:00 in New York",
        NEW_YORK,
        "2026-11-20T22:00:00+00:00",
        "2026-11-20 17:00",
    ),
]


@pytest.mark.parametrize(("zone", "moment", "expected"), named_rows(WORKING_HOURS))
def test_next_working_moment(zone: str, moment: str, expected: str) -> None:
    result = next_working_moment(at(zone, moment), ZoneInfo(zone))
    assert result == at(zone, expected)
    assert result.tzinfo is UTC
    assert is_working_moment(result, ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "monday", "utc_hour"),
    [
        (BERLIN, date(2026, 3, 23), 8),  # CET, the week before the change
        (BERLIN, date(2026, 3, 30), 7),  # CEST, the Monday after
        (BERLIN, date(2026, 10, 26), 8),  # CET again
        (NEW_YORK, date(2026, 3, 2), 14),  # EST
        (NEW_YORK, date(2026, 3, 9), 13),  # EDT
        (NEW_YORK, date(2026, 11, 2), 14),  # EST again
    ],
)
def test_the_working_day_starts_at_nine_local_on_either_side_of_a_clock_change(
    zone: str, monday: date, utc_hour: int
) -> None:
    saturday = datetime.combine(monday - timedelta(days=2), time(12), tzinfo=UTC)
    assert next_working_moment(saturday, ZoneInfo(zone)) == datetime.combine(
        monday, time(utc_hour), tzinfo=UTC
    )


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, KOLKATA, AUCKLAND, UTC_NAME])
@pytest.mark.parametrize("start", [date(2026, 3, 4), date(2026, 10, 21)])
def test_the_next_working_moment_is_the_first_one(zone: str, start: date) -> None:
    """Every quarter hour across a fortnight with a clock change in most of these zones:
    the answer is never earlier than asked, always working time, and no working time lies
    between the two."""
    tz = ZoneInfo(zone)
    step = timedelta(minutes=15)
    moment = datetime.combine(start, time(0), tzinfo=UTC)
    for _ in range(14 * 24 * 4):
        result = next_working_moment(moment, tz)
        assert result >= moment
        assert is_working_moment(result, tz)
        probe = moment
        while probe < result:
            assert not is_working_moment(probe, tz), probe
            probe += step
        moment += step


def test_a_working_moment_comes_back_as_the_same_instant_in_utc() -> None:
    berlin = ZoneInfo(BERLIN)
    moment = datetime(2026, 11, 20, 11, 15, tzinfo=berlin)
    result = next_working_moment(moment, berlin)
    assert (result, result.tzinfo) == (moment, UTC)


def test_working_hours_are_nine_to_six() -> None:
    assert (time(9), time(18)) == (WORKDAY_START, WORKDAY_END)


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc"),
    [
        # Skipped by spring forward: resolves past the gap instead of raising.
        (BERLIN, date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        # Repeated by fall back: the first occurrence.
        (BERLIN, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (KOLKATA, date(2026, 6, 1), time(9), datetime(2026, 6, 1, 3, 30, tzinfo=UTC)),
    ],
)
def test_local_instant_never_raises_on_a_clock_change(
    zone: str, day: date, wall: time, expected_utc: datetime
) -> None:
    assert local_instant(day, wall, ZoneInfo(zone)) == expected_utc


def test_local_midnight_on_days_of_23_and_25_hours() -> None:
    berlin, new_york = ZoneInfo(BERLIN), ZoneInfo(NEW_YORK)
    spring = local_midnight(date(2026, 3, 30), berlin) - local_midnight(date(2026, 3, 29), berlin)
    autumn = local_midnight(date(2026, 11, 2), new_york) - local_midnight(
        date(2026, 11, 1), new_york
    )
    assert (spring, autumn) == (timedelta(hours=23), timedelta(hours=25))


def test_a_naive_moment_is_refused() -> None:
    naive = datetime(2026, 11, 20, 12, 0, tzinfo=UTC).replace(tzinfo=None)
    with pytest.raises(ValueError, match="no time zone"):
        next_working_moment(naive, ZoneInfo(BERLIN))
