"""A change reads only the ends of a pilot's measurement series (its first and latest few),
so its cost does not grow with the pilot's history; what it answers must not change."""

from __future__ import annotations

from datetime import timedelta

from bot.governance.vocabulary import MeasurementKind
from bot.services import pilots
from bot.services.commands import RecordMeasurement
from bot.services.facts import RECENT
from tests import typed
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import Portfolio

DAYS = 3 * RECENT


def long_reporting_pilot(portfolio: Portfolio) -> str:
    """Two baselines, a reading and two guardrails' readings a day for weeks, and an old
    guardrail removed since: more of every series than a change reads."""
    key = portfolio.register(metric="handle time", threshold="9.8", better="lower")
    start = NOW - timedelta(days=DAYS + 2)
    portfolio.run(ANN, f"guardrail {key} errors lower 2", start)
    portfolio.run(ANN, f"guardrail {key} latency lower 1.5", start)
    portfolio.run(ANN, f"guardrail {key} tone higher 4", start)
    portfolio.run(ANN, f"baseline {key} 14", start)
    portfolio.run(ANN, f'baseline {key} 13.5 reason:"re-measured"', start + timedelta(hours=1))
    for day in range(DAYS):
        at = start + timedelta(days=1 + day)
        portfolio.run(ANN, f"update {key} {12 - day / 10:.1f} errors:{1 + day % 3} tone:4", at)
        portfolio.run(ANN, f"update {key} latency:{1 + day % 2}", at + timedelta(hours=2))
    portfolio.run(ANN, f"guardrail {key} tone remove", NOW - timedelta(days=1))
    return key


def test_a_change_to_a_long_reporting_pilot_answers_as_a_fresh_read_does(
    portfolio: Portfolio,
) -> None:
    key = long_reporting_pilot(portfolio)
    # Dated before the latest readings: it is neither the first nor among the latest.
    late = RecordMeasurement(
        typed.key(key), MeasurementKind.READING, 11.5, "from the archive",
        at=NOW - timedelta(days=DAYS // 2),
    )  # fmt: skip
    with portfolio.uow(ANN) as uow:
        answered = pilots.handle(uow, ANN, late, NOW)
    read = portfolio.read(key)
    assert answered.facts == read.facts
    assert answered.assessment == read.assessment
    assert len(read.facts.recent_values) == RECENT
    assert read.facts.first_baseline is not None
    assert read.facts.first_baseline.value == 14
    assert [(rail.name, rail.latest is not None) for rail in read.facts.guardrails] == [
        ("errors", True),
        ("latency", True),
    ]


def test_after_a_change_the_same_unit_of_work_sees_the_whole_series(
    portfolio: Portfolio,
) -> None:
    # An import reads a pilot's readings to skip those it has already recorded, in the unit
    # of work its changes commit in.
    key = long_reporting_pilot(portfolio)
    with portfolio.uow(ANN) as uow:
        pilots.handle(uow, ANN, typed.command(f"update {key} 9.1"), NOW)
        pilot = pilots.find_pilot(uow, ANN.team_id, typed.key(key))
        readings = [m.value for m in pilot.measurements if m.kind == "reading"]
    assert len(readings) == DAYS + 1
    assert readings[0] == 12.0
