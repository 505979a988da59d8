"""Sums over a portfolio: which pilots wait on a decision, and the money a month they hold.

The digest and the programme office's App Home name, for each pilot ready for a decision,
the sponsor who must take it, and the net value a month waiting on those decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.cadence import days_until
from bot.governance.decision_loop import DECIDE_BY_NOTICE_DAYS
from bot.governance.facts import PilotFacts
from bot.governance.formatting import monthly_net_value_text
from bot.governance.readiness import Assessment
from bot.governance.readiness import decision_in_force
from bot.governance.vocabulary import Verdict

Assessed = tuple[PilotFacts, Assessment]


def ready_for_decision(
    facts: PilotFacts, assessment: Assessment, now: datetime, tz: ZoneInfo
) -> bool:
    """A pilot waits on a decision when nothing final is in force, it is neither No-go nor
    Stalled, and it is Go, its decide-by date is at most a week away (or passed), or a go
    decision over open gaps waits for approval. `tz` is the zone of whoever reads it (the
    digest's subscriber), whose calendar says how far away the date is."""
    decision = decision_in_force(facts, now)
    if decision is not None and decision.decision.is_final:
        return False
    if assessment.verdict in (Verdict.NO_GO, Verdict.STALLED):
        return False
    if assessment.verdict is Verdict.GO or facts.pending_decision is not None:
        return True
    day = facts.decide_by
    return day is not None and days_until(day, now, tz) <= DECIDE_BY_NOTICE_DAYS


def value_waiting_on_decisions(
    pilots: Iterable[Assessed], now: datetime, tz: ZoneInfo
) -> dict[str, float]:
    """The net value a month ((value - cost per unit) x volume) of the pilots ready for a
    decision, summed per currency (amounts in different currencies are never added up).
    Pilots without unit economics add nothing."""
    totals: dict[str, float] = {}
    for facts, assessment in pilots:
        value = assessment.monthly_net_value
        if value is None or not ready_for_decision(facts, assessment, now, tz):
            continue
        totals[facts.currency] = totals.get(facts.currency, 0.0) + value
    return totals


def value_waiting_text(totals: dict[str, float]) -> str:
    """`+52,000 USD a month`, or `+12,000 USD a month and +3,000 EUR a month`; `nothing`
    when no pilot with unit economics waits."""
    if not totals:
        return "nothing"
    return " and ".join(
        monthly_net_value_text(amount, currency) for currency, amount in sorted(totals.items())
    )
