"""The plain data a chart is drawn from: no Slack, no SQL, no matplotlib.

The Slack layer builds these from what storage returns; the chart functions take nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Verdict

Reading = tuple[datetime, float]
"""One dated value: an aware datetime (any zone; charts show it in UTC) and the number."""


def _checked_readings(readings: Iterable[Reading], what: str) -> tuple[Reading, ...]:
    checked = tuple(readings)
    for at, _ in checked:
        if at.tzinfo is None or at.utcoffset() is None:
            # A naive time would silently land on the wrong day for someone; refuse it here.
            raise ValueError(f"{what}: reading times must be timezone-aware, got {at!r}")
    return checked


def finite_readings(readings: Iterable[Reading]) -> list[Reading]:
    """The readings a chart can draw, oldest first, in UTC; NaN and infinities left out."""
    kept = [(at.astimezone(UTC), value) for at, value in readings if math.isfinite(value)]
    kept.sort(key=lambda reading: reading[0])
    return kept


@dataclass(frozen=True)
class MetricSeries:
    """The go-live metric: its readings and the lines they are judged against."""

    name: str
    unit: str | None
    better: Better
    readings: tuple[Reading, ...]
    baseline: float | None = None
    threshold: float | None = None
    decide_by: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "readings", _checked_readings(self.readings, self.name))


@dataclass(frozen=True)
class GuardrailSeries:
    """A metric that must stay on the right side of its limit while the pilot runs."""

    name: str
    unit: str | None
    better: Better
    limit: float
    readings: tuple[Reading, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "readings", _checked_readings(self.readings, self.name))

    def within_limit(self, value: float) -> bool:
        """At or below the limit for `lower`, at or above for `higher` (as the contract says)."""
        return value <= self.limit if self.better is Better.LOWER else value >= self.limit


VERDICT_ORDER = (Verdict.GO, Verdict.NOT_READY, Verdict.NO_GO, Verdict.STALLED)
"""The order verdicts are stacked (bottom up) and listed in the legend."""


@dataclass(frozen=True)
class VerdictWeek:
    """How many pilots had each verdict in one week, named by that week's Monday."""

    week: date
    go: int = 0
    not_ready: int = 0
    no_go: int = 0
    stalled: int = 0

    def __post_init__(self) -> None:
        if self.week.weekday() != 0 or isinstance(self.week, datetime):
            raise ValueError(f"a week is named by its Monday (a date), got {self.week!r}")
        if min(self.go, self.not_ready, self.no_go, self.stalled) < 0:
            raise ValueError(f"verdict counts cannot be negative: {self!r}")

    @classmethod
    def from_counts(cls, week: date, counts: Mapping[Verdict, int]) -> VerdictWeek:
        return cls(
            week=week,
            go=counts.get(Verdict.GO, 0),
            not_ready=counts.get(Verdict.NOT_READY, 0),
            no_go=counts.get(Verdict.NO_GO, 0),
            stalled=counts.get(Verdict.STALLED, 0),
        )

    def count(self, verdict: Verdict) -> int:
        return {
            Verdict.GO: self.go,
            Verdict.NOT_READY: self.not_ready,
            Verdict.NO_GO: self.no_go,
            Verdict.STALLED: self.stalled,
        }[verdict]

    @property
    def total(self) -> int:
        return self.go + self.not_ready + self.no_go + self.stalled
