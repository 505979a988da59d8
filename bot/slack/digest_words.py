"""The words of `/pilot digest <#channel> daily|weekly [mon…sun] [HH:MM]` after the channel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time

from bot.errors import InvalidInput
from bot.governance.digest_schedule import DAY_NAMES
from bot.governance.digest_schedule import WEEKDAYS
from bot.governance.digest_schedule import DigestSchedule
from bot.governance.digest_schedule import Frequency
from bot.slack.fields import quoting
from bot.slack.fields import shown

DEFAULT_TIME = time(9, 0)
FORM = "`/pilot digest #channel daily|weekly [mon…sun] [HH:MM]`"


def parse_schedule(words: Sequence[str]) -> DigestSchedule:
    """['weekly', 'mon', '09:00'] -> DigestSchedule. Day defaults to Monday, time to 09:00."""
    if not words:
        raise InvalidInput(f"Say how often: {FORM}.")
    with quoting(words[0], f"is not daily or weekly: {FORM}"):
        frequency = Frequency(words[0].lower())
    weekday: int | None = None
    at: time | None = None
    for word in words[1:]:
        lowered = word.lower()
        if len(lowered) >= 3 and _is_day(lowered):
            if frequency is Frequency.DAILY:
                raise InvalidInput(f"A daily digest has no day; drop `{shown(word)}`: {FORM}.")
            if weekday is not None:
                raise InvalidInput(f"Give one day, not two: {FORM}.")
            weekday = WEEKDAYS.index(lowered[:3])
        elif re.fullmatch(r"\d{1,2}:\d{2}", word):
            hours, minutes = (int(part) for part in word.split(":"))
            if hours > 23 or minutes > 59:
                raise InvalidInput(f"`{word}` is not a time of day; use 24-hour HH:MM: {FORM}.")
            if at is not None:
                raise InvalidInput(f"Give one time, not two: {FORM}.")
            at = time(hours, minutes)
        else:
            raise InvalidInput(f"`{shown(word)}` is neither a day nor a time: {FORM}.")
    if frequency is Frequency.WEEKLY and weekday is None:
        weekday = 0
    return DigestSchedule(frequency, at or DEFAULT_TIME, weekday)


def _is_day(word: str) -> bool:
    return any(name.startswith(word) for name in DAY_NAMES)
