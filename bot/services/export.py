"""The portfolio as export records (contract: "Export record"), in JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC
from datetime import datetime
from typing import Any

from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import STAGE_AFTER_DECISION
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Stage
from bot.services.pilots import Standing
from bot.services.pilots import report
from bot.services.pilots import standings
from storage import pilots as pilot_store
from storage.models import Decision as StoredDecision
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork

FORMATS = ("json", "csv")


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export_records(
    uow: UnitOfWork, at: datetime, team_id: str | None = None
) -> list[dict[str, Any]]:
    """Every workspace's pilots (or one workspace's) as they stood at `at`: later pilots,
    readings and decisions are left out, and verdicts are worked out as of that instant."""
    pilots = [p for p in pilot_store.list_pilots(uow.session, team_id) if p.registered_at <= at]
    known = standings(uow, pilots)
    return [_record(pilot, at, known[pilot.id]) for pilot in pilots]


def pilot_record(uow: UnitOfWork, pilot: Pilot, at: datetime) -> dict[str, Any]:
    """One pilot's export record as of `at`."""
    return _record(pilot, at, standings(uow, [pilot])[pilot.id])


def _record(pilot: Pilot, at: datetime, known: Standing) -> dict[str, Any]:
    pilot_report = report(pilot, at, known.owner_zone, sponsor_gone=known.sponsor_gone)
    facts = pilot_report.facts
    raci: dict[str, dict[str, list[str]]] = {}
    for area in RaciArea:
        roles = facts.raci.get(area, {})
        held = {role.value: list(roles[role]) for role in RaciRole if roles.get(role)}
        if held:
            raci[area.value] = held
    return {
        "key": facts.key,
        "name": facts.name,
        "team_id": pilot.team_id,
        "owner": facts.owner,
        "sponsor": facts.sponsor,
        "stage": stage_as_of(facts).value,
        "verdict": pilot_report.assessment.verdict.value,
        "gaps": list(pilot_report.assessment.gaps),
        "metric": {
            "name": facts.metric_name,
            "unit": facts.unit,
            "better": facts.better.value if facts.better else None,
            "threshold": facts.threshold,
            "baseline": facts.baseline.value if facts.baseline else None,
            "latest": facts.latest_reading.value if facts.latest_reading else None,
        },
        "cadence": facts.cadence.value,
        "decide_by": facts.decide_by.isoformat() if facts.decide_by else None,
        "raci": raci,
        "decisions": [
            _decision(d, at)
            for d in sorted(pilot.decisions, key=lambda d: (d.decided_at, d.id))
            if d.decided_at <= at
        ],
        "amendments": [
            {
                "field": a.field,
                "from": a.before,
                "to": a.after,
                "reason": a.reason,
                "by": a.by,
                "at": iso_utc(a.at),
            }
            for a in facts.amendments
        ],
        "currency": facts.currency,
        "guardrails": [
            {
                "name": rail.name,
                "unit": rail.unit,
                "better": rail.better.value,
                "limit": rail.limit,
                "latest": rail.latest.value if rail.latest else None,
                "latest_at": iso_utc(rail.latest.at) if rail.latest else None,
            }
            for rail in facts.guardrails
        ],
        "evals": [
            {
                "score": run.score,
                "size": run.size,
                "at": iso_utc(run.at),
                "by": run.by,
                "note": run.note,
            }
            for run in facts.evaluations
        ],
        "links": {
            "eval_report": facts.links.eval_report,
            "dashboard": facts.links.dashboard,
            "runbook": facts.links.runbook,
        },
        "workflow": facts.workflow,
        "registered_at": iso_utc(facts.registered_at),
    }


def _decision(decision: StoredDecision, at: datetime) -> dict[str, Any]:
    """As it stood at `at`: an approval or rejection given later leaves it pending."""
    answered = decision.approved_at is not None and decision.approved_at <= at
    status = decision.status
    if status != DecisionStatus.RECORDED.value and not answered:
        status = DecisionStatus.PENDING.value
    return {
        "decision": decision.decision,
        "by": decision.decided_by,
        "at": iso_utc(decision.decided_at),
        "rationale": decision.rationale,
        "status": status,
        "approved_by": decision.approved_by if answered else None,
        "until": decision.until.isoformat() if decision.until else None,
    }


def stage_as_of(facts: PilotFacts) -> Stage:
    """The stage as it stood when `facts` were taken (they hold only what was recorded by
    then): what the latest decision made it, else piloting once anything was measured, else
    proposed."""
    if facts.latest_decision is not None:
        return STAGE_AFTER_DECISION[facts.latest_decision.decision]
    if facts.baseline is not None or facts.latest_reading is not None:
        return Stage.PILOTING
    return Stage.PROPOSED


def to_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False)


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """One row per pilot: nested objects become dotted columns (`metric.threshold`,
    `raci.incidents.A`), lists become JSON text in their cell."""
    rows = [_flatten(record) for record in records]
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


_SCALARS = ("key", "name", "team_id", "owner", "sponsor", "stage", "verdict")
_METRIC = ("name", "unit", "better", "threshold", "baseline", "latest")
_LINKS = ("eval_report", "dashboard", "runbook")


def _columns() -> list[str]:
    return [
        *_SCALARS,
        "gaps",
        *(f"metric.{part}" for part in _METRIC),
        "cadence",
        "decide_by",
        *(f"raci.{area.value}.{role.value}" for area in RaciArea for role in RaciRole),
        "decisions",
        "amendments",
        "currency",
        "guardrails",
        "evals",
        *(f"links.{link}" for link in _LINKS),
        "workflow",
        "registered_at",
    ]


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {name: record[name] for name in _SCALARS}
    row["gaps"] = json.dumps(record["gaps"], ensure_ascii=False)
    for part in _METRIC:
        row[f"metric.{part}"] = record["metric"][part]
    row["cadence"] = record["cadence"]
    row["decide_by"] = record["decide_by"]
    for area in RaciArea:
        for role in RaciRole:
            holders = record["raci"].get(area.value, {}).get(role.value, [])
            row[f"raci.{area.value}.{role.value}"] = " ".join(holders)
    row["decisions"] = json.dumps(record["decisions"], ensure_ascii=False)
    row["amendments"] = json.dumps(record["amendments"], ensure_ascii=False)
    row["currency"] = record["currency"]
    row["guardrails"] = json.dumps(record["guardrails"], ensure_ascii=False)
    row["evals"] = json.dumps(record["evals"], ensure_ascii=False)
    for link in _LINKS:
        row[f"links.{link}"] = record["links"][link]
    row["workflow"] = record["workflow"]
    row["registered_at"] = record["registered_at"]
    return row
