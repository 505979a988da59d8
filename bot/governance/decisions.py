"""Rules of the go/no-go decision: overrides and who approves them, extensions, and the facts
that are locked once readings began (the goalposts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.vocabulary import Decision, Field, RaciArea, RaciRole, Verdict

# Once a pilot has a reading, these decide whether it passes; changing them needs a reason.
LOCKED_FIELDS = (Field.THRESHOLD, Field.BETTER)


def is_override(decision: Decision, verdict: Verdict) -> bool:
    """A go while the verdict is not Go waits for a second person."""
    return decision is Decision.GO and verdict is not Verdict.GO


def approver_of(facts: PilotFacts, decider: str) -> str | None:
    """Who approves an override: the sponsor, or when the sponsor decided, the Accountable of
    reporting; never the one who decided."""
    if facts.sponsor and facts.sponsor != decider:
        return facts.sponsor
    reporting = facts.raci.get(RaciArea.REPORTING, {}).get(RaciRole.ACCOUNTABLE, ())
    return next((person for person in reporting if person != decider), None)


def check_extension(until: date | None, now: datetime, owner_zone: ZoneInfo) -> date:
    """An extension names its new decide-by date, after today on the owner's clock."""
    if until is None:
        raise InvalidInput("An extension needs its new decide-by date.")
    today = now.astimezone(owner_zone).date()
    if until <= today:
        raise InvalidInput(
            f"The new decide-by date must be after today ({format_day(today)}); "
            f"{format_day(until)} is not."
        )
    return until


@dataclass(frozen=True)
class LockedChange:
    field: Field
    before: str | None
    after: str | None


def locked_changes(facts: PilotFacts, changes: Mapping[Field, object]) -> tuple[LockedChange, ...]:
    """The changes to locked facts, once the pilot has a reading; a value set to what it
    already is changes nothing and needs no reason."""
    if facts.first_reading is None:
        return ()
    current = {Field.THRESHOLD: facts.threshold, Field.BETTER: facts.better}
    return tuple(
        LockedChange(name, _shown(current[name]), _shown(changes[name]))
        for name in LOCKED_FIELDS
        if name in changes and changes[name] != current[name]
    )


def baseline_locked(facts: PilotFacts) -> bool:
    """A baseline re-recorded once readings began moves the goalposts."""
    return facts.first_reading is not None


def _shown(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)
