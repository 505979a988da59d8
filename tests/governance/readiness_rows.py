"""What the readiness tables are made of: the ready pilot they start from, the shape of a row
(a situation, the verdict it must get and the gaps it must show), and the check of one row.

Each row starts from a pilot that has everything in place (READY) and changes what the
situation changes. "Now" comes from freezegun, in the time zone the row names.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from bot.governance.facts import EvaluationRun
from bot.governance.facts import Measurement
from bot.governance.readiness import CheckId
from bot.governance.readiness import assess
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Verdict
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY as SHARED_READY
from tests.slack.blocks.factory import ago

# The tests' one ready pilot (support drafting, every check passing: Go), under the key the
# gaps name.
READY = replace(SHARED_READY, key="P-1")


@dataclass(frozen=True)
class Situation:
    name: str
    changes: dict[str, Any]
    verdict: Verdict
    failing: set[CheckId] = field(default_factory=set)
    gap_says: tuple[str, ...] = ()
    now: datetime = NOW
    tz: str = "UTC"


def assert_situation(situation: Situation) -> None:
    """READY changed as the situation says gets its verdict, fails exactly its checks and
    shows gaps with its words; a Go shows no gap at all."""
    facts = replace(READY, **situation.changes)
    with freeze_time(situation.now):
        assessment = assess(facts, datetime.now(UTC), ZoneInfo(situation.tz))

    failing = {check.id for check in assessment.checks if not check.passed}
    assert assessment.verdict is situation.verdict
    assert failing == situation.failing
    gaps = " | ".join(assessment.gaps)
    for words in situation.gap_says:
        assert words in gaps
    if situation.verdict is Verdict.GO:
        assert assessment.gaps == ()


def names(situations: list[Situation]) -> list[str]:
    return [situation.name for situation in situations]


def evaluated(score: float, size: int) -> dict[str, tuple[EvaluationRun, ...]]:
    """One evaluation run, a fortnight before now."""
    return {"evaluations": (EvaluationRun(score, size, NOW - timedelta(days=14)),)}


def reading(value: float, at: datetime) -> dict[str, Measurement]:
    return {"latest_reading": Measurement(value, at)}


LEGAL = {
    "name": "Legal intake triage",
    "metric_name": "triage accuracy",
    "unit": "%",
    "better": Better.HIGHER,
    "threshold": 90.0,
    **reading(92, ago(days=2)),
}
