"""Realistic sample charts, for the README's pictures and the chart benchmark.

    python -m bot.charts.examples docs/charts    # writes the example PNGs there

The numbers follow smooth made-up curves (no randomness), so the pictures are the same on
every run and a change in them is a change in the drawing.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from bot.charts.series import GuardrailSeries
from bot.charts.series import MetricSeries
from bot.charts.series import Reading
from bot.charts.series import VerdictWeek
from bot.governance.vocabulary import Better

START = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)  # a Monday morning


def _weekly(count: int, value_at: Callable[[int], float]) -> tuple[Reading, ...]:
    return tuple((START + timedelta(weeks=week), round(value_at(week), 2)) for week in range(count))


def _wobble(week: int, size: float) -> float:
    """Week-to-week noise that looks irregular but is the same on every run."""
    return size * (math.sin(week * 1.7) * 0.6 + math.sin(week * 0.45 + 1) * 0.4)


def year_of_readings() -> tuple[MetricSeries, list[GuardrailSeries]]:
    """52 weekly readings of a support assistant's handle time, and three guardrails."""
    metric = MetricSeries(
        name="Average handle time",
        unit="min",
        better=Better.LOWER,
        readings=_weekly(52, lambda w: 8.6 + 4.1 * math.exp(-w / 14) + _wobble(w, 0.45)),
        baseline=12.4,
        threshold=9.0,
        decide_by=date(2026, 1, 16),
    )
    guardrails = [
        GuardrailSeries(
            name="Escalation rate",
            unit="%",
            better=Better.LOWER,
            limit=6.0,
            readings=_weekly(
                52, lambda w: 4.4 + _wobble(w + 3, 1.1) + (2.2 if 20 <= w <= 22 else 0)
            ),
        ),
        GuardrailSeries(
            name="CSAT",
            unit="/ 5",
            better=Better.HIGHER,
            limit=4.2,
            readings=_weekly(52, lambda w: 4.45 + _wobble(w + 7, 0.12)),
        ),
        GuardrailSeries(
            name="Wrong answers",
            unit="per 100",
            better=Better.LOWER,
            limit=2.0,
            readings=_weekly(52, lambda w: 1.6 - w * 0.008 + _wobble(w + 11, 0.35)),
        ),
    ]
    return metric, guardrails


def six_readings() -> MetricSeries:
    """A young pilot: six weekly readings, no guardrails yet."""
    return MetricSeries(
        name="Invoice processing time",
        unit="hours",
        better=Better.LOWER,
        readings=_weekly(6, lambda w: (46.0, 41.5, 37.0, 33.5, 29.0, 26.5)[w]),
        baseline=48.0,
        threshold=24.0,
        decide_by=date(2025, 3, 3),
    )


def higher_is_better() -> tuple[MetricSeries, list[GuardrailSeries]]:
    """A metric that should rise, past its decide-by date, with one guardrail."""
    metric = MetricSeries(
        name="First-contact resolution",
        unit="%",
        better=Better.HIGHER,
        readings=_weekly(20, lambda w: 61 + 13 * (1 - math.exp(-w / 6)) + _wobble(w, 1.4)),
        baseline=60.0,
        threshold=75.0,
        decide_by=date(2025, 4, 28),
    )
    guardrail = GuardrailSeries(
        name="Repeat contacts in 7 days",
        unit="%",
        better=Better.LOWER,
        limit=12.0,
        readings=_weekly(20, lambda w: 10.5 + _wobble(w + 5, 1.3) + (1.6 if w >= 17 else 0)),
    )
    return metric, [guardrail]


def twelve_weeks_of_portfolio() -> list[VerdictWeek]:
    """A programme of 18 to 24 pilots, drifting from Not ready towards Go and No-go."""
    weeks = []
    for index in range(12):
        go = round(1 + index * 0.6)
        no_go = 0 if index < 4 else round((index - 3) * 0.35)
        stalled = (3, 4, 4, 5, 4, 3, 3, 2, 2, 3, 2, 2)[index]
        not_ready = 18 + index // 3 - go - no_go - stalled
        weeks.append(
            VerdictWeek(
                week=START.date() + timedelta(weeks=index),
                go=go,
                not_ready=not_ready,
                no_go=no_go,
                stalled=stalled,
            )
        )
    return weeks


def write_examples(folder: Path) -> list[Path]:
    # The chart modules import matplotlib; only this command and the benchmark need them here.
    from bot.charts.metric import metric_chart
    from bot.charts.portfolio import portfolio_chart

    year, rails = year_of_readings()
    rising, rising_rails = higher_is_better()
    pictures = {
        "metric-52-weeks-3-guardrails.png": metric_chart(year, rails),
        "metric-6-readings.png": metric_chart(six_readings()),
        "metric-higher-is-better.png": metric_chart(rising, rising_rails),
        "portfolio-12-weeks.png": portfolio_chart(twelve_weeks_of_portfolio()),
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, png in pictures.items():
        assert png is not None, f"{name}: every example has readings"
        (folder / name).write_bytes(png)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in write_examples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/charts")):
        print(path, path.stat().st_size, "bytes")
