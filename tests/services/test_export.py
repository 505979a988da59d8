"""The export record of the contract, in JSON and CSV, as of an instant."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot.services.export import export_records
from bot.services.export import to_csv
from bot.services.export import to_json
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import OTHER_TEAM
from tests.services.conftest import SPONSOR
from tests.services.conftest import Portfolio

RECORD_FIELDS = [
    "key", "name", "team_id", "owner", "sponsor", "stage", "verdict", "gaps", "metric",
    "cadence", "decide_by", "raci", "decisions", "amendments", "currency",
]  # fmt: skip


def fill(portfolio: Portfolio) -> None:
    key = portfolio.register(
        name="Support drafting",
        at=NOW - timedelta(days=30),
        sponsor="<@U0SPO|sam>",
        metric="handle time",
        unit="min",
        better="lower",
        threshold="9.8",
        **{"decide-by": "2026-12-15", "eval-size": "150", "eval-score": "93"},
    )
    portfolio.run(ANN, f"baseline {key} 14", NOW - timedelta(days=20))
    portfolio.run(ANN, f"update {key} 10.5", NOW - timedelta(days=10))
    portfolio.run(ANN, f"guardrail {key} errors lower 2 %", NOW - timedelta(days=8))
    portfolio.run(ANN, f"eval {key} 96 prompt v2", NOW - timedelta(days=2))
    portfolio.run(
        ANN,
        f"set {key} eval-report:https://eval.example/r/1 runbook:<https://wiki.example/rb>",
    )
    portfolio.run(ANN, f"update {key} 9 errors:1.5", NOW)
    portfolio.run(ANN, f"raci {key} incidents A <@U0ANN>")
    portfolio.run(ANN, f"raci {key} incidents I <@U0SPO> <@U0BEA>")
    portfolio.run(
        SPONSOR, f"decide {key} extend until:2027-01-15 one more month", NOW + timedelta(hours=1)
    )
    portfolio.register(actor=OTHER_TEAM, name="Elsewhere", at=NOW - timedelta(days=7))


def test_the_record_has_the_contract_fields_with_their_types(portfolio: Portfolio) -> None:
    fill(portfolio)
    with portfolio.uow(ANN) as uow:
        records = export_records(uow, NOW + timedelta(hours=2))
    assert [(r["team_id"], r["key"]) for r in records] == [("T1", "P-1"), ("T2", "P-1")]
    record = records[0]
    assert list(record)[: len(RECORD_FIELDS)] == RECORD_FIELDS
    assert record["owner"] == "U0ANN"
    assert record["sponsor"] == "U0SPO"
    assert record["stage"] == "extended"
    assert record["verdict"] == "not_ready"
    assert all(isinstance(gap, str) and gap for gap in record["gaps"])
    assert record["metric"] == {
        "name": "handle time", "unit": "min", "better": "lower",
        "threshold": 9.8, "baseline": 14.0, "latest": 9.0,
    }  # fmt: skip
    assert record["cadence"] == "weekly"
    assert record["decide_by"] == "2027-01-15"  # the extension moved it
    assert record["raci"] == {"incidents": {"A": ["U0ANN"], "I": ["U0SPO", "U0BEA"]}}
    assert record["decisions"] == [
        {"decision": "extend", "by": "U0SPO", "at": "2026-11-16T11:00:00Z",
         "rationale": "one more month", "status": "recorded", "approved_by": None,
         "until": "2027-01-15"}
    ]  # fmt: skip
    assert record["amendments"] == []
    assert record["currency"] == "USD"
    assert record["guardrails"] == [
        {"name": "errors", "unit": "%", "better": "lower", "limit": 2.0, "latest": 1.5,
         "latest_at": "2026-11-16T10:00:00Z"}
    ]  # fmt: skip
    assert record["evals"] == [
        {"score": 93.0, "size": 150, "at": "2026-10-17T10:00:00Z", "by": "U0ANN", "note": None},
        {"score": 96.0, "size": 150, "at": "2026-11-14T10:00:00Z", "by": "U0ANN",
         "note": "prompt v2"},
    ]  # fmt: skip
    assert record["links"] == {
        "eval_report": "https://eval.example/r/1",
        "dashboard": None,
        "runbook": "https://wiki.example/rb",
    }
    empty = records[1]
    assert empty["sponsor"] is None
    assert empty["metric"]["threshold"] is None
    assert empty["raci"] == {}
    assert empty["decisions"] == []
    assert (empty["guardrails"], empty["evals"]) == ([], [])
    assert empty["links"] == {"eval_report": None, "dashboard": None, "runbook": None}
    assert json.loads(to_json(records)) == records


def test_an_earlier_instant_leaves_out_what_came_later(portfolio: Portfolio) -> None:
    fill(portfolio)
    with portfolio.uow(ANN) as uow:
        earlier = export_records(uow, NOW - timedelta(days=5))
        before_anything = export_records(uow, NOW - timedelta(days=1000))
        before_the_guardrail = export_records(uow, NOW - timedelta(days=9))[0]
    assert [r["key"] for r in earlier] == ["P-1", "P-1"]
    assert earlier[0]["metric"]["latest"] == 10.5
    assert earlier[0]["decisions"] == []
    assert earlier[0]["stage"] == "piloting"  # the extension came later
    # The guardrail was there, not yet read; the second run had not happened.
    assert [(g["name"], g["latest"]) for g in earlier[0]["guardrails"]] == [("errors", None)]
    assert [run["score"] for run in earlier[0]["evals"]] == [93.0]
    assert before_the_guardrail["guardrails"] == []
    assert before_anything == []


def test_csv_flattens_one_row_per_pilot(portfolio: Portfolio) -> None:
    fill(portfolio)
    with portfolio.uow(ANN) as uow:
        records = export_records(uow, NOW + timedelta(hours=2))
    rows = list(csv.DictReader(io.StringIO(to_csv(records))))
    assert len(rows) == 2
    row = rows[0]
    assert row["metric.threshold"] == "9.8"
    assert row["raci.incidents.I"] == "U0SPO U0BEA"
    assert row["raci.changes.A"] == ""
    assert json.loads(row["gaps"]) == records[0]["gaps"]
    assert json.loads(row["decisions"])[0]["decision"] == "extend"
    assert json.loads(row["guardrails"]) == records[0]["guardrails"]
    assert [run["score"] for run in json.loads(row["evals"])] == [93.0, 96.0]
    assert (row["links.eval_report"], row["links.dashboard"]) == ("https://eval.example/r/1", "")
    assert rows[1]["sponsor"] == ""


def test_an_empty_portfolio_exports_an_empty_list(portfolio: Portfolio) -> None:
    with portfolio.uow(ANN) as uow:
        records = export_records(uow, NOW)
    assert to_json(records) == "[]"
    assert to_csv(records).splitlines()[0].startswith("key,name,team_id,owner,sponsor,stage")
