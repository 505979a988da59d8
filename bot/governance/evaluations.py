"""Evaluation runs: which of them are regressions, and who hears of each, once.

Pure, in the style of bot.governance.decision_loop: the pilot's facts and `now` in; `Due`
messages and the instants something new arises out. The scheduler merges them with the rest
of a pilot's messages.

A run is a regression when it scores below the bar, or more than `REGRESSION_POINTS` below
the run before it even while above the bar. Each regression is news to the owner and to the
Accountable of `evaluation`: told once (its period key names the run), even when a later run
has recovered, and, like all news, not once it is a week old.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.governance.decision_loop import NEWS_FOR
from bot.governance.decision_loop import Found
from bot.governance.decision_loop import instant_key
from bot.governance.facts import EvaluationRun
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_number
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole

# More than this many points below the run before is a regression, above the bar or not.
REGRESSION_POINTS = 5.0
REGRESSION_PREFIX = "eval-regression:"


@dataclass(frozen=True)
class Regression:
    run: EvaluationRun
    # The run before it, if any.
    previous: EvaluationRun | None
    # Below the bar the pilot's evaluation check holds it to.
    below_bar: bool

    @property
    def drop(self) -> float | None:
        """Points lost since the run before (None for a first run)."""
        return None if self.previous is None else self.previous.score - self.run.score

    @property
    def period(self) -> str:
        """The stable key of the news about this run: it is told once."""
        return f"{REGRESSION_PREFIX}{instant_key(self.run.at)}"

    def words(self, bar: float | None) -> str:
        """What went wrong, in plain words: 'scored 91%, below the 95% bar'."""
        said = f"scored {format_number(self.run.score)}%"
        if self.below_bar and bar is not None:
            said += f", below the {format_number(bar)}% bar"
        drop = self.drop
        if drop is not None and drop > REGRESSION_POINTS and self.previous is not None:
            said += (
                f", {format_number(round(drop, 2))} points below the run before it "
                f"({format_number(self.previous.score)}%)"
            )
        return said


def regressions(runs: Sequence[EvaluationRun], bar: float | None) -> tuple[Regression, ...]:
    """Each run (oldest first) that fell below `bar`, or more than `REGRESSION_POINTS` below
    the run before it. With no bar agreed, only the fall counts."""
    found = []
    previous: EvaluationRun | None = None
    for run in runs:
        below_bar = bar is not None and run.score < bar
        fell = previous is not None and previous.score - run.score > REGRESSION_POINTS
        if below_bar or fell:
            found.append(Regression(run, previous, below_bar))
        previous = run
    return tuple(found)


def regression_recipients(facts: PilotFacts) -> tuple[str, ...]:
    """The owner and the Accountable of `evaluation`, each once."""
    accountable = facts.raci.get(RaciArea.EVALUATION, {}).get(RaciRole.ACCOUNTABLE, ())
    return tuple(dict.fromkeys(who for who in (facts.owner, *accountable) if who))


def regression_dues(facts: PilotFacts, now: datetime) -> Found:
    """The regression news due as of `now`, and when a run recorded for later becomes news."""
    found = Found()
    recipients = regression_recipients(facts)
    for regression in regressions(facts.evaluations, facts.eval_bar):
        since = max(regression.run.at, regression.run.reported_at or regression.run.at)
        if since > now:
            found.upcoming.append(since)
            continue
        if now >= since + NEWS_FOR:
            continue
        for recipient in recipients:
            found.due.append(
                Due(recipient, Reason.EVAL_REGRESSION, facts.key, regression.period, since, since)
            )
    return found


def regression_of(facts: PilotFacts, period: str) -> Regression | None:
    """The regression a message's period key names, if the facts still hold it."""
    return next(
        (item for item in regressions(facts.evaluations, facts.eval_bar) if item.period == period),
        None,
    )
