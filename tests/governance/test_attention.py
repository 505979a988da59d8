"""What each person must do now for a pilot (bot.governance.attention), in plain asserts."""

from __future__ import annotations

from dataclasses import replace

from bot.governance.attention import needs_from
from bot.governance.attention import roles_of
from bot.governance.facts import DecisionRecord
from bot.governance.people import person
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import full_raci
from tests.slack.blocks.factory import report_of


def test_roles_name_owner_sponsor_and_raci() -> None:
    raci = {
        RaciArea.INCIDENTS: {RaciRole.ACCOUNTABLE: (OWNER,), RaciRole.INFORMED: (SPONSOR,)},
        RaciArea.CHANGES: {RaciRole.ACCOUNTABLE: (OWNER,), RaciRole.RESPONSIBLE: ("U0DEV",)},
        RaciArea.REPORTING: {RaciRole.RESPONSIBLE: (OWNER,)},
    }
    facts = replace(READY, raci=raci)
    assert roles_of(facts, OWNER) == (
        "owner",
        "Responsible for reporting",
        "Accountable for incidents, changes",
    )
    assert roles_of(facts, SPONSOR) == ("sponsor", "Informed for incidents")
    assert roles_of(facts, "U0DEV") == ("Responsible for changes",)
    assert roles_of(facts, "U0NOBODY") == ()
    assert roles_of(facts, "") == ()


def test_the_owner_gets_every_open_gap() -> None:
    report = report_of(FRESH)
    assert needs_from(FRESH, report.assessment, OWNER) == report.assessment.gaps
    assert len(report.assessment.gaps) == 10


def test_nobody_is_asked_anything_for_a_ready_pilot_but_the_sponsor() -> None:
    report = report_of(READY)
    assert needs_from(READY, report.assessment, OWNER) == ()
    assert needs_from(READY, report.assessment, ACCOUNTABLE) == ()
    assert needs_from(READY, report.assessment, "U0OTHER") == ()
    needs = needs_from(READY, report.assessment, SPONSOR)
    assert len(needs) == 1
    assert needs[0].startswith("decide: ready for a go decision")
    assert "`/pilot decide P-3 go|no-go|extend <why>`" in needs[0]


def test_the_sponsor_is_told_when_the_decision_is_overdue() -> None:
    report = report_of(NO_GO)
    assert report.assessment.decision_overdue
    needs = needs_from(NO_GO, report.assessment, SPONSOR)
    assert len(needs) == 1
    assert needs[0].startswith("decision overdue: the decide-by date 2026-11-01 has passed")


def test_the_sponsor_of_a_stalled_pilot_is_asked_to_chase_the_owner() -> None:
    report = report_of(STALLED)
    assert needs_from(STALLED, report.assessment, SPONSOR) == (
        f"stalled: ask {person(OWNER)} for a reading",
    )
    owner_needs = needs_from(STALLED, report.assessment, OWNER)
    assert any("`/pilot update P-9 <number>`" in need for need in owner_needs)


def test_a_stalled_pilot_without_an_owner_asks_the_sponsor_to_name_one() -> None:
    facts = replace(STALLED, owner=None)
    needs = needs_from(facts, report_of(facts).assessment, SPONSOR)
    assert needs[0].startswith("stalled with no owner")


def test_an_accountable_person_gets_the_raci_gap() -> None:
    raci = full_raci()
    raci[RaciArea.REPORTING] = {}
    raci[RaciArea.CHANGES] = {RaciRole.ACCOUNTABLE: (ACCOUNTABLE, "U0TWO")}
    facts = replace(READY, raci=raci)
    report = report_of(facts)
    gap = report.assessment.check(CheckId.RACI).gap
    assert gap is not None
    assert needs_from(facts, report.assessment, ACCOUNTABLE) == (gap,)
    assert needs_from(facts, report.assessment, "U0TWO") == (gap,)
    # The owner sees it once, among their gaps.
    assert needs_from(facts, report.assessment, OWNER).count(gap) == 1


def test_a_person_with_several_roles_gets_each_thing_once() -> None:
    facts = replace(FRESH, sponsor=OWNER, raci=full_raci(OWNER) | {RaciArea.REPORTING: {}})
    report = report_of(facts)
    needs = needs_from(facts, report.assessment, OWNER)
    assert needs == report.assessment.gaps
    assert len(set(needs)) == len(needs)


def test_after_a_final_decision_nobody_is_asked_anything() -> None:
    for decision in (Decision.GO, Decision.NO_GO):
        facts = decided(NO_GO, decision)
        report = report_of(facts)
        for someone in (OWNER, SPONSOR, ACCOUNTABLE):
            assert needs_from(facts, report.assessment, someone) == ()


def test_an_extension_keeps_the_owner_at_work() -> None:
    facts = decided(FRESH, Decision.EXTEND)
    report = report_of(facts)
    assert needs_from(facts, report.assessment, OWNER) == report.assessment.gaps


def test_whoever_may_approve_an_override_is_asked_to_even_after_a_no_go() -> None:
    pending = DecisionRecord(Decision.GO, OWNER, ago(hours=2), "worth it", DecisionStatus.PENDING)
    facts = replace(decided(NO_GO, Decision.NO_GO), pending_decision=pending)
    report = report_of(facts)
    assert needs_from(facts, report.assessment, SPONSOR) == (
        f"approve or reject: {person(OWNER)} decided go while the verdict is No-go; use "
        "Approve or Reject in the message pilotgate sent you",
    )
    assert needs_from(facts, report.assessment, OWNER) == ()


def test_no_need_carries_slack_markup() -> None:
    for facts in (FRESH, READY, STALLED, NO_GO, replace(STALLED, sponsor_deactivated=True)):
        report = report_of(facts)
        for someone in (OWNER, SPONSOR, ACCOUNTABLE):
            for need in needs_from(facts, report.assessment, someone):
                assert "<@" not in need
                assert "<!" not in need
