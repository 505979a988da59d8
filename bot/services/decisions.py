"""The decision use cases' changes to a pilot: a decision (recorded, or pending when it is a
go over open gaps), its review by the second approver, and amendments to locked facts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput, NotAllowed
from bot.governance.decisions import approver_of, check_extension, is_override
from bot.governance.readiness import Assessment
from bot.governance.vocabulary import STAGE_AFTER_DECISION, Decision, DecisionStatus
from bot.services.commands import Decide, ReviewDecision
from bot.services.facts import pilot_facts
from storage.models import Amendment as StoredAmendment
from storage.models import Decision as StoredDecision
from storage.models import Pilot


def record(
    pilot: Pilot,
    command: Decide,
    by: str,
    now: datetime,
    assessment: Assessment,
    owner_zone: ZoneInfo,
) -> list[str]:
    """Records `command` as decided by `by`; returns warnings for them. A go still waiting
    for its approver is superseded, like any earlier decision: it can no longer be approved."""
    facts = pilot_facts(pilot, now)
    decision = StoredDecision(
        decision=command.decision.value,
        decided_by=by,
        decided_at=now,
        rationale=command.rationale.strip(),
        status=DecisionStatus.RECORDED.value,
        open_gaps=list(assessment.gaps),
    )
    warnings = []
    if command.decision is Decision.EXTEND:
        decision.until = check_extension(command.until, now, owner_zone)
        pilot.decide_by = decision.until
    if is_override(command.decision, assessment.verdict):
        decision.status = DecisionStatus.PENDING.value
        if approver_of(facts, by) is None:
            warnings.append(
                f"{pilot.key} is {assessment.verdict.label}, so this go goes over its open gaps "
                "and waits for a second person's approval; nobody can give it yet: name a "
                "sponsor, or an Accountable for reporting."
            )
        else:
            warnings.append(
                f"{pilot.key} is {assessment.verdict.label}, so this go goes over its open gaps: "
                "it waits for a second person's approval, asked by DM."
            )
    else:
        pilot.stage = STAGE_AFTER_DECISION[command.decision].value
    pilot.decisions.append(decision)
    return warnings


def review(pilot: Pilot, command: ReviewDecision, by: str, now: datetime) -> list[str]:
    latest = max(pilot.decisions, key=lambda d: (d.decided_at, d.id), default=None)
    if latest is None or latest.status != DecisionStatus.PENDING.value:
        raise InvalidInput(f"{pilot.key} has no decision waiting for approval.")
    decision = latest
    if by != approver_of(pilot_facts(pilot, now), decision.decided_by):
        raise NotAllowed(
            f"Only the second approver of {pilot.key}'s go decision can approve or reject it; "
            "never the one who took it."
        )
    answer = DecisionStatus.APPROVED if command.approve else DecisionStatus.REJECTED
    decision.status = answer.value
    decision.approved_by = by
    decision.approved_at = now
    if command.approve:
        pilot.stage = STAGE_AFTER_DECISION[Decision(decision.decision)].value
    return []


def accept_baseline(pilot: Pilot, reason: str, by: str, now: datetime) -> list[str]:
    """The sponsor, and only the sponsor, accepts a baseline recorded after readings began."""
    facts = pilot_facts(pilot, now)
    if by != facts.sponsor:
        raise NotAllowed(f"Only the sponsor of {pilot.key} can accept its baseline.")
    late = (
        facts.first_baseline is not None
        and facts.first_reading is not None
        and facts.first_reading.at < facts.first_baseline.at
    )
    if not late or facts.baseline_accepted:
        raise InvalidInput(f"{pilot.key} has no late baseline waiting to be accepted.")
    amend(pilot, "baseline-accepted", None, None, reason, by, now)
    return []


def amend(
    pilot: Pilot,
    field: str,
    before: str | None,
    after: str | None,
    reason: str,
    by: str,
    now: datetime,
) -> None:
    pilot.amendments.append(
        StoredAmendment(
            field=field, before=before, after=after, reason=reason, amended_by=by, amended_at=now
        )
    )
