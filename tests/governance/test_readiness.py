"""The readiness table: what must be in place for a pilot to be Go (a metric and its target,
an evaluation, a rollback, economics that pay, an owner, a sponsor, a baseline, a RACI), the
verdict each situation must get, and the gaps it must show.

Readings going stale, the decide-by date and decisions are in test_readiness_over_time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from bot.governance.facts import Amendment
from bot.governance.facts import DecisionRecord
from bot.governance.facts import Measurement
from bot.governance.people import person
from bot.governance.readiness import CheckId
from bot.governance.readiness import assess
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Verdict
from tests.governance.readiness_rows import LEGAL
from tests.governance.readiness_rows import READY
from tests.governance.readiness_rows import Situation
from tests.governance.readiness_rows import assert_situation
from tests.governance.readiness_rows import evaluated
from tests.governance.readiness_rows import names
from tests.governance.readiness_rows import reading
from tests.governance.test_readiness_over_time import SITUATIONS_OVER_TIME
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import full_raci

# Checks that compare two facts: with either missing they pass, and the missing fact's
# own gap speaks.
VACUOUS = {CheckId.SPONSOR_NOT_OWNER, CheckId.SPONSOR_ACTIVE, CheckId.THRESHOLD_IMPROVES}
# One check per guardrail: a pilot without guardrails has none to fail.
VACUOUS |= {CheckId.GUARDRAIL}

SITUATIONS = [
    Situation("support drafting at 9 min against 9.8", {}, Verdict.GO),
    Situation(
        "support drafting still at 10.5 min",
        reading(10.5, ago(days=2)),
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_CLEARED},
        ("10.5 min does not clear the threshold of 9.8 min or lower", "/pilot update P-1"),
    ),
    Situation(
        "a reading exactly at the threshold clears it", reading(9.8, ago(days=1)), Verdict.GO
    ),
    Situation("legal intake: 150 cases scoring 96% against a 95% bar", LEGAL, Verdict.GO),
    Situation(
        "legal intake scoring 94% against a 95% bar",
        {**LEGAL, **evaluated(94, 150)},
        Verdict.NOT_READY,
        {CheckId.EVALUATION},
        ("Eval score 94% is below the 95% bar", "/pilot set P-1 eval-score:"),
    ),
    Situation(
        "legal intake with 99 eval cases",
        {**LEGAL, **evaluated(96, 99)},
        Verdict.NOT_READY,
        {CheckId.EVALUATION},
        ("99 examples; at least 100",),
    ),
    Situation(
        "exactly 100 cases scoring exactly the bar passes",
        evaluated(95.0, 100),
        Verdict.GO,
    ),
    Situation(
        "no evaluation at all",
        {"evaluations": (), "eval_bar": None},
        Verdict.NOT_READY,
        {CheckId.EVALUATION},
        ("No evaluation bar", "eval-size:<examples> eval-score:<percent> eval-bar:<percent>"),
    ),
    Situation(
        "document summariser with no rollback",
        {"name": "Contract summariser", "rollback": None},
        Verdict.NOT_READY,
        {CheckId.ROLLBACK},
        ("No rollback or kill switch", "/pilot set P-1 rollback:yes"),
    ),
    Situation(
        "rollback explicitly missing", {"rollback": False}, Verdict.NOT_READY, {CheckId.ROLLBACK}
    ),
    Situation(
        "cheap at 100 cases, loses money at 100,000 a month",
        {"cost_per_unit": 0.42, "value_per_unit": 0.30, "volume": 100_000},
        Verdict.NOT_READY,
        {CheckId.ECONOMICS},
        ("100,000 units a month", "a loss of 12,000 USD a month", "cost-per-unit:<number>"),
    ),
    Situation(
        "cost equal to value does not pay: break-even, not a loss of 0",
        {"cost_per_unit": 1.0, "value_per_unit": 1.0},
        Verdict.NOT_READY,
        {CheckId.ECONOMICS},
        ("a unit costs 1 USD and returns 1 USD, break-even, so it does not pay",),
    ),
    Situation(
        "a loss reads in the pilot's currency",
        {"cost_per_unit": 2.5, "value_per_unit": 1.3, "volume": 1_000, "currency": "EUR"},
        Verdict.NOT_READY,
        {CheckId.ECONOMICS},
        ("a unit costs 2.50 EUR and returns 1.30 EUR, a loss of 1,200 EUR a month",),
    ),
    Situation(
        "a volume of 0 is no plan for scale",
        {"volume": 0},
        Verdict.NOT_READY,
        {CheckId.ECONOMICS},
        ("volume at full scale is 0 units a month", "`/pilot set P-1 volume:<number>`"),
    ),
    Situation(
        "economics without a volume",
        {"volume": None},
        Verdict.NOT_READY,
        {CheckId.ECONOMICS},
        ("`/pilot set P-1 volume:<number>`",),
    ),
    Situation(
        "pilot with no sponsor",
        {"sponsor": None},
        Verdict.NOT_READY,
        {CheckId.SPONSOR},
        ("No sponsor", "/pilot set P-1 sponsor:@name"),
    ),
    Situation(
        "the owner is also the sponsor",
        {"sponsor": "U0ANN"},
        Verdict.NOT_READY,
        {CheckId.SPONSOR_NOT_OWNER},
        (f"The sponsor is also the owner, {person('U0ANN')}", "/pilot set P-1 sponsor:@name"),
    ),
    Situation(
        "the sponsor has left the workspace",
        {"sponsor_deactivated": True},
        Verdict.NOT_READY,
        {CheckId.SPONSOR_ACTIVE},
        (f"The sponsor, {person('U0SPO')}, is no longer a member", "sponsor:@name"),
    ),
    Situation(
        "a target worse than the before-state: baseline 7, go at 8 or lower, a reading of 7.9",
        {
            "threshold": 8.0,
            "first_baseline": Measurement(7, datetime(2026, 9, 2, 9, 0, tzinfo=UTC)),
            "baseline": Measurement(7, datetime(2026, 9, 2, 9, 0, tzinfo=UTC)),
            **reading(7.9, ago(days=1)),
        },
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_IMPROVES},
        (
            "The threshold of 8 min is no improvement on the baseline of 7 min (lower is better)",
            '`/pilot set P-1 threshold:<number> reason:"…"`',
        ),
    ),
    Situation(
        "a threshold equal to the baseline is no improvement either",
        {"threshold": 14.0, **reading(13, ago(days=1))},
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_IMPROVES},
    ),
    Situation(
        "higher is better: a target below the baseline cannot be Go",
        {
            **LEGAL,
            "first_baseline": Measurement(93, datetime(2026, 9, 2, 9, 0, tzinfo=UTC)),
            "baseline": Measurement(93, datetime(2026, 9, 2, 9, 0, tzinfo=UTC)),
        },
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_IMPROVES},
        ("agree a target above the baseline",),
    ),
    Situation(
        "before any reading the threshold gap needs no reason",
        {
            "threshold": 15.0,
            "first_reading": None,
            "latest_reading": None,
            "registered_at": ago(days=3),
        },
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_IMPROVES, CheckId.READING_CURRENT, CheckId.THRESHOLD_CLEARED},
        ("`/pilot set P-1 threshold:<number>`",),
    ),
    Situation(
        "an eval bar of 0 is no bar",
        {"eval_bar": 0.0},
        Verdict.NOT_READY,
        {CheckId.EVALUATION},
        ("The eval bar is 0%, so any score passes", "`/pilot set P-1 eval-bar:<percent>`"),
    ),
    Situation("pilot with no owner", {"owner": None}, Verdict.NOT_READY, {CheckId.OWNER}),
    Situation(
        "baseline recorded after readings began",
        {"first_baseline": Measurement(14, datetime(2026, 9, 20, 9, 0, tzinfo=UTC))},
        Verdict.NOT_READY,
        {CheckId.BASELINE},
        (
            "Baseline was recorded after readings began (2026-09-09 before 2026-09-20)",
            "the sponsor accepts it with `/pilot accept P-1 baseline <reason…>`",
        ),
    ),
    Situation(
        "a late baseline the sponsor accepted closes the gap",
        {
            "first_baseline": Measurement(14, datetime(2026, 9, 20, 9, 0, tzinfo=UTC)),
            "amendments": (
                Amendment(
                    "baseline-accepted",
                    None,
                    None,
                    "measured on last year's queue",
                    "U0SPO",
                    datetime(2026, 9, 21, 9, 0, tzinfo=UTC),
                ),
            ),
        },
        Verdict.GO,
    ),
    Situation(
        "no baseline",
        {"first_baseline": None, "baseline": None},
        Verdict.NOT_READY,
        {CheckId.BASELINE},
        ("No baseline: measure the before-state", "/pilot baseline P-1 <number>"),
    ),
    Situation(
        "a metric with no agreed threshold",
        {"threshold": None},
        Verdict.NOT_READY,
        {CheckId.METRIC, CheckId.THRESHOLD_CLEARED},
        ("No agreed go-live threshold", "/pilot set P-1 threshold:<number>"),
    ),
    Situation("higher is better: 92% clears 90%", LEGAL, Verdict.GO),
    Situation(
        "higher is better: 89.9% does not clear 90%",
        {**LEGAL, **reading(89.9, ago(days=1))},
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_CLEARED},
        ("89.9% does not clear the threshold of 90% or higher",),
    ),
    Situation(
        "RACI with areas nobody is Accountable for",
        {"raci": {RaciArea.INCIDENTS: {RaciRole.ACCOUNTABLE: ("U0ANN",)}}},
        Verdict.NOT_READY,
        {CheckId.RACI},
        (
            "no Accountable for changes, evaluation, integration, reporting",
            "/pilot raci P-1 changes A @name",
        ),
    ),
    Situation(
        "RACI with two Accountable people in one area",
        {"raci": {**full_raci(), RaciArea.REPORTING: {RaciRole.ACCOUNTABLE: ("U1", "U2")}}},
        Verdict.NOT_READY,
        {CheckId.RACI},
        ("more than one Accountable for reporting",),
    ),
    Situation(
        "nothing in place but a name",
        {
            name: None
            for name in (
                "owner",
                "sponsor",
                "metric_name",
                "unit",
                "better",
                "threshold",
                "workflow",
                "eval_bar",
                "monitoring",
                "rollback",
                "cost_per_unit",
                "value_per_unit",
                "volume",
                "first_baseline",
                "baseline",
                "first_reading",
                "latest_reading",
                "decide_by",
            )
        }
        | {"registered_at": ago(days=2), "raci": {}, "evaluations": ()},
        Verdict.NOT_READY,
        # Who is sponsor, whether they left and how the target compares with the baseline
        # cannot be judged yet: the gaps that keep it from Go are the missing facts.
        set(CheckId) - VACUOUS,
    ),
]


@pytest.mark.parametrize("situation", SITUATIONS, ids=names(SITUATIONS))
def test_readiness_table(situation: Situation) -> None:
    assert_situation(situation)


def test_the_tables_cover_at_least_thirty_situations_and_every_verdict() -> None:
    situations = [*SITUATIONS, *SITUATIONS_OVER_TIME]
    assert len(situations) >= 30
    assert {s.verdict for s in situations} == set(Verdict)


def test_every_failing_check_has_a_gap_naming_a_command_unless_another_gap_explains_it() -> None:
    bare_pilot = next(s for s in SITUATIONS if s.name == "nothing in place but a name")
    assessment = assess(replace(READY, **bare_pilot.changes), NOW)
    explained = {CheckId.THRESHOLD_CLEARED}
    failing = [check for check in assessment.checks if not check.passed]
    assert {check.id for check in failing} == set(CheckId) - VACUOUS
    for check in failing:
        if check.id in explained:
            continue
        assert check.gap is not None, check.id
        assert "`/pilot " in check.gap, check.gap


def test_change_percent_and_monthly_value() -> None:
    assessment = assess(READY, NOW)
    assert assessment.change_percent == pytest.approx(-35.714, abs=0.001)
    assert assessment.monthly_net_value == pytest.approx((6.5 - 0.4) * 40_000)


def test_decision_overdue_only_without_a_decision_on_or_after_the_date() -> None:
    passed = replace(READY, decide_by=date(2026, 11, 10))
    assert assess(passed, NOW).decision_overdue
    extended_early = replace(
        passed,
        latest_decision=DecisionRecord(Decision.EXTEND, "U0SPO", ago(days=30), "more data"),
    )
    assert assess(extended_early, NOW).decision_overdue
    decided = replace(
        passed, latest_decision=DecisionRecord(Decision.GO, "U0SPO", ago(days=1), "clears")
    )
    assert not assess(decided, NOW).decision_overdue


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        assess(READY, datetime(2026, 11, 16, 10, 0))  # noqa: DTZ001 - the point of the test
