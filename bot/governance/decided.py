"""How a decided pilot is shown: the decision leads, the verdict it was taken on beside it.

Every surface (status card, list, App Home, digest, DMs) leads with `decided_headline(...)`
when it is not None, so a stopped pilot reads "Stopped · Go when decided", never a bare
"🟢 Go". A go decision still waiting for its second person reads
`pending_headline(...)`: "Go decision waiting for approval by <sponsor>".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.decisions import approvers
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.people import person
from bot.governance.readiness import UTC_ZONE
from bot.governance.readiness import assess
from bot.governance.readiness import decision_in_force
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Verdict

APPROVED = "Approved for production"
STOPPED = "Stopped"
EXTENDED = "Extended"


@dataclass(frozen=True)
class DecidedHeadline:
    decision: DecisionRecord
    # "Approved for production", "Stopped", "Extended to 2027-03-05".
    headline: str
    # The verdict as of the decision's instant, for the record.
    verdict_when_decided: Verdict

    @property
    def line(self) -> str:
        """`Stopped · Go when decided`."""
        return f"{self.headline} · {self.verdict_when_decided.label} when decided"


def decision_words(decision: DecisionRecord) -> str:
    """What a decision did, in the words every surface uses."""
    if decision.decision is Decision.GO:
        return APPROVED
    if decision.decision is Decision.NO_GO:
        return STOPPED
    if decision.until is None:
        return EXTENDED
    return f"{EXTENDED} to {format_day(decision.until)}"


def decided_headline(
    facts: PilotFacts, now: datetime, tz: ZoneInfo = UTC_ZONE
) -> DecidedHeadline | None:
    """The headline of the decision in force at `now`, or None when there is none.

    `tz` is the owner's zone, as for `assess`. After an extension the pilot goes on: its
    live verdict is the one to act on, and the verdict it was extended on is for the record.
    The verdict is assessed over the facts given, as of the decision's instant.
    """
    decision = decision_in_force(facts, now)
    if decision is None:
        return None
    then = assess(facts, decision.at, tz)
    return DecidedHeadline(decision, decision_words(decision), then.verdict)


def pending_headline(facts: PilotFacts) -> str | None:
    """`Go decision waiting for approval by <sponsor>` while an override waits, else None."""
    pending = facts.pending_decision
    if pending is None:
        return None
    who = approvers(facts, pending.by)
    if not who:
        return "Go decision waiting for approval: nobody else can approve it yet"
    return f"Go decision waiting for approval by {' or '.join(person(user) for user in who)}"
