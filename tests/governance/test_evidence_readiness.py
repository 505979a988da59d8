"""The readiness table, continued for evidence: guardrails and evaluation runs.

Each row starts from the pilot of tests/governance/readiness_rows.py that has everything in
place (READY, Go) and adds guardrails or runs. "Now" comes from freezegun, in the time zone
the row names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from bot.governance.checks import CheckId
from bot.governance.facts import EvaluationRun
from bot.governance.facts import Guardrail
from bot.governance.facts import Measurement
from bot.governance.links import SUPPORTS
from bot.governance.links import links_beside
from bot.governance.readiness import assess
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import Verdict
from tests.governance.readiness_rows import LEGAL
from tests.governance.readiness_rows import READY
from tests.governance.readiness_rows import Situation
from tests.governance.readiness_rows import assert_situation
from tests.governance.readiness_rows import names
from tests.governance.readiness_rows import reading
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import ago


def errors(value: float | None, at: datetime | None = None, limit: float = 2.0) -> Guardrail:
    """Share of drafts an agent had to rewrite: lower is better, at most `limit` %."""
    latest = None if value is None else Measurement(value, at or ago(days=1))
    return Guardrail("errors", Better.LOWER, limit, "%", latest)


def csat(value: float | None, at: datetime | None = None) -> Guardrail:
    """Customer satisfaction must not fall below 4.2 points: higher is better."""
    latest = None if value is None else Measurement(value, at or ago(days=1))
    return Guardrail("csat", Better.HIGHER, 4.2, "pts", latest)


def runs(*scores: float, size: int = 150) -> tuple[EvaluationRun, ...]:
    """Runs a week apart, the last one a day ago."""
    count = len(scores)
    return tuple(
        EvaluationRun(score, size, ago(days=1 + 7 * (count - 1 - index)))
        for index, score in enumerate(scores)
    )


# Seen from Auckland, where 15 November is over, and from UTC, where it is not.
OUTSIDE_BY_15_NOVEMBER = {
    "decide_by": date(2026, 11, 15),
    **reading(9, datetime(2026, 11, 14, tzinfo=UTC)),
    "guardrails": (errors(2.4, datetime(2026, 11, 14, tzinfo=UTC)),),
}
DST_READING = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)  # Monday 10:00 in Berlin
SITUATIONS = [
    Situation("a guardrail within its limit", {"guardrails": (errors(1.8),)}, Verdict.GO),
    Situation("a guardrail exactly at its limit", {"guardrails": (errors(2.0),)}, Verdict.GO),
    Situation(
        "a guardrail outside its limit",
        {"guardrails": (errors(2.5),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        (
            "Guardrail errors reads 2.5%, outside its limit of 2% or lower",
            "`/pilot update P-1 errors:<number>`",
            "`/pilot guardrail P-1 errors lower <limit>`",
        ),
    ),
    Situation(
        "a guardrail with no reading yet",
        {"guardrails": (errors(None),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        ("Guardrail errors has no reading yet", "`/pilot update P-1 errors:<number>`"),
    ),
    Situation(
        "a guardrail whose weekly reading is exactly 7 days old",
        {"guardrails": (errors(1.5, ago(days=7)),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        ("latest reading of guardrail errors is from 2026-11-09, older than the weekly cadence",),
    ),
    Situation(
        "a removed guardrail no longer counts",
        {"guardrails": ()},
        Verdict.GO,
    ),
    Situation(
        "two guardrails, one failing: the gap names that one only",
        {"guardrails": (errors(1.2), csat(3.9))},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        ("Guardrail csat reads 3.9 pts, outside its limit of 4.2 pts or higher",),
    ),
    Situation(
        "higher is better: 4.5 clears at least 4.2", {"guardrails": (csat(4.5),)}, Verdict.GO
    ),
    Situation(
        "higher is better: exactly the limit is within it", {"guardrails": (csat(4.2),)}, Verdict.GO
    ),
    Situation(
        "higher is better: 4.1 is outside",
        {**LEGAL, "guardrails": (csat(4.1),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        ("4.1 pts, outside its limit of 4.2 pts or higher", "csat higher <limit>"),
    ),
    Situation(
        "decide-by passed, the metric clears, a guardrail outside: No-go",
        {"decide_by": date(2026, 11, 15), "guardrails": (errors(3.1),)},
        Verdict.NO_GO,
        {CheckId.GUARDRAIL},
    ),
    Situation(
        "decide-by passed, a guardrail outside long ago still reads No-go",
        {"decide_by": date(2026, 11, 15), "guardrails": (errors(3.1, ago(days=40)),)},
        Verdict.NO_GO,
        {CheckId.GUARDRAIL},
    ),
    Situation(
        "decide-by passed, a guardrail never read is a gap, not a No-go",
        {"decide_by": date(2026, 11, 15), "guardrails": (errors(None),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
    ),
    Situation(
        "decide-by passed with a guardrail stale but within: a gap, not a No-go",
        {"decide_by": date(2026, 11, 15), "guardrails": (errors(1.0, ago(days=8)),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
    ),
    Situation(
        "a guardrail outside its limit before the decide-by is only a gap",
        {"decide_by": date(2026, 11, 16), "guardrails": (errors(3.1),)},
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
    ),
    # Evaluation runs: the check reads the latest.
    Situation("the latest run clears the bar", {"evaluations": runs(93, 96)}, Verdict.GO),
    Situation(
        "a regression: the latest run fell below the bar",
        {"evaluations": runs(97, 94)},
        Verdict.NOT_READY,
        {CheckId.EVALUATION},
        ("Eval score 94% is below the 95% bar",),
    ),
    Situation(
        "a drop of more than 5 points while above the bar is no gap",
        {"evaluations": runs(100, 96)},
        Verdict.GO,
    ),
    Situation(
        "a run that recovered after a regression passes",
        {"evaluations": runs(96, 90, 97)},
        Verdict.GO,
    ),
    Situation(
        "the latest run on a smaller set fails",
        {"evaluations": (*runs(96), EvaluationRun(97, 80, ago(hours=1)))},
        Verdict.NOT_READY,
        {CheckId.EVALUATION},
        ("Eval set has 80 examples; at least 100",),
    ),
    # Time zones: the guardrail reading is read on the owner's clock, like the metric.
    Situation(
        "Berlin across the end of summer time: the guardrail is still current at 09:30",
        {**reading(9, DST_READING), "guardrails": (errors(1.0, DST_READING),)},
        Verdict.GO,
        now=datetime(2026, 10, 26, 8, 30, tzinfo=UTC),
        tz="Europe/Berlin",
    ),
    Situation(
        "the same instants in UTC: the reading and the guardrail are both due",
        {**reading(9, DST_READING), "guardrails": (errors(1.0, DST_READING),)},
        Verdict.NOT_READY,
        {CheckId.READING_CURRENT, CheckId.GUARDRAIL},
        ("The latest reading of guardrail errors is from 2026-10-19",),
        now=datetime(2026, 10, 26, 8, 30, tzinfo=UTC),
    ),
    Situation(
        "New York across the start of summer time: the guardrail is due an hour early in UTC",
        {
            **reading(9, datetime(2026, 3, 7, 15, 0, tzinfo=UTC)),
            "guardrails": (errors(1.0, datetime(2026, 3, 1, 15, 0, tzinfo=UTC)),),
        },
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        # 10:00 on 1 March in New York, read on the owner's calendar.
        ("reading of guardrail errors is from 2026-03-01",),
        now=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        tz="America/New_York",
    ),
    Situation(
        "the same instants in UTC: a week has not passed yet",
        {
            **reading(9, datetime(2026, 3, 7, 15, 0, tzinfo=UTC)),
            "guardrails": (errors(1.0, datetime(2026, 3, 1, 15, 0, tzinfo=UTC)),),
        },
        Verdict.GO,
        now=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
    ),
    Situation(
        "a February month end: a monthly guardrail reading from 31 Jan is current on 1 Mar",
        {
            "cadence": Cadence.MONTHLY,
            **reading(9, datetime(2026, 2, 20, 12, tzinfo=UTC)),
            "guardrails": (errors(1.0, datetime(2026, 1, 31, 12, tzinfo=UTC)),),
        },
        Verdict.GO,
        now=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        tz="Asia/Kolkata",
    ),
    Situation(
        "Auckland is a day ahead: decide-by 15 Nov has passed there, a guardrail outside",
        OUTSIDE_BY_15_NOVEMBER,
        Verdict.NO_GO,
        {CheckId.GUARDRAIL},
        now=datetime(2026, 11, 15, 12, 0, tzinfo=UTC),
        tz="Pacific/Auckland",
    ),
    Situation(
        "the same instant in UTC: 15 Nov is still today, so only a gap",
        OUTSIDE_BY_15_NOVEMBER,
        Verdict.NOT_READY,
        {CheckId.GUARDRAIL},
        now=datetime(2026, 11, 15, 12, 0, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize("situation", SITUATIONS, ids=names(SITUATIONS))
def test_evidence_readiness_table(situation: Situation) -> None:
    assert_situation(situation)


def test_each_failing_guardrail_is_a_gap_of_its_own_after_the_metric() -> None:
    facts = replace(READY, guardrails=(errors(2.5), csat(None), errors(1.0, limit=5.0)))
    assessment = assess(facts, NOW)
    rails = [check for check in assessment.checks if check.id is CheckId.GUARDRAIL]
    assert [check.passed for check in rails] == [False, False, True]
    ids = [check.id for check in assessment.checks]
    assert ids.index(CheckId.THRESHOLD_CLEARED) + 1 == ids.index(CheckId.GUARDRAIL)
    assert [gap.split(":")[0] for gap in assessment.gaps] == [
        "Guardrail errors reads 2.5%, outside its limit of 2% or lower",
        "Guardrail csat has no reading yet",
    ]


def test_links_sit_beside_the_check_they_support() -> None:
    links = replace(
        READY.links, eval_report="https://eval.example/run/7", runbook="https://wiki.example/rb"
    )
    assert dict(SUPPORTS) == {
        Field.EVAL_REPORT: CheckId.EVALUATION,
        Field.DASHBOARD: CheckId.MONITORING,
        Field.RUNBOOK: CheckId.ROLLBACK,
    }
    assert links_beside(links, CheckId.EVALUATION) == (
        (Field.EVAL_REPORT, "https://eval.example/run/7"),
    )
    assert links_beside(links, CheckId.MONITORING) == ()
    assert links_beside(links, CheckId.ROLLBACK) == ((Field.RUNBOOK, "https://wiki.example/rb"),)
    assert links_beside(links, CheckId.OWNER) == ()
