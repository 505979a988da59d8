"""The plain data a pilot's chart is drawn from, read as of an instant (anyone in the
workspace may read it)."""

from __future__ import annotations

from datetime import datetime

from bot.charts.series import GuardrailSeries, MetricSeries
from bot.governance.vocabulary import Better, MeasurementKind
from bot.services.actors import Actor
from bot.services.commands import PilotKey
from bot.services.pilots import find_pilot
from storage.unit_of_work import UnitOfWork


def pilot_series(
    uow: UnitOfWork, actor: Actor, key: PilotKey, now: datetime
) -> tuple[MetricSeries, tuple[GuardrailSeries, ...]]:
    pilot = find_pilot(uow, actor.team_id, key)
    readings = tuple(
        (m.recorded_at, m.value)
        for m in sorted(pilot.measurements, key=lambda m: (m.recorded_at, m.id))
        if m.kind == MeasurementKind.READING.value and m.recorded_at <= now
    )
    baselines = [
        m for m in pilot.measurements
        if m.kind == MeasurementKind.BASELINE.value and m.recorded_at <= now
    ]  # fmt: skip
    baseline = max(baselines, key=lambda m: (m.recorded_at, m.id)).value if baselines else None
    series = MetricSeries(
        name=f"{pilot.key} {pilot.metric_name or 'go-live metric'}",
        unit=pilot.unit,
        better=Better(pilot.better) if pilot.better else Better.LOWER,
        readings=readings,
        baseline=baseline,
        threshold=pilot.threshold,
        decide_by=pilot.decide_by,
    )
    return series, ()
