"""The decision use cases' changes to a pilot: a decision (recorded, or pending when it is a
go over open gaps), its review by the second approver, and amendments to locked facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.errors import NotAllowed
from bot.governance.decisions import approval_blocked
from bot.governance.decisions import extension_problem
from bot.governance.decisions import may_approve
from bot.governance.decisions import override_of
from bot.governance.locks import LockedField
from bot.governance.locks import LockedValue
from bot.governance.locks import amendments_for
from bot.governance.locks import lock_refusal
from bot.governance.locks import locked_changes
from bot.governance.readiness import Assessment
from bot.governance.vocabulary import STAGE_AFTER_DECISION
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.services.commands import Decide
from bot.services.commands import ReviewDecision
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
        problem = extension_problem(command.until, now, owner_zone)
        if problem:
            raise InvalidInput(problem)
        decision.until = command.until
        pilot.decide_by = command.until
    override = override_of(command.decision, assessment)
    if override is not None:
        decision.status = DecisionStatus.PENDING.value
        warnings.append(
            f"{pilot.key} is {override.verdict.label}, so this go goes over its open gaps and "
            "waits for a second person's approval"
            + (f". {blocked}." if (blocked := approval_blocked(facts, by)) else ", asked by DM.")
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
    if command.decided_at is not None and command.decided_at != decision.decided_at:
        raise InvalidInput(
            f"That approval is about an older go decision on {pilot.key}; "
            f"`/pilot status {pilot.key}` shows where it stands."
        )
    facts = pilot_facts(pilot, now)
    if facts.pending_decision is None or not may_approve(by, facts, facts.pending_decision):
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


def guard_locked(
    pilot: Pilot,
    changes: Mapping[LockedField, LockedValue],
    reason: str | None,
    by: str,
    now: datetime,
) -> None:
    """Refuses a change to the yardstick of a pilot with readings unless it says why, and
    keeps each reasoned change as an amendment."""
    facts = pilot_facts(pilot, now)
    locked = locked_changes(facts, changes)
    if not locked:
        return
    if not reason:
        raise InvalidInput(lock_refusal(pilot.key, locked))
    for change in amendments_for(facts, changes, reason=reason, by=by, at=now):
        amend(pilot, change.field, change.before, change.after, reason, by, now)


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
