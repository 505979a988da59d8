"""Channel digests at their day and time in the subscriber's zone.

"Now" is frozen with freezegun, as a tick reads it; instants are written on the subscriber's
wall clock (or with an explicit offset).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.digest_schedule import DAY_NAMES
from bot.governance.digest_schedule import DigestSchedule
from bot.governance.digest_schedule import Frequency
from bot.governance.digest_timing import latest_digest
from bot.governance.digest_timing import next_digest

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
AUCKLAND = "Pacific/Auckland"
UTC_NAME = "UTC"
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def at(zone: str, text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def _at(hh_mm: str) -> time:
    hours, minutes = hh_mm.split(":")
    return time(int(hours), int(minutes))


def daily(hh_mm: str) -> DigestSchedule:
    return DigestSchedule(Frequency.DAILY, _at(hh_mm))


def weekly(day: str, hh_mm: str) -> DigestSchedule:
    weekday = next(i for i, name in enumerate(DAY_NAMES) if name.startswith(day.lower()))
    return DigestSchedule(Frequency.WEEKLY, _at(hh_mm), weekday)


@dataclass(frozen=True)
class Tick:
    name: str
    schedule: DigestSchedule
    zone: str
    now: str
    latest: tuple[str, str] | None  # (period, instant on the wall clock)
    next: str
    subscribed: str | None = None  # wall clock; None = long ago


TICKS = [
    Tick("daily at its hour", daily("09:00"), BERLIN, "2026-11-16 09:00",
         ("daily:2026-11-16", "2026-11-16 09:00"), "2026-11-17 09:00"),
    Tick("daily one second before its hour: yesterday's", daily("09:00"), BERLIN,
         "2026-11-16 08:59:59", ("daily:2026-11-15", "2026-11-15 09:00"), "2026-11-16 09:00"),
    Tick("subscribed after today's hour: no digest today", daily("09:00"), BERLIN,
         "2026-11-16 10:30", None, "2026-11-17 09:00", subscribed="2026-11-16 10:00"),
    Tick("subscribed after today's hour: tomorrow's comes", daily("09:00"), BERLIN,
         "2026-11-17 09:00", ("daily:2026-11-17", "2026-11-17 09:00"), "2026-11-18 09:00",
         subscribed="2026-11-16 10:00"),
    Tick("subscribed before today's hour: today's comes", daily("09:00"), BERLIN,
         "2026-11-16 09:00", ("daily:2026-11-16", "2026-11-16 09:00"), "2026-11-17 09:00",
         subscribed="2026-11-16 08:00"),
    Tick("subscribed at the very moment: it counts", daily("09:00"), BERLIN,
         "2026-11-16 09:05", ("daily:2026-11-16", "2026-11-16 09:00"), "2026-11-17 09:00",
         subscribed="2026-11-16 09:00"),
    Tick("weekly Monday digest on Sunday: last Monday's", weekly("mon", "09:00"), NEW_YORK,
         "2026-11-22 23:00", ("weekly:2026-11-16", "2026-11-16 09:00"), "2026-11-23 09:00"),
    Tick("weekly on its day and hour", weekly("mon", "09:00"), NEW_YORK, "2026-11-23 09:00",
         ("weekly:2026-11-23", "2026-11-23 09:00"), "2026-11-30 09:00"),
    Tick("weekly subscribed after this week's: none yet", weekly("mon", "09:00"), NEW_YORK,
         "2026-11-23 12:00", None, "2026-11-30 09:00", subscribed="2026-11-23 11:00"),
    Tick("weekly Friday digest, 16:30", weekly("fri", "16:30"), KOLKATA, "2026-11-20 16:30",
         ("weekly:2026-11-20", "2026-11-20 16:30"), "2026-11-27 16:30"),
    # The subscriber's zone decides, not UTC's date.
    Tick("Kolkata 09:00 is 03:30 UTC", daily("09:00"), KOLKATA, "2026-11-16T03:30:00+00:00",
         ("daily:2026-11-16", "2026-11-16 09:00"), "2026-11-17 09:00"),
    Tick("Kolkata 03:29 UTC is before 09:00 there", daily("09:00"), KOLKATA,
         "2026-11-16T03:29:00+00:00", ("daily:2026-11-15", "2026-11-15 09:00"),
         "2026-11-16 09:00"),
    Tick("Auckland's Monday 08:00 is Sunday in UTC", weekly("mon", "08:00"), AUCKLAND,
         "2026-11-22T19:00:00+00:00", ("weekly:2026-11-23", "2026-11-23 08:00"),
         "2026-11-30 08:00"),
    # Clock changes: the hour stays on the wall clock.
    Tick("Berlin 09:00 the day after spring forward", daily("09:00"), BERLIN,
         "2026-03-30T07:00:00+00:00", ("daily:2026-03-30", "2026-03-30 09:00"),
         "2026-03-31 09:00"),
    Tick("Berlin 02:30 does not exist on 29 March: sent at 03:30", daily("02:30"), BERLIN,
         "2026-03-29 03:30", ("daily:2026-03-29", "2026-03-29T01:30:00+00:00"),
         "2026-03-30 02:30"),
    Tick("Berlin 02:30 skipped: not yet at 01:29 UTC", daily("02:30"), BERLIN,
         "2026-03-29T01:29:59+00:00", ("daily:2026-03-28", "2026-03-28 02:30"),
         "2026-03-29T01:30:00+00:00"),
    Tick("Berlin 02:30 happens twice on 25 October: the first", daily("02:30"), BERLIN,
         "2026-10-25T00:30:00+00:00", ("daily:2026-10-25", "2026-10-25T00:30:00+00:00"),
         "2026-10-26 02:30"),
    Tick("Berlin 02:30 twice: the second is not a new digest", daily("02:30"), BERLIN,
         "2026-10-25T01:30:00+00:00", ("daily:2026-10-25", "2026-10-25T00:30:00+00:00"),
         "2026-10-26 02:30"),
    Tick("New York weekly across spring forward", weekly("mon", "09:00"), NEW_YORK,
         "2026-03-09T13:00:00+00:00", ("weekly:2026-03-09", "2026-03-09 09:00"),
         "2026-03-16 09:00"),
    Tick("New York Sunday 02:30 on 8 March is 03:30 EDT", weekly("sun", "02:30"), NEW_YORK,
         "2026-03-08 04:00", ("weekly:2026-03-08", "2026-03-08T07:30:00+00:00"),
         "2026-03-15 02:30"),
    Tick("New York weekly across fall back", weekly("mon", "09:00"), NEW_YORK,
         "2026-11-02T14:00:00+00:00", ("weekly:2026-11-02", "2026-11-02 09:00"),
         "2026-11-09 09:00"),
    Tick("New York 09:00 on 2 Nov is not 13:00 UTC", weekly("mon", "09:00"), NEW_YORK,
         "2026-11-02T13:00:00+00:00", ("weekly:2026-10-26", "2026-10-26 09:00"),
         "2026-11-02 09:00"),
    # Month and year ends.
    Tick("daily across 31 Dec", daily("23:30"), UTC_NAME, "2027-01-01 00:10",
         ("daily:2026-12-31", "2026-12-31 23:30"), "2027-01-01 23:30"),
    Tick("weekly Thursday 31 Dec", weekly("thu", "17:00"), AUCKLAND, "2026-12-31 17:00",
         ("weekly:2026-12-31", "2026-12-31 17:00"), "2027-01-07 17:00"),
    Tick("daily on 28 February", daily("07:00"), KOLKATA, "2026-03-01 06:59",
         ("daily:2026-02-28", "2026-02-28 07:00"), "2026-03-01 07:00"),
    Tick("weekly Saturday: 31 January to 7 February", weekly("sat", "10:00"), BERLIN,
         "2026-02-06 10:00", ("weekly:2026-01-31", "2026-01-31 10:00"), "2026-02-07 10:00"),
]  # fmt: skip


@pytest.mark.parametrize("tick", TICKS, ids=[t.name for t in TICKS])
def test_digest_ticks(tick: Tick) -> None:
    tz = ZoneInfo(tick.zone)
    subscribed = LONG_AGO if tick.subscribed is None else at(tick.zone, tick.subscribed)
    with freeze_time(at(tick.zone, tick.now)):
        now = datetime.now(UTC)
        latest = latest_digest(tick.schedule, tz, subscribed, now)
        following = next_digest(tick.schedule, tz, now)
    expected = None if tick.latest is None else (tick.latest[0], at(tick.zone, tick.latest[1]))
    assert latest == expected
    assert following == at(tick.zone, tick.next)
    assert following.tzinfo is UTC
    if latest is not None:
        assert subscribed <= latest[1] <= now < following


@pytest.mark.parametrize(
    ("schedule", "zone"),
    [
        (daily("09:00"), BERLIN),
        (daily("02:30"), BERLIN),
        (daily("01:30"), NEW_YORK),
        (daily("00:00"), AUCKLAND),
        (weekly("sun", "02:30"), NEW_YORK),
        (weekly("mon", "09:00"), KOLKATA),
        (weekly("sun", "02:30"), BERLIN),
    ],
)
def test_ticks_see_each_scheduled_digest_once_and_next_digest_names_each(
    schedule: DigestSchedule, zone: str
) -> None:
    """Ticking every 10 minutes through both 2026 clock changes: the digests seen are one per
    scheduled local day, and following next_digest from one to the next visits the same ones."""
    tz = ZoneInfo(zone)
    for start in (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC)):
        end = start + timedelta(days=21)
        seen: dict[str, datetime] = {}
        moment = start
        while moment < end:
            latest = latest_digest(schedule, tz, start, moment)
            if latest is not None:
                assert seen.setdefault(*latest) == latest[1]
            moment += timedelta(minutes=10)
        walked: dict[str, datetime] = {}
        moment = next_digest(schedule, tz, start)
        while moment < end:
            latest = latest_digest(schedule, tz, start, moment)
            assert latest is not None
            assert latest[1] == moment
            assert latest_digest(schedule, tz, start, moment - SECOND) != latest
            walked[latest[0]] = moment
            moment = next_digest(schedule, tz, moment)
        # Ten-minute ticks may start seeing a digest a few minutes late, never miss one.
        assert seen == walked
        # One digest per scheduled local day, none skipped, each at the schedule's wall time
        # (or, on a day that skips it, just past the gap).
        days = sorted(date.fromisoformat(period.split(":", 1)[1]) for period in walked)
        step = 1 if schedule.frequency is Frequency.DAILY else 7
        assert [later - earlier for earlier, later in itertools.pairwise(days)] == [
            timedelta(days=step)
        ] * (len(days) - 1)
        assert len(days) >= 21 // step
        for period, moment in walked.items():
            local = moment.astimezone(tz)
            assert local.date().isoformat() == period.split(":", 1)[1]
            wall = datetime.combine(local.date(), schedule.at)
            round_trip = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
            assert local.time() == schedule.at if round_trip == wall else local.time() > schedule.at


def test_a_weekly_schedule_without_a_day_means_monday() -> None:
    schedule = DigestSchedule(Frequency.WEEKLY, time(9))
    tz = ZoneInfo(UTC_NAME)
    assert next_digest(schedule, tz, datetime(2026, 11, 17, tzinfo=UTC)) == datetime(
        2026, 11, 23, 9, tzinfo=UTC
    )


def test_a_naive_subscription_time_is_refused() -> None:
    naive = LONG_AGO.replace(tzinfo=None)
    with pytest.raises(ValueError, match="no time zone"):
        latest_digest(daily("09:00"), ZoneInfo(BERLIN), naive, datetime.now(UTC))
