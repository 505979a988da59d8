"""The plain data charts are drawn from refuses what would draw a wrong picture."""

from __future__ import annotations

from datetime import date
from datetime import datetime

import pytest

from bot.charts.series import GuardrailSeries
from bot.charts.series import MetricSeries
from bot.charts.series import VerdictWeek
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Verdict


def test_a_reading_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        MetricSeries("Handle time", "min", Better.LOWER, ((datetime(2025, 1, 6), 9.0),))  # noqa: DTZ001


def test_a_guardrail_is_within_its_limit_on_the_limit_itself() -> None:
    lower = GuardrailSeries("Errors", "%", Better.LOWER, 2.0, ())
    higher = GuardrailSeries("CSAT", None, Better.HIGHER, 4.2, ())
    assert [lower.within_limit(v) for v in (1.9, 2.0, 2.1)] == [True, True, False]
    assert [higher.within_limit(v) for v in (4.1, 4.2, 4.3)] == [False, True, True]


def test_a_week_is_named_by_its_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        VerdictWeek(week=date(2025, 1, 7), go=1)


def test_verdict_counts_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        VerdictWeek(week=date(2025, 1, 6), stalled=-1)


def test_a_week_can_be_built_from_counts_by_verdict() -> None:
    week = VerdictWeek.from_counts(date(2025, 1, 6), {Verdict.GO: 2, Verdict.NO_GO: 1})
    assert [week.count(verdict) for verdict in Verdict] == [2, 0, 1, 0]
    assert week.total == 3
