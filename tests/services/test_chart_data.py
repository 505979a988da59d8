"""The data behind `chart <key>`, on SQLite and PostgreSQL: what the picture is drawn from."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from bot.charts.metric import metric_chart
from bot.governance.vocabulary import Better
from bot.services.chart_data import ChartData
from bot.services.chart_data import chart_data
from tests import typed
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import STRANGER
from tests.services.conftest import Portfolio

WEEK = timedelta(days=7)


def read(portfolio: Portfolio, key: str, when: datetime = NOW) -> ChartData:
    """As anyone in the workspace sees it."""
    with portfolio.uow(STRANGER) as uow:
        return chart_data(uow, STRANGER, typed.key(key), when)


def test_the_metric_and_each_guardrail_over_time(portfolio: Portfolio) -> None:
    key = portfolio.register(
        at=NOW - 4 * WEEK, metric="handle time", unit="min", better="lower", threshold="9.8",
        **{"decide-by": "2026-12-15"},
    )  # fmt: skip
    portfolio.run(ANN, f"baseline {key} 14", NOW - 4 * WEEK)
    portfolio.run(ANN, f"guardrail {key} errors lower 2 %", NOW - 4 * WEEK)
    portfolio.run(ANN, f"guardrail {key} csat higher 4.2", NOW - 4 * WEEK)
    portfolio.run(ANN, f"update {key} 12 errors:1.5", NOW - 2 * WEEK)
    portfolio.run(ANN, f"update {key} 9 errors:2.5 csat:4.4", NOW - WEEK)
    portfolio.run(ANN, f"update {key} errors:1.1", NOW)
    found = read(portfolio, key)
    assert found.key == "P-1"
    assert found.metric is not None
    metric = found.metric
    assert (metric.name, metric.unit, metric.better) == ("handle time", "min", Better.LOWER)
    assert (metric.baseline, metric.threshold, str(metric.decide_by)) == (14, 9.8, "2026-12-15")
    assert metric.readings == ((NOW - 2 * WEEK, 12.0), (NOW - WEEK, 9.0))
    errors, csat = found.guardrails
    assert (errors.name, errors.unit, errors.better, errors.limit) == (
        "errors", "%", Better.LOWER, 2.0,
    )  # fmt: skip
    assert errors.readings == ((NOW - 2 * WEEK, 1.5), (NOW - WEEK, 2.5), (NOW, 1.1))
    assert csat.readings == ((NOW - WEEK, 4.4),)
    # As of a week ago, the last readings had not happened yet.
    earlier = read(portfolio, key, NOW - WEEK - timedelta(hours=1))
    assert earlier.metric is not None
    assert earlier.metric.readings == ((NOW - 2 * WEEK, 12.0),)
    png = metric_chart(metric, found.guardrails)
    assert png is not None
    assert png.startswith(b"\x89PNG")


def test_no_metric_line_until_it_has_a_direction_and_no_removed_guardrails(
    portfolio: Portfolio,
) -> None:
    key = portfolio.register()
    portfolio.run(ANN, f"guardrail {key} errors lower 2")
    portfolio.run(ANN, f"update {key} errors:1")
    portfolio.run(ANN, f"guardrail {key} latency lower 1")
    portfolio.run(ANN, f"guardrail {key} errors remove")
    found = read(portfolio, key)
    assert found.metric is None
    assert [rail.name for rail in found.guardrails] == ["latency"]
