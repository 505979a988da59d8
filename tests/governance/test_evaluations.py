"""Evaluation runs: which are regressions, who hears of each and when, and the DM's first line.

Runs are dated on wall clocks in several zones; "now" moves across the week after a run, the
week a DM about it stays news.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.governance.direct_messages import BUTTON_OF
from bot.governance.direct_messages import direct_messages
from bot.governance.direct_messages import first_line
from bot.governance.evaluations import REGRESSION_POINTS
from bot.governance.evaluations import regression_dues
from bot.governance.evaluations import regression_recipients
from bot.governance.evaluations import regressions
from bot.governance.facts import EvaluationRun
from bot.governance.facts import PilotFacts
from bot.governance.notices import ButtonKind
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.readiness import assess
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from tests.governance.readiness_rows import READY
from tests.governance.tables import named_rows

OWNER, EVALUATOR = "U0ANN", "U0EVA"
BERLIN = ZoneInfo("Europe/Berlin")


def run(score: float, day: int, size: int = 150) -> EvaluationRun:
    """A run on `day` November 2026, 10:00 UTC."""
    return EvaluationRun(score, size, datetime(2026, 11, day, 10, 0, tzinfo=UTC))


# scores of the runs, oldest first; the bar; the scores of the runs that are regressions
REGRESSIONS: list[tuple[str, list[float], float | None, list[float]]] = [
    ("steady above the bar", [96, 97, 96.5], 95, []),
    ("one run below the bar", [96, 94], 95, [94]),
    ("a first run below the bar", [90], 95, [90]),
    ("each run below the bar is one, even below the one before", [93, 92, 96], 95, [93, 92]),
    ("more than 5 points down while above the bar", [99, 93.5], 90, [93.5]),
    ("exactly 5 points down is not", [99, 94], 90, []),
    ("a recovery keeps the regression before it", [97, 90, 98], 95, [90]),
    ("no bar agreed: only the fall counts", [99, 93, 92], None, [93]),
    ("a fall and below the bar is one regression", [99, 80], 95, [80]),
    ("exactly the bar is not below it", [95, 95], 95, []),
]


@pytest.mark.parametrize(("scores", "bar", "expected"), named_rows(REGRESSIONS))
def test_regressions_table(scores: list[float], bar: float | None, expected: list[float]) -> None:
    runs = [run(score, 1 + index) for index, score in enumerate(scores)]
    assert [found.run.score for found in regressions(runs, bar)] == expected


def test_a_regression_says_what_went_wrong() -> None:
    below, fell = regressions([run(99, 2), run(92.5, 9), run(91, 10)], 95)[:2]
    assert below.words(95) == (
        "scored 92.5%, below the 95% bar, 6.5 points below the run before it (99%)"
    )
    assert fell.words(95) == "scored 91%, below the 95% bar"
    assert fell.drop == pytest.approx(1.5)
    assert REGRESSION_POINTS == 5


def evaluated(*runs: EvaluationRun, evaluator: str | None = EVALUATOR) -> PilotFacts:
    raci = {area: roles for area, roles in READY.raci.items() if area is not RaciArea.EVALUATION}
    if evaluator:
        raci[RaciArea.EVALUATION] = {RaciRole.ACCOUNTABLE: (evaluator,)}
    return replace(READY, owner=OWNER, evaluations=runs, raci=raci)


def test_the_owner_and_the_accountable_of_evaluation_hear_of_each_regression_once() -> None:
    facts = evaluated(run(97, 2), run(93, 9), run(96, 10))
    now = datetime(2026, 11, 12, 8, 0, tzinfo=UTC)
    found = regression_dues(facts, now)
    since = datetime(2026, 11, 9, 10, 0, tzinfo=UTC)
    period = "eval-regression:2026-11-09T10:00:00+00:00"
    assert found.due == [
        Due(OWNER, Reason.EVAL_REGRESSION, "P-1", period, since, since),
        Due(EVALUATOR, Reason.EVAL_REGRESSION, "P-1", period, since, since),
    ]
    # The same run gives the same key on every tick, so the outbox records it once.
    assert regression_dues(facts, now + timedelta(hours=5)).due == found.due


@pytest.mark.parametrize(
    ("now", "told"),
    [
        (datetime(2026, 11, 9, 9, 59, tzinfo=UTC), False),  # the run is not recorded yet
        (datetime(2026, 11, 9, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 11, 16, 9, 59, tzinfo=UTC), True),  # news for a week
        (datetime(2026, 11, 16, 10, 0, tzinfo=UTC), False),
    ],
)
def test_a_regression_is_news_for_a_week(now: datetime, told: bool) -> None:
    facts = evaluated(run(97, 2), run(93, 9))
    found = regression_dues(facts, now)
    assert bool(found.due) is told
    if now < datetime(2026, 11, 9, 10, 0, tzinfo=UTC):
        assert found.upcoming == [datetime(2026, 11, 9, 10, 0, tzinfo=UTC)]


def test_the_owner_alone_when_nobody_is_accountable_for_evaluation_and_once_when_both() -> None:
    assert regression_recipients(evaluated(evaluator=None)) == (OWNER,)
    assert regression_recipients(evaluated(evaluator=OWNER)) == (OWNER,)
    assert regression_recipients(evaluated()) == (OWNER, EVALUATOR)


def test_the_dm_opens_with_what_to_look_into_on_the_owners_calendar() -> None:
    # 23:30 UTC on 8 Nov is already 9 Nov in Berlin.
    late = EvaluationRun(93, 150, datetime(2026, 11, 8, 23, 30, tzinfo=UTC))
    facts = evaluated(run(97, 2), late)
    now = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    dues = regression_dues(facts, now).due
    messages = direct_messages(dues, facts, assess(facts, now, BERLIN), now, BERLIN)
    assert [message.recipient for message in messages] == [OWNER, EVALUATOR]
    assert messages[0].first_line == (
        "Look into the evaluation of P-1 Support drafting: the run of 9\u00a0Nov scored "
        "93%, below the 95% bar."
    )
    assert messages[0].buttons == (ButtonKind.OPEN_PILOT,)
    assert BUTTON_OF[Reason.EVAL_REGRESSION] is ButtonKind.OPEN_PILOT


def test_a_regression_the_facts_no_longer_hold_still_gets_a_plain_line() -> None:
    now = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    due = Due(OWNER, Reason.EVAL_REGRESSION, "P-1", "eval-regression:gone", now)
    line = first_line(due, READY, assess(READY, now), now, BERLIN)
    assert line == "Look into the evaluation of P-1 Support drafting: a run regressed."


def test_regression_news_is_sent_once_and_goes_to_no_sponsor() -> None:
    reason = Reason.EVAL_REGRESSION
    assert not reason.recurring
    assert not reason.to_sponsor
    assert reason.polite


def test_a_run_reported_late_is_news_for_a_week_from_when_it_was_reported() -> None:
    # Run on 9 November, reported by a live system ten days later.
    late = replace(run(93, 9), reported_at=datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    facts = evaluated(run(97, 2), late)
    assert regression_dues(facts, datetime(2026, 11, 19, 9, 59, tzinfo=UTC)).due == []
    assert regression_dues(facts, datetime(2026, 11, 19, 10, 0, tzinfo=UTC)).due
    assert regression_dues(facts, datetime(2026, 11, 26, 9, 59, tzinfo=UTC)).due
    assert regression_dues(facts, datetime(2026, 11, 26, 10, 0, tzinfo=UTC)).due == []
