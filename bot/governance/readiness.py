"""The one verdict of a pilot, from its readiness checks (bot.governance.checks).

Precedence (contract): No-go, Stalled, Go, Not ready. A pilot with a final decision in force
keeps the verdict it had when the decision was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance import cadence as cadence_rules
from bot.governance.checks import MIN_EVAL_EXAMPLES
from bot.governance.checks import Check
from bot.governance.checks import CheckId
from bot.governance.checks import all_checks
from bot.governance.checks import clears_threshold
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.facts import last_activity
from bot.governance.formatting import change_percent
from bot.governance.guardrails import any_outside_limit
from bot.governance.guardrails import guardrail_checks
from bot.governance.vocabulary import Verdict

__all__ = [
    "MIN_EVAL_EXAMPLES",
    "UTC_ZONE",
    "Assessment",
    "Check",
    "CheckId",
    "assess",
    "clears_threshold",
    "decision_in_force",
    "every_check",
    "is_decision_overdue",
]

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    checks: tuple[Check, ...]
    clears: bool | None
    change_percent: float | None
    monthly_net_value: float | None
    decision_overdue: bool

    @property
    def gaps(self) -> tuple[str, ...]:
        return tuple(check.gap for check in self.checks if not check.passed and check.gap)

    def check(self, check_id: CheckId) -> Check:
        return next(check for check in self.checks if check.id == check_id)


def decision_in_force(facts: PilotFacts, now: datetime) -> DecisionRecord | None:
    """The decision in force at `now` (recorded, or an override approved), if any."""
    decision = facts.latest_decision
    if decision is None or not decision.status.in_force or decision.at > now:
        return None
    return decision


def assess(facts: PilotFacts, now: datetime, tz: ZoneInfo = UTC_ZONE) -> Assessment:
    """The verdict, checks and figures of a pilot as of `now`, dates read in `tz` (the
    owner's zone). After a final decision the pilot is assessed as of that decision."""
    cadence_rules.require_aware(now)
    decision = decision_in_force(facts, now)
    if decision is not None and decision.decision.is_final:
        now = decision.at
    checks = every_check(facts, now, tz)
    clears = clears_threshold(facts)
    decide_by_passed = facts.decide_by is not None and cadence_rules.has_passed(
        facts.decide_by, now, tz
    )
    if decide_by_passed and _misses_the_mark(facts, clears):
        verdict = Verdict.NO_GO
    elif now >= cadence_rules.stalled_at(last_activity(facts, now), facts.cadence, tz):
        verdict = Verdict.STALLED
    elif all(check.passed for check in checks):
        verdict = Verdict.GO
    else:
        verdict = Verdict.NOT_READY
    return Assessment(
        verdict=verdict,
        checks=checks,
        clears=clears,
        change_percent=_change_percent(facts),
        monthly_net_value=_monthly_net_value(facts),
        decision_overdue=is_decision_overdue(facts, now, tz),
    )


def every_check(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> tuple[Check, ...]:
    """The readiness checks with the guardrails' beside how the go-live metric does."""
    checks = all_checks(facts, now, tz)
    after = 1 + next(i for i, c in enumerate(checks) if c.id is CheckId.THRESHOLD_CLEARED)
    return (*checks[:after], *guardrail_checks(facts, now, tz), *checks[after:])


def is_decision_overdue(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> bool:
    """The decide-by date has passed (in `tz`) and no decision was taken on or after it.

    An extension agreed before the date still leaves the date to be decided on; a final
    decision at any time settles it.
    """
    if facts.decide_by is None or not cadence_rules.has_passed(facts.decide_by, now, tz):
        return False
    decision = decision_in_force(facts, now)
    decided = decision is not None and (
        decision.decision.is_final or _on_or_after(decision.at, facts.decide_by, tz)
    )
    return not decided


def _misses_the_mark(facts: PilotFacts, clears: bool | None) -> bool:
    """No-go once the date has passed: the latest reading does not clear the threshold, or
    a guardrail's latest reading is outside its limit."""
    return clears is not True or any_outside_limit(facts)


def _on_or_after(moment: datetime, day: date | None, tz: ZoneInfo) -> bool:
    return day is not None and moment.astimezone(tz).date() >= day


def _change_percent(facts: PilotFacts) -> float | None:
    if facts.baseline is None or facts.latest_reading is None:
        return None
    return change_percent(facts.baseline.value, facts.latest_reading.value)


def _monthly_net_value(facts: PilotFacts) -> float | None:
    if facts.cost_per_unit is None or facts.value_per_unit is None or facts.volume is None:
        return None
    return (facts.value_per_unit - facts.cost_per_unit) * facts.volume
