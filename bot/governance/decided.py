"""The words of a decision: what it did ("Stopped", "Extended to 5 Mar") and, while a go
waits for its second person, who must approve it ("Go decision waiting for approval by
<sponsor>"). Every surface leads with them (bot.slack.blocks.decided), so a stopped pilot
reads "Stopped · Go when decided", never a bare "🟢 Go".
"""

from __future__ import annotations

from datetime import date

from bot.governance.decisions import approvers
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.formatting import spoken_day
from bot.governance.people import person
from bot.governance.vocabulary import Decision

APPROVED = "Approved for production"
STOPPED = "Stopped"
EXTENDED = "Extended"


def decision_words(decision: Decision, until: date | None, today: date | None = None) -> str:
    """What a decision did, in the words every surface uses: `Approved for production`,
    `Stopped`, `Extended to 2027-03-05`; with `today`, the day as a person says it
    (`Extended to 5 Mar`), for a message rather than a record."""
    if decision is Decision.GO:
        return APPROVED
    if decision is Decision.NO_GO:
        return STOPPED
    if until is None:
        return EXTENDED
    return f"{EXTENDED} to {format_day(until) if today is None else spoken_day(until, today)}"


def pending_headline(facts: PilotFacts) -> str | None:
    """`Go decision waiting for approval by <sponsor>` while an override waits, else None."""
    pending = facts.pending_decision
    if pending is None:
        return None
    who = approvers(facts, pending.by)
    if not who:
        return "Go decision waiting for approval: nobody else can approve it yet"
    return f"Go decision waiting for approval by {' or '.join(person(user) for user in who)}"
