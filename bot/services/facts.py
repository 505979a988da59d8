"""From stored rows to the plain facts the readiness rules read, as of an instant."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from bot.governance.facts import Amendment
from bot.governance.facts import DecisionRecord
from bot.governance.facts import EvaluationRun
from bot.governance.facts import EvidenceLinks
from bot.governance.facts import Guardrail
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from storage.models import Decision as StoredDecision
from storage.models import Measurement as StoredMeasurement
from storage.models import MeasurementKind
from storage.models import Pilot

BASELINE = MeasurementKind.BASELINE
READING = MeasurementKind.READING
GUARDRAIL = MeasurementKind.GUARDRAIL

# How many of the latest readings a digest or list line shows as a sparkline.
RECENT = 8


def pilot_facts(pilot: Pilot, as_of: datetime, *, sponsor_deactivated: bool = False) -> PilotFacts:
    """Only what was recorded at or before `as_of` counts, so a verdict can be replayed. A
    decision counts once it is in force (recorded, or approved by then)."""
    baselines = _measurements(pilot, BASELINE, as_of)
    readings = _measurements(pilot, READING, as_of)
    in_force = [d for d in pilot.decisions if _in_force(d, as_of)]
    latest = max(in_force, key=_order) if in_force else None
    # Only the latest decision can be waiting: a newer one supersedes a pending go.
    made = sorted((d for d in pilot.decisions if d.decided_at <= as_of), key=_order)
    pending = made[-1:] if made and not _in_force(made[-1], as_of) else []
    pending = [d for d in pending if not _rejected(d, as_of)]
    rejected = made[-1] if made and _rejected(made[-1], as_of) else None
    raci: dict[RaciArea, dict[RaciRole, tuple[str, ...]]] = defaultdict(dict)
    for entry in pilot.raci:
        role = RaciRole(entry.role)
        area = RaciArea(entry.area)
        raci[area][role] = (*raci[area].get(role, ()), entry.user_id)
    return PilotFacts(
        key=pilot.key,
        name=pilot.name,
        registered_at=pilot.registered_at,
        owner=pilot.owner_id,
        sponsor=pilot.sponsor_id,
        metric_name=pilot.metric_name,
        unit=pilot.unit,
        better=Better(pilot.better) if pilot.better else None,
        threshold=pilot.threshold,
        cadence=Cadence(pilot.cadence),
        decide_by=pilot.decide_by,
        workflow=pilot.workflow,
        eval_bar=pilot.eval_bar,
        monitoring=pilot.monitoring,
        rollback=pilot.rollback,
        cost_per_unit=pilot.cost_per_unit,
        value_per_unit=pilot.value_per_unit,
        volume=pilot.volume,
        first_baseline=baselines[0] if baselines else None,
        baseline=baselines[-1] if baselines else None,
        first_reading=readings[0] if readings else None,
        latest_reading=readings[-1] if readings else None,
        recent_values=tuple(reading.value for reading in readings[-RECENT:]),
        latest_decision=_record(latest, as_of) if latest else None,
        pending_decision=_record(pending[-1], as_of) if pending else None,
        rejected_decision=_record(rejected, as_of) if rejected else None,
        raci=dict(raci),
        currency=pilot.currency or "USD",
        sponsor_deactivated=sponsor_deactivated,
        amendments=tuple(
            Amendment(a.field, a.before, a.after, a.reason, a.amended_by, a.amended_at)
            for a in pilot.amendments
            if a.amended_at <= as_of
        ),
        evaluations=_evaluations(pilot, as_of),
        guardrails=_guardrails(pilot, as_of),
        links=EvidenceLinks(pilot.eval_report, pilot.dashboard, pilot.runbook),
    )


def _order(decision: StoredDecision) -> tuple[datetime, int]:
    return decision.decided_at, decision.id


def _in_force(decision: StoredDecision, as_of: datetime) -> bool:
    if decision.decided_at > as_of:
        return False
    if decision.status == DecisionStatus.RECORDED.value:
        return True
    return decision.status == DecisionStatus.APPROVED.value and _answered(decision, as_of)


def _rejected(decision: StoredDecision, as_of: datetime) -> bool:
    return decision.status == DecisionStatus.REJECTED.value and _answered(decision, as_of)


def _answered(decision: StoredDecision, as_of: datetime) -> bool:
    """The second person had approved or rejected it by `as_of`."""
    return decision.approved_at is not None and decision.approved_at <= as_of


def _record(decision: StoredDecision, as_of: datetime) -> DecisionRecord:
    status = DecisionStatus(decision.status)
    if status is not DecisionStatus.RECORDED and not _answered(decision, as_of):
        status = DecisionStatus.PENDING  # as it stood then
    return DecisionRecord(
        decision=Decision(decision.decision),
        by=decision.decided_by,
        at=decision.decided_at,
        rationale=decision.rationale,
        status=status,
        approved_by=decision.approved_by if status is not DecisionStatus.PENDING else None,
        approved_at=decision.approved_at if status is not DecisionStatus.PENDING else None,
        until=decision.until,
    )


def _measurements(
    pilot: Pilot, kind: MeasurementKind, as_of: datetime, metric: str | None = None
) -> list[Measurement]:
    rows: list[StoredMeasurement] = sorted(
        (
            m
            for m in pilot.measurements
            if m.kind == kind and m.metric == metric and m.recorded_at <= as_of
        ),
        key=lambda m: (m.recorded_at, m.id),
    )
    return [Measurement(m.value, m.recorded_at, m.recorded_by, m.note) for m in rows]


def _evaluations(pilot: Pilot, as_of: datetime) -> tuple[EvaluationRun, ...]:
    runs = sorted(
        (run for run in pilot.evaluations if run.recorded_at <= as_of),
        key=lambda run: (run.recorded_at, run.id),
    )
    return tuple(
        EvaluationRun(
            run.score, run.size, run.recorded_at, run.recorded_by, run.note, run.reported_at
        )
        for run in runs
    )


def _guardrails(pilot: Pilot, as_of: datetime) -> tuple[Guardrail, ...]:
    """The guardrails as they are now, less those added after `as_of` (a removed one, or an
    earlier limit, is not kept to replay), each with its latest reading by `as_of`."""
    found = []
    for rail in pilot.guardrails:  # in the order they were added
        if rail.added_at > as_of:
            continue
        readings = _measurements(pilot, GUARDRAIL, as_of, rail.name)
        latest = readings[-1] if readings else None
        found.append(Guardrail(rail.name, Better(rail.better), rail.limit, rail.unit, latest))
    return tuple(found)
