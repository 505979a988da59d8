"""When a channel digest goes out: daily or weekly, at a local time of day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class DigestSchedule:
    frequency: Frequency
    at: time
    # 0 = Monday; None for daily digests.
    weekday: int | None = None

    def describe(self) -> str:
        when = self.at.strftime("%H:%M")
        if self.weekday is None:
            return f"every day at {when}"
        return f"every {DAY_NAMES[self.weekday].capitalize()} at {when}"
