"""`/pilot digest <#channel> daily|weekly [mon…sun] [HH:MM]`: the words after the channel."""

from __future__ import annotations

from datetime import time

import pytest

from bot.errors import InvalidInput
from bot.governance.digest_schedule import DigestSchedule
from bot.governance.digest_schedule import Frequency
from bot.slack.digest_words import parse_schedule


@pytest.mark.parametrize(
    ("text", "frequency", "weekday", "at"),
    [
        ("weekly", Frequency.WEEKLY, 0, time(9, 0)),
        ("weekly fri", Frequency.WEEKLY, 4, time(9, 0)),
        ("weekly friday 16:30", Frequency.WEEKLY, 4, time(16, 30)),
        ("WEEKLY Tue 7:05", Frequency.WEEKLY, 1, time(7, 5)),
        ("weekly thurs 00:00", Frequency.WEEKLY, 3, time(0, 0)),
        ("Weekly SATURDAY", Frequency.WEEKLY, 5, time(9, 0)),
        ("weekly 23:59 sun", Frequency.WEEKLY, 6, time(23, 59)),
        ("daily", Frequency.DAILY, None, time(9, 0)),
        ("daily 08:00", Frequency.DAILY, None, time(8, 0)),
        ("Daily 18:45", Frequency.DAILY, None, time(18, 45)),
    ],
)
def test_good_schedules(text: str, frequency: Frequency, weekday: int | None, at: time) -> None:
    schedule = parse_schedule(text.split())
    assert (schedule.frequency, schedule.weekday, schedule.at) == (frequency, weekday, at)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["how often"]),
        ("monthly", ["`monthly`", "daily|weekly"]),
        ("daily mon", ["daily", "`mon`"]),
        ("weekly 24:00", ["`24:00`", "HH:MM"]),
        ("weekly 12:60", ["`12:60`", "HH:MM"]),
        ("weekly noon", ["`noon`"]),
        ("weekly xyz", ["`xyz`"]),
    ],
)
def test_bad_schedules_say_what_was_wrong_and_the_form(text: str, fragments: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_schedule(text.split())
    message = str(caught.value)
    assert "\n" not in message
    assert "`/pilot digest #channel daily|weekly [mon…sun] [HH:MM]`" in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("weekly", "every Monday at 09:00"),
        ("weekly friday 16:30", "every Friday at 16:30"),
        ("weekly 23:59 sun", "every Sunday at 23:59"),
        ("WEEKLY Tue 7:05", "every Tuesday at 07:05"),
        ("daily", "every day at 09:00"),
        ("daily 08:00", "every day at 08:00"),
    ],
)
def test_describe_reads_as_a_sentence_fragment(text: str, described: str) -> None:
    assert parse_schedule(text.split()).describe() == described


def test_describe_of_a_schedule_built_directly() -> None:
    assert DigestSchedule(Frequency.WEEKLY, time(9, 0), weekday=2).describe() == (
        "every Wednesday at 09:00"
    )


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (["weekly", "mon", "fri"], "Give one day, not two"),
        (["weekly", "09:00", "17:30"], "Give one time, not two"),
    ],
)
def test_a_second_day_or_time_is_refused_not_silently_kept(words: list[str], says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        parse_schedule(words)
