"""Who may change and decide a pilot, and the rules a decision must follow.

Plain functions over plain facts: services call them before storing anything, and the
Slack layer before it opens a form (the Decide form opens only for someone allowed to
decide).

- `accountable_people` and `change_refusal`: who, besides the owner, the sponsor and admins,
  may change a pilot (the rule itself is bot.governance.rights.may_change), and the line that
  tells anyone else so.
- `extension_problem`: an extension needs a new decide-by date after today.
- `override_of`: a `go` while the verdict is not Go is an override; it waits, pending, for a
  second person, and records the gaps open at that moment.
- `approvers` / `may_approve`: that second person is the sponsor, or, when the sponsor took
  the decision, an Accountable of `reporting`; never the one who decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.people import person
from bot.governance.readiness import Assessment
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Verdict


def accountable_people(facts: PilotFacts) -> tuple[str, ...]:
    """Everyone Accountable for some RACI area of the pilot, once each: with the owner, the
    sponsor and admins, they may change it (bot.governance.rights.may_change)."""
    return tuple(
        dict.fromkeys(
            user for roles in facts.raci.values() for user in roles.get(RaciRole.ACCOUNTABLE, ())
        )
    )


def change_refusal(key: str, owner: str | None, sponsor: str | None) -> str:
    """The one line that tells someone they may not change a pilot, and who may."""
    who = [
        f"its owner {person(owner)}" if owner else None,
        f"its sponsor {person(sponsor)}" if sponsor else None,
        "its Accountable people",
        "a workspace admin",
    ]
    allowed = ", ".join(part for part in who if part)
    return f"You can't change {key}: only {allowed} can."


def extension_problem(until: date | None, now: datetime, tz: ZoneInfo) -> str | None:
    """Why an extension to `until` cannot be recorded, or None when it can.

    `tz` is the owner's zone: "after today" is read on their calendar, as the decide-by
    date is.
    """
    form = "`until:YYYY-MM-DD`"
    if until is None:
        return f"Extend needs its new decide-by date: add {form}, a day after today."
    today = local_date(now, tz)
    if until <= today:
        return (
            f"The new decide-by date {format_day(until)} is not after today "
            f"({format_day(today)}): pick a later day with {form}."
        )
    return None


@dataclass(frozen=True)
class Override:
    """A go decision taken while the verdict was not Go: pending until approved."""

    verdict: Verdict
    # The gaps open at that moment, recorded with the decision.
    gaps: tuple[str, ...]


def override_of(decision: Decision, assessment: Assessment) -> Override | None:
    """The override a decision would be, or None when it is recorded at once (a go on a Go
    verdict, or any no-go or extend)."""
    if decision is not Decision.GO or assessment.verdict is Verdict.GO:
        return None
    return Override(assessment.verdict, assessment.gaps)


def approvers(facts: PilotFacts, decided_by: str) -> tuple[str, ...]:
    """Who may approve or reject an override taken by `decided_by`: the sponsor when someone
    else decided (and the sponsor is still a member), otherwise the Accountable of
    `reporting`. Never the one who decided. Empty when nobody can: the pilot then needs a
    sponsor or an Accountable for reporting first (`approval_blocked`)."""
    if facts.sponsor and facts.sponsor != decided_by and not facts.sponsor_deactivated:
        return (facts.sponsor,)
    reporting = facts.raci.get(RaciArea.REPORTING, {}).get(RaciRole.ACCOUNTABLE, ())
    return tuple(user for user in reporting if user != decided_by)


def may_approve(user_id: str, facts: PilotFacts, pending: DecisionRecord) -> bool:
    return bool(user_id) and user_id in approvers(facts, pending.by)


def approval_blocked(facts: PilotFacts, decided_by: str) -> str | None:
    """What to do when nobody may approve an override taken by `decided_by`, or None."""
    if approvers(facts, decided_by):
        return None
    return (
        f"Nobody else can approve this go decision yet: name a sponsor with "
        f"`/pilot set {facts.key} sponsor:@name`, or an Accountable for reporting with "
        f"`/pilot raci {facts.key} reporting A @name`"
    )
