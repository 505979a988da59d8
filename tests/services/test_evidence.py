"""Evidence use cases on SQLite and PostgreSQL, driven as people type them: guardrails and
their readings, evaluation runs (from `eval` and from `set`), and evidence links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.errors import InvalidInput
from bot.governance.checks import CheckId
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import Stage
from bot.governance.vocabulary import Verdict
from bot.services import pilots
from bot.services.commands import CompletePilot
from storage.models import AuditEntry
from tests import typed
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import SPONSOR
from tests.services.conftest import STRANGER
from tests.services.conftest import Portfolio

WEEK = timedelta(days=7)


def ready(portfolio: Portfolio) -> str:
    """A pilot with every readiness check passing as of NOW: Go."""
    key = portfolio.register(
        at=NOW - 4 * WEEK, sponsor="<@U0SPO>", metric="handle time", unit="min", better="lower",
        threshold="9.8", workflow="Zendesk", monitoring="Grafana", rollback="yes",
        **{"eval-bar": "95", "eval-score": "96", "eval-size": "150", "cost-per-unit": "0.4",
           "value-per-unit": "6.5", "volume": "40000", "decide-by": "2026-12-15"},
    )  # fmt: skip
    portfolio.run(ANN, f"raci {key} all A <@U0ANN>", NOW - 4 * WEEK)
    portfolio.run(ANN, f"baseline {key} 14", NOW - 4 * WEEK)
    portfolio.run(ANN, f"update {key} 9", NOW - timedelta(days=1))
    assert portfolio.read(key).assessment.verdict is Verdict.GO
    return key


def test_a_guardrail_keeps_a_pilot_from_go_until_a_reading_within_its_limit(
    portfolio: Portfolio,
) -> None:
    key = ready(portfolio)
    report = portfolio.run(ANN, f"guardrail {key} Errors lower 2 % of drafts")
    (rail,) = report.facts.guardrails
    assert (rail.name, rail.better, rail.limit, rail.unit) == (
        "errors",
        Better.LOWER,
        2,
        "% of drafts",
    )
    assert report.assessment.verdict is Verdict.NOT_READY
    assert report.assessment.gaps == (
        "Guardrail errors has no reading yet: record one with `/pilot update P-1 errors:<number>`",
    )
    report = portfolio.run(ANN, f"update {key} errors:2.6")
    assert report.assessment.verdict is Verdict.NOT_READY
    assert "Guardrail errors reads 2.6 % of drafts, outside" in report.assessment.gaps[0]
    # The go-live metric's reading is untouched by a guardrail-only update.
    assert report.facts.latest_reading is not None
    assert report.facts.latest_reading.at == NOW - timedelta(days=1)
    report = portfolio.run(ANN, f"update {key} 9.1 errors:1.9 after the macro change")
    assert report.assessment.verdict is Verdict.GO
    assert report.facts.latest_reading is not None
    assert (report.facts.latest_reading.value, report.facts.latest_reading.note) == (
        9.1, "after the macro change",
    )  # fmt: skip
    assert report.facts.guardrails[0].latest is not None
    assert report.facts.guardrails[0].latest.value == 1.9


def test_changing_a_guardrail_keeps_its_unit_unless_given(portfolio: Portfolio) -> None:
    key = portfolio.register()
    portfolio.run(ANN, f"guardrail {key} latency lower 1.5 s")
    report = portfolio.run(ANN, f"guardrail {key} latency higher 0.5")
    (rail,) = report.facts.guardrails
    assert (rail.better, rail.limit, rail.unit) == (Better.HIGHER, 0.5, "s")


def test_a_removed_guardrail_stops_counting_and_its_readings_stay_on_record(
    portfolio: Portfolio,
) -> None:
    key = ready(portfolio)
    portfolio.run(ANN, f"guardrail {key} errors lower 2")
    portfolio.run(ANN, f"update {key} errors:3")
    report = portfolio.run(ANN, f"guardrail {key} errors remove")
    assert report.facts.guardrails == ()
    assert report.assessment.verdict is Verdict.GO
    with pytest.raises(InvalidInput) as refused:
        portfolio.run(ANN, f"guardrail {key} errors remove")
    assert str(refused.value) == (
        "P-1 has no guardrail errors; add it with "
        "`/pilot guardrail P-1 errors lower|higher <limit>`."
    )
    with portfolio.sessions() as session:
        entities = session.scalars(select(AuditEntry.entity).order_by(AuditEntry.id)).all()
    assert entities.count("guardrails") == 2  # added, removed
    assert portfolio.read(key).facts.guardrails == ()


def test_no_go_after_the_decide_by_when_a_guardrail_is_outside(portfolio: Portfolio) -> None:
    key = ready(portfolio)
    portfolio.run(ANN, f"guardrail {key} csat higher 4.2 pts")
    portfolio.run(ANN, f"update {key} 9 csat:4.0")
    after = NOW + timedelta(days=30)  # decide-by 2026-12-15 has passed
    assert portfolio.read(key, at=after).assessment.verdict is Verdict.NO_GO


def test_an_unknown_guardrail_is_refused_and_nothing_is_recorded(portfolio: Portfolio) -> None:
    key = ready(portfolio)
    portfolio.run(ANN, f"guardrail {key} errors lower 2")
    before = portfolio.audit_count()
    with pytest.raises(InvalidInput) as refused:
        portfolio.run(ANN, f"update {key} 8 errors:1 latency:2")
    assert str(refused.value) == (
        "P-1 has no guardrail latency (it has errors); add it with "
        "`/pilot guardrail P-1 latency lower|higher <limit>`."
    )
    assert portfolio.audit_count() == before
    assert portfolio.read(key).facts.latest_reading.value == 9  # type: ignore[union-attr]


def test_a_pilot_has_at_most_eight_guardrails(portfolio: Portfolio) -> None:
    key = portfolio.register()
    for number in range(8):
        portfolio.run(ANN, f"guardrail {key} g{number} lower 1")
    with pytest.raises(InvalidInput, match="has 8 guardrails"):
        portfolio.run(ANN, f"guardrail {key} one-more lower 1")
    portfolio.run(ANN, f"guardrail {key} g0 lower 2")  # changing one is fine


def test_only_those_who_may_change_a_pilot_set_its_guardrails_or_runs(
    portfolio: Portfolio,
) -> None:
    key = portfolio.register(sponsor="<@U0SPO>")
    portfolio.run(SPONSOR, f"guardrail {key} errors lower 2")
    portfolio.assert_refused(
        STRANGER,
        f"guardrail {key} errors lower 5",
        f"guardrail {key} errors remove",
        f"eval {key} 96% n:150",
        f"update {key} errors:1",
    )


def test_eval_runs_are_dated_and_the_check_reads_the_latest(portfolio: Portfolio) -> None:
    key = portfolio.register(**{"eval-bar": "95"})
    with pytest.raises(InvalidInput) as refused:
        portfolio.run(ANN, f"eval {key} 96%")
    assert str(refused.value) == (
        "Say how many examples the first run scored: `/pilot eval P-1 96% n:<examples>`."
    )
    portfolio.run(ANN, f"eval {key} 96% n:150 prompt v3", NOW - WEEK)
    report = portfolio.run(ANN, f"eval {key} 97")
    runs = report.facts.evaluations
    assert [(r.score, r.size, r.at, r.by, r.note) for r in runs] == [
        (96, 150, NOW - WEEK, "U0ANN", "prompt v3"),
        (97, 150, NOW, "U0ANN", None),  # the same set as the run before
    ]
    assert report.assessment.check(CheckId.EVALUATION).passed
    assert report.warnings == ()


def test_a_regression_is_said_at_once(portfolio: Portfolio) -> None:
    key = portfolio.register(**{"eval-bar": "90"})
    portfolio.run(ANN, f"eval {key} 99% n:150", NOW - WEEK)
    report = portfolio.run(ANN, f"eval {key} 93")
    assert report.warnings == (
        "Note: this run is a regression: it scored 93%, 6 points below the run before it (99%). "
        "Its owner and the Accountable of evaluation will hear of it.",
    )
    assert report.assessment.check(CheckId.EVALUATION).passed  # above the bar all the same
    report = portfolio.run(ANN, f"eval {key} 89 n:200", NOW + WEEK)
    assert "scored 89%, below the 90% bar" in report.warnings[0]
    assert not report.assessment.check(CheckId.EVALUATION).passed


def test_set_eval_score_records_a_run_as_eval_does(portfolio: Portfolio) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput) as refused:
        portfolio.set(ANN, key, **{"eval-size": "150"})
    assert "`eval-size` comes with the run's score" in str(refused.value)
    with pytest.raises(InvalidInput, match="first run"):
        portfolio.set(ANN, key, **{"eval-score": "96"})
    assert portfolio.read(key).facts.evaluations == ()
    portfolio.set(ANN, key, at=NOW - WEEK, **{"eval-score": "96", "eval-size": "150"})
    report = portfolio.set(ANN, key, **{"eval-score": "97.5", "eval-bar": "95"})
    assert [(r.score, r.size, r.at) for r in report.facts.evaluations] == [
        (96, 150, NOW - WEEK),
        (97.5, 150, NOW),
    ]
    assert (report.facts.eval_score, report.facts.eval_size, report.facts.eval_bar) == (
        97.5, 150, 95,
    )  # fmt: skip


def test_evidence_links_are_stored_bare_and_only_https(portfolio: Portfolio) -> None:
    key = portfolio.register()
    report = portfolio.run(
        ANN,
        f"set {key} eval-report:<https://eval.example/runs/7?a=1&amp;b=2|run 7> "
        "dashboard:https://grafana.example/d/42 runbook:<https://wiki.example/rollback>",
    )
    links = report.facts.links
    assert links.eval_report == "https://eval.example/runs/7?a=1&b=2"
    assert links.dashboard == "https://grafana.example/d/42"
    assert links.runbook == "https://wiki.example/rollback"
    before = portfolio.audit_count()
    for bad in ("http://grafana.example", "<javascript:alert(1)>", "ftp://x.example/f", "grafana"):
        with pytest.raises(InvalidInput, match="is an https:// link"):
            portfolio.run(ANN, f"set {key} dashboard:{bad}")
    assert portfolio.audit_count() == before
    assert portfolio.run(ANN, f"set {key} runbook:none").facts.links.runbook is None


def test_guardrail_readings_leave_the_stage_to_the_go_live_metric(portfolio: Portfolio) -> None:
    key = portfolio.register()
    portfolio.run(ANN, f"guardrail {key} errors lower 2")
    report = portfolio.run(ANN, f"update {key} errors:1")
    assert report.stage is Stage.PROPOSED
    assert report.facts.latest_reading is None
    assert portfolio.run(ANN, f"update {key} 9 errors:1").stage is Stage.PILOTING


def test_the_latest_run_given_again_as_fields_records_nothing_new(portfolio: Portfolio) -> None:
    """The Complete the pilot form shows the latest run; sent back untouched it adds no run."""
    key = portfolio.register()
    shown = {Field.EVAL_SCORE: 96.0, Field.EVAL_SIZE: 150}
    with portfolio.uow(ANN) as uow:
        pilots.handle(uow, ANN, CompletePilot(typed.key(key), shown), NOW - WEEK)
    with portfolio.uow(ANN) as uow:
        report = pilots.handle(uow, ANN, CompletePilot(typed.key(key), shown), NOW)
    assert [(r.score, r.size, r.at) for r in report.facts.evaluations] == [(96, 150, NOW - WEEK)]
    assert len(portfolio.set(ANN, key, **{"eval-score": "96"}).facts.evaluations) == 1
    bigger = portfolio.set(ANN, key, **{"eval-score": "96", "eval-size": "200"})
    assert [(r.score, r.size) for r in bigger.facts.evaluations] == [(96, 150), (96, 200)]
