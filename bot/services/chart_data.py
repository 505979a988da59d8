"""The plain data behind `chart <key>`: the go-live metric's readings with the lines they are
judged against, and each guardrail's readings against its limit, as of an instant.

bot.charts draws them; the Slack layer uploads the picture. Anyone in the workspace may
read them, as they may read the pilot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.charts.series import GuardrailSeries
from bot.charts.series import MetricSeries
from bot.charts.series import Reading
from bot.services.actors import Actor
from bot.services.commands import PilotKey
from bot.services.evidence import GUARDRAIL_KIND
from bot.services.facts import READING
from bot.services.facts import pilot_facts
from bot.services.pilots import find_pilot
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork

UNNAMED_METRIC = "Go-live metric"


@dataclass(frozen=True)
class ChartData:
    key: str
    # None until the metric has a direction to be judged in (`better`).
    metric: MetricSeries | None
    guardrails: tuple[GuardrailSeries, ...]


def chart_data(uow: UnitOfWork, actor: Actor, key: PilotKey, now: datetime) -> ChartData:
    pilot = find_pilot(uow, actor.team_id, key)
    facts = pilot_facts(pilot, now)
    metric = None
    if facts.better is not None:
        metric = MetricSeries(
            name=facts.metric_name or UNNAMED_METRIC,
            unit=facts.unit,
            better=facts.better,
            readings=_series(pilot, READING, None, now),
            baseline=facts.baseline.value if facts.baseline else None,
            threshold=facts.threshold,
            decide_by=facts.decide_by,
        )
    guardrails = tuple(
        GuardrailSeries(
            rail.name,
            rail.unit,
            rail.better,
            rail.limit,
            _series(pilot, GUARDRAIL_KIND, rail.name, now),
        )
        for rail in facts.guardrails
    )
    return ChartData(pilot.key, metric, guardrails)


def _series(pilot: Pilot, kind: str, metric: str | None, now: datetime) -> tuple[Reading, ...]:
    """Oldest first; what was recorded after `now` has not happened yet."""
    rows = sorted(
        (
            m
            for m in pilot.measurements
            if m.kind == kind and m.metric == metric and m.recorded_at <= now
        ),
        key=lambda m: (m.recorded_at, m.id),
    )
    return tuple((m.recorded_at, m.value) for m in rows)
