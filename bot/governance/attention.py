"""What one person must do now for one pilot, given the roles they hold in it.

Pure: facts and an assessment in, plain sentences out. A sentence names another person
with bot.governance.people.person, which the surfaces turn into a mention after escaping.
"""

from __future__ import annotations

from datetime import date

from bot.governance.decisions import approvers
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.people import person
from bot.governance.readiness import Assessment
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Verdict

ROLE_WORDS = {
    RaciRole.RESPONSIBLE: "Responsible",
    RaciRole.ACCOUNTABLE: "Accountable",
    RaciRole.CONSULTED: "Consulted",
    RaciRole.INFORMED: "Informed",
}


def roles_of(facts: PilotFacts, user_id: str) -> tuple[str, ...]:
    """`("owner", "sponsor", "Accountable for incidents, changes", "Informed for reporting")`.

    RACI roles come in R, A, C, I order, each with the areas in the order of RaciArea.
    """
    if not user_id:
        return ()
    roles: list[str] = []
    if facts.owner == user_id:
        roles.append("owner")
    if facts.sponsor == user_id:
        roles.append("sponsor")
    for role in RaciRole:
        areas = [area.value for area in RaciArea if user_id in _holders(facts, area, role)]
        if areas:
            roles.append(f"{ROLE_WORDS[role]} for {', '.join(areas)}")
    return tuple(roles)


def needs_from(facts: PilotFacts, assessment: Assessment, user_id: str) -> tuple[str, ...]:
    """What `user_id` must do now for this pilot, most pressing first; empty when nothing.

    - the owner: every open gap (each says what is missing and the command that fixes it);
    - the sponsor: a go decision when the verdict is Go and nothing final is decided, the
      overdue decision when the decide-by date passed undecided, and chasing the owner when
      the pilot is Stalled;
    - an Accountable person: the RACI gap, when some area has no Accountable or several;
    - whoever may approve a go decision taken over open gaps: to approve or reject it.

    Once a final decision (go or no-go) is in force, nobody is asked for anything more but
    an approval still waiting.
    """
    if not user_id:
        return ()
    needs: list[str] = []
    key = facts.key
    pending = facts.pending_decision
    if pending is not None and user_id in approvers(facts, pending.by):
        needs.append(
            f"approve or reject: {person(pending.by)} decided go while the verdict is "
            f"{assessment.verdict.label}; use Approve or Reject in the message pilotgate sent you"
        )
    decision = facts.latest_decision
    if decision is not None and decision.status.in_force and decision.decision.is_final:
        return tuple(needs)
    decide_form = f"`/pilot decide {key} go|no-go|extend <why>`"
    if facts.sponsor == user_id:
        if assessment.decision_overdue:
            needs.append(
                f"decision overdue: the decide-by date {_day(facts.decide_by)} has passed; "
                f"decide with {decide_form}"
            )
        if assessment.verdict is Verdict.GO:
            needs.append(f"decide: ready for a go decision with {decide_form}")
        if assessment.verdict is Verdict.STALLED:
            if facts.owner and facts.owner != user_id:
                needs.append(f"stalled: ask {person(facts.owner)} for a reading")
            elif not facts.owner:
                needs.append(f"stalled with no owner: name one with `/pilot set {key} owner:@name`")
    if facts.owner == user_id:
        needs.extend(assessment.gaps)
    raci = assessment.check(CheckId.RACI)
    if raci.gap and _accountable_anywhere(facts, user_id):
        needs.append(raci.gap)
    return tuple(dict.fromkeys(needs))


def _day(day: date | None) -> str:
    return format_day(day) if day is not None else "(none)"


def _holders(facts: PilotFacts, area: RaciArea, role: RaciRole) -> tuple[str, ...]:
    return tuple(facts.raci.get(area, {}).get(role, ()))


def _accountable_anywhere(facts: PilotFacts, user_id: str) -> bool:
    return any(user_id in _holders(facts, area, RaciRole.ACCOUNTABLE) for area in RaciArea)
