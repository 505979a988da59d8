"""From stored rows to the plain facts the readiness rules read, as of an instant."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from bot.governance.facts import DecisionRecord, Measurement, PilotFacts
from bot.governance.vocabulary import Better, Cadence, Decision, RaciArea, RaciRole
from storage.models import Measurement as StoredMeasurement
from storage.models import MeasurementKind, Pilot

BASELINE = MeasurementKind.BASELINE
READING = MeasurementKind.READING


def pilot_facts(pilot: Pilot, as_of: datetime) -> PilotFacts:
    """Only what was recorded at or before `as_of` counts, so a verdict can be replayed."""
    baselines = _measurements(pilot, BASELINE, as_of)
    readings = _measurements(pilot, READING, as_of)
    decisions = [d for d in pilot.decisions if d.decided_at <= as_of]
    latest = max(decisions, key=lambda d: (d.decided_at, d.id)) if decisions else None
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
        eval_size=pilot.eval_size,
        eval_score=pilot.eval_score,
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
        latest_decision=DecisionRecord(
            decision=Decision(latest.decision),
            by=latest.decided_by,
            at=latest.decided_at,
            rationale=latest.rationale,
        )
        if latest
        else None,
        raci=dict(raci),
    )


def _measurements(pilot: Pilot, kind: MeasurementKind, as_of: datetime) -> list[Measurement]:
    rows: list[StoredMeasurement] = sorted(
        (m for m in pilot.measurements if m.kind == kind and m.recorded_at <= as_of),
        key=lambda m: (m.recorded_at, m.id),
    )
    return [Measurement(m.value, m.recorded_at, m.recorded_by, m.note) for m in rows]
