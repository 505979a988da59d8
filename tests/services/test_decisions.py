"""The decision loop's use cases on SQLite and PostgreSQL: goalposts locked once readings
began, the sponsor's acceptance of a late baseline, extensions that move the date, and a go
over open gaps that waits for a second person."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from bot.errors import InvalidInput
from bot.errors import NotAllowed
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Stage
from bot.governance.vocabulary import Verdict
from bot.services.export import export_records
from tests.services.conftest import ADMIN
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import SPONSOR
from tests.services.conftest import STRANGER
from tests.services.conftest import Portfolio

WEEK = timedelta(days=7)


def piloting(portfolio: Portfolio) -> str:
    """A pilot with a baseline of 12 and a first reading of 9 (threshold 8, lower is better)."""
    key = portfolio.register(
        at=NOW - 3 * WEEK, sponsor="<@U0SPO>", metric="handle time", unit="min",
        better="lower", threshold="8",
    )  # fmt: skip
    portfolio.run(ANN, f"baseline {key} 12", NOW - 3 * WEEK)
    portfolio.run(ANN, f"update {key} 9", NOW - WEEK)
    return key


def test_the_threshold_is_locked_once_readings_began(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    before = portfolio.audit_count()
    with pytest.raises(InvalidInput) as refused:
        portfolio.set(ANN, key, threshold="9.5")
    assert str(refused.value) == (
        "P-1 has readings, so its threshold is locked: change it with a reason, "
        '`/pilot set P-1 threshold:<value> reason:"…"`'
    )
    assert portfolio.audit_count() == before
    assert portfolio.read(key).facts.threshold == 8


def test_a_locked_change_with_a_reason_is_kept_as_an_amendment(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    report = portfolio.run(SPONSOR, f'set {key} threshold:9.5 reason:"agreed with finance"')
    assert report.facts.threshold == 9.5
    (amendment,) = report.facts.amendments
    assert (amendment.field, amendment.before, amendment.after) == ("threshold", "8", "9.5")
    assert (amendment.reason, amendment.by, amendment.at) == ("agreed with finance", "U0SPO", NOW)


def test_unlocked_fields_and_unchanged_values_need_no_reason(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    assert portfolio.set(ANN, key, threshold="8", workflow="Zendesk").facts.amendments == ()


def test_before_any_reading_nothing_is_locked(portfolio: Portfolio) -> None:
    key = portfolio.register(threshold="8", better="lower")
    portfolio.run(ANN, f"baseline {key} 12")
    report = portfolio.run(ANN, f"baseline {key} 12.5")
    assert report.facts.baseline is not None
    assert report.facts.baseline.value == 12.5
    assert portfolio.set(ANN, key, threshold="9").facts.amendments == ()


def test_a_baseline_measured_again_needs_a_reason_and_is_told(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    with pytest.raises(InvalidInput, match='reason:"…"'):
        portfolio.run(ANN, f"baseline {key} 8.2")
    report = portfolio.run(ANN, f'baseline {key} 8.2 reason:"re-measured on the full queue"')
    assert report.facts.baseline is not None
    assert report.facts.baseline.value == 8.2
    (amendment,) = report.facts.amendments
    assert (amendment.field, amendment.before, amendment.after) == ("baseline", "12", "8.2")


def late_baseline(portfolio: Portfolio) -> str:
    key = portfolio.register(at=NOW - 3 * WEEK, sponsor="<@U0SPO>")
    portfolio.run(ANN, f"update {key} 9", NOW - 2 * WEEK)
    portfolio.run(ANN, f'baseline {key} 12 reason:"forgot to measure first"', NOW - WEEK)
    return key


def test_only_the_sponsor_accepts_a_late_baseline_and_the_gap_closes(
    portfolio: Portfolio,
) -> None:
    key = late_baseline(portfolio)
    assert any("after readings began" in gap for gap in portfolio.read(key).assessment.gaps)
    for someone in (ANN, ADMIN):
        with pytest.raises(NotAllowed, match="Only the sponsor"):
            portfolio.run(someone, f"accept {key} baseline measured the same week")
    report = portfolio.run(SPONSOR, f"accept {key} baseline measured the same week")
    assert report.facts.baseline_accepted
    assert not any("after readings began" in gap for gap in report.assessment.gaps)
    accepted = report.facts.amendments[-1]
    assert (accepted.field, accepted.reason, accepted.by) == (
        "baseline-accepted", "measured the same week", "U0SPO",
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="no late baseline"):
        portfolio.run(SPONSOR, f"accept {key} baseline again")


def test_a_baseline_in_time_has_nothing_to_accept(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    with pytest.raises(InvalidInput, match="no late baseline"):
        portfolio.run(SPONSOR, f"accept {key} baseline fine")


def test_extend_moves_the_decide_by_date(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    portfolio.set(ANN, key, **{"decide-by": "2026-11-20"})
    report = portfolio.run(SPONSOR, f"decide {key} extend until:2027-03-05 more data")
    assert report.facts.decide_by == date(2027, 3, 5)
    assert report.stage is Stage.EXTENDED
    assert report.facts.latest_decision is not None
    assert report.facts.latest_decision.until == date(2027, 3, 5)


@pytest.mark.parametrize("until", ["2026-11-16", "2026-11-01"], ids=["today", "past"])
def test_extend_to_today_or_before_is_refused_and_changes_nothing(
    portfolio: Portfolio, until: str
) -> None:
    key = piloting(portfolio)
    before = portfolio.audit_count()
    with pytest.raises(InvalidInput, match="is not after today"):
        portfolio.run(SPONSOR, f"decide {key} extend until:{until} more data")
    assert portfolio.audit_count() == before


def test_extend_until_is_read_on_the_owners_clock(portfolio: Portfolio) -> None:
    from storage import people

    with portfolio.uow(ANN) as uow:
        people.remember_person(uow.session, "T1", ANN.user_id, "Pacific/Auckland", False, NOW)
        uow.commit()
    key = piloting(portfolio)
    # 12:00 UTC on 16 November is already the 17th in Auckland: the 17th is not after today.
    with pytest.raises(InvalidInput, match=r"not after today \(2026-11-17\)"):
        portfolio.run(
            SPONSOR, f"decide {key} extend until:2026-11-17 more data", NOW + timedelta(hours=2)
        )


def test_a_go_over_open_gaps_waits_for_the_sponsor(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    report = portfolio.run(ANN, f"decide {key} go good enough")
    assert report.assessment.verdict is not Verdict.GO
    assert report.stage is Stage.PILOTING  # not approved yet
    pending = report.facts.pending_decision
    assert pending is not None
    assert pending.status is DecisionStatus.PENDING
    assert "second person's approval" in report.warnings[0]
    with pytest.raises(NotAllowed, match="never the one who took it"):
        portfolio.review(ANN, key, approve=True)
    approved = portfolio.review(SPONSOR, key, approve=True)
    assert approved.stage is Stage.APPROVED
    assert approved.facts.pending_decision is None
    assert approved.facts.latest_decision is not None
    assert (approved.facts.latest_decision.status, approved.facts.latest_decision.approved_by) == (
        DecisionStatus.APPROVED, "U0SPO",
    )  # fmt: skip


def test_a_newer_decision_supersedes_a_go_still_waiting(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    portfolio.run(ANN, f"decide {key} go good enough")
    report = portfolio.run(SPONSOR, f"decide {key} no-go not with these gaps")
    assert report.stage is Stage.STOPPED
    assert report.facts.pending_decision is None
    with pytest.raises(InvalidInput, match="no decision waiting"):
        portfolio.review(SPONSOR, key, approve=True)
    assert portfolio.read(key).stage is Stage.STOPPED


def test_a_rejected_go_leaves_the_stage_as_it_was(portfolio: Portfolio) -> None:
    key = piloting(portfolio)
    portfolio.run(ANN, f"decide {key} go good enough")
    rejected = portfolio.review(SPONSOR, key, approve=False, at=NOW + timedelta(hours=1))
    assert rejected.stage is Stage.PILOTING
    assert rejected.facts.pending_decision is None
    assert rejected.facts.latest_decision is None
    with portfolio.uow(ANN) as uow:
        (record,) = [r for r in export_records(uow, NOW + timedelta(hours=2)) if r["key"] == key]
    assert [(d["status"], d["approved_by"]) for d in record["decisions"]] == [("rejected", "U0SPO")]
    with portfolio.uow(ANN) as uow:
        (earlier,) = [
            r for r in export_records(uow, NOW + timedelta(minutes=30)) if r["key"] == key
        ]
    assert [(d["status"], d["approved_by"]) for d in earlier["decisions"]] == [("pending", None)]


def test_when_the_sponsor_decided_the_accountable_of_reporting_approves(
    portfolio: Portfolio,
) -> None:
    key = piloting(portfolio)
    portfolio.run(ANN, f"raci {key} reporting A <@U0XYZ>")
    portfolio.run(SPONSOR, f"decide {key} go the board wants it")
    with pytest.raises(NotAllowed):
        portfolio.review(SPONSOR, key, approve=True)
    assert portfolio.review(STRANGER, key, approve=True).stage is Stage.APPROVED


def test_a_go_with_nobody_to_approve_it_waits_and_says_so(portfolio: Portfolio) -> None:
    key = portfolio.register()
    report = portfolio.run(ANN, f"decide {key} go ship it")
    assert report.facts.pending_decision is not None
    assert "name a sponsor" in report.warnings[0]


def test_raci_all_names_one_accountable_for_every_area(portfolio: Portfolio) -> None:
    key = portfolio.register()
    report = portfolio.run(ANN, f"raci {key} all A <@U0ACC>")
    assert {area: roles[RaciRole.ACCOUNTABLE] for area, roles in report.facts.raci.items()} == {
        area: ("U0ACC",) for area in RaciArea
    }
    report = portfolio.run(ANN, f"raci {key} all A <@U0NEW>")
    assert {roles[RaciRole.ACCOUNTABLE] for roles in report.facts.raci.values()} == {("U0NEW",)}


def test_currency_is_kept_and_exported(portfolio: Portfolio) -> None:
    key = portfolio.register(currency="eur")
    assert portfolio.read(key).facts.currency == "EUR"
