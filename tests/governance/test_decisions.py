"""Who may change, decide and approve a pilot, and what a decision needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.decisions import Override
from bot.governance.decisions import accountable_people
from bot.governance.decisions import approval_blocked
from bot.governance.decisions import approvers
from bot.governance.decisions import change_refusal
from bot.governance.decisions import extension_problem
from bot.governance.decisions import may_approve
from bot.governance.decisions import override_of
from bot.governance.facts import DecisionRecord
from bot.governance.people import person
from bot.governance.readiness import assess
from bot.governance.rights import may_change
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Verdict
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import full_raci

RACI = {
    RaciArea.INCIDENTS: {RaciRole.ACCOUNTABLE: ("U0INC",), RaciRole.RESPONSIBLE: ("U0DEV",)},
    RaciArea.REPORTING: {RaciRole.ACCOUNTABLE: ("U0REP",), RaciRole.INFORMED: ("U0CFO",)},
}


@pytest.mark.parametrize(
    ("user", "is_admin", "allowed"),
    [
        (OWNER, False, True),
        (SPONSOR, False, True),
        ("U0INC", False, True),  # Accountable of any area
        ("U0REP", False, True),
        ("U0DEV", False, False),  # Responsible is not enough
        ("U0CFO", False, False),  # nor Informed
        ("U0ADM", True, True),
        ("U0STRANGER", False, False),
    ],
)
def test_the_pilots_facts_say_who_may_change_it(user: str, is_admin: bool, allowed: bool) -> None:
    facts = replace(READY, raci=RACI)
    assert (
        may_change(
            user,
            is_admin=is_admin,
            owner=facts.owner,
            sponsor=facts.sponsor,
            accountable=accountable_people(facts),
        )
        is allowed
    )


def test_accountable_people_are_everyone_accountable_for_some_area_once() -> None:
    facts = replace(READY, raci=RACI)
    assert accountable_people(facts) == ("U0INC", "U0REP")
    assert accountable_people(replace(READY, raci=full_raci(ACCOUNTABLE))) == (ACCOUNTABLE,)
    assert accountable_people(replace(READY, raci={})) == ()


def test_the_refusal_says_who_may_change_it() -> None:
    assert change_refusal("P-3", OWNER, SPONSOR) == (
        f"You can't change P-3: only its owner {person(OWNER)}, its sponsor {person(SPONSOR)}, "
        "its Accountable people, a workspace admin can."
    )
    assert change_refusal("P-3", None, None) == (
        "You can't change P-3: only its Accountable people, a workspace admin can."
    )


# ---- extend takes a date after today, on the owner's calendar ---------------------------------


@pytest.mark.parametrize(
    ("now", "zone", "until", "problem"),
    [
        ("2026-11-16T10:00:00+00:00", "Europe/Berlin", None, "needs its new decide-by date"),
        ("2026-11-16T10:00:00+00:00", "Europe/Berlin", date(2026, 11, 16), "is not after today"),
        ("2026-11-16T10:00:00+00:00", "Europe/Berlin", date(2026, 11, 1), "is not after today"),
        ("2026-11-16T10:00:00+00:00", "Europe/Berlin", date(2026, 11, 17), None),
        # 31 December, 11:30 UTC: already 1 January in Auckland, still 31 December in New York.
        ("2026-12-31T11:30:00+00:00", "Pacific/Auckland", date(2027, 1, 1), "is not after today"),
        ("2026-12-31T11:30:00+00:00", "America/New_York", date(2027, 1, 1), None),
        # 28 February in Kolkata at 23:59 local: 1 March is after today.
        ("2026-02-28T18:29:00+00:00", "Asia/Kolkata", date(2026, 3, 1), None),
        ("2026-02-28T18:30:00+00:00", "Asia/Kolkata", date(2026, 3, 1), "is not after today"),
        # The night the clocks go back in Berlin, 23:30 local is still 25 October.
        ("2026-10-25T22:30:00+00:00", "Europe/Berlin", date(2026, 10, 26), None),
    ],
)
def test_an_extension_needs_a_new_date_after_today(
    now: str, zone: str, until: date | None, problem: str | None
) -> None:
    with freeze_time(now):
        answer = extension_problem(until, datetime.now(UTC), ZoneInfo(zone))
    if problem is None:
        assert answer is None
    else:
        assert answer is not None
        assert problem in answer
        assert "`until:YYYY-MM-DD`" in answer


def test_the_refusal_names_the_date_and_today() -> None:
    answer = extension_problem(date(2026, 11, 16), NOW, ZoneInfo("UTC"))
    assert answer == (
        "The new decide-by date 2026-11-16 is not after today (2026-11-16): pick a later day "
        "with `until:YYYY-MM-DD`."
    )


# ---- overrides and their approval ---------------------------------------------------------------


def test_a_go_while_not_ready_is_an_override_that_records_the_open_gaps() -> None:
    assessment = assess(FRESH, NOW)
    assert assessment.verdict is Verdict.NOT_READY
    override = override_of(Decision.GO, assessment)
    assert override == Override(Verdict.NOT_READY, assessment.gaps)
    assert len(override.gaps) == 10


def test_a_go_on_go_and_any_no_go_or_extend_are_recorded_at_once() -> None:
    assert override_of(Decision.GO, assess(READY, NOW)) is None
    for decision in (Decision.NO_GO, Decision.EXTEND):
        assert override_of(decision, assess(FRESH, NOW)) is None


def test_the_sponsor_approves_an_override_someone_else_took() -> None:
    facts = replace(READY, raci=full_raci(ACCOUNTABLE))
    assert approvers(facts, OWNER) == (SPONSOR,)
    assert approvers(facts, ACCOUNTABLE) == (SPONSOR,)
    pending = DecisionRecord(Decision.GO, OWNER, NOW, "worth it", DecisionStatus.PENDING)
    assert may_approve(SPONSOR, facts, pending)
    assert not may_approve(OWNER, facts, pending)
    assert not may_approve(ACCOUNTABLE, facts, pending)


def test_when_the_sponsor_decided_the_accountable_of_reporting_approves() -> None:
    facts = replace(READY, raci=full_raci(ACCOUNTABLE))
    assert approvers(facts, SPONSOR) == (ACCOUNTABLE,)
    pending = DecisionRecord(Decision.GO, SPONSOR, NOW, "worth it", DecisionStatus.PENDING)
    assert may_approve(ACCOUNTABLE, facts, pending)
    assert not may_approve(SPONSOR, facts, pending)
    assert approval_blocked(facts, SPONSOR) is None


def test_never_the_one_who_decided() -> None:
    facts = replace(READY, raci=full_raci(SPONSOR))  # the sponsor is Accountable for reporting
    assert approvers(facts, SPONSOR) == ()
    blocked = approval_blocked(facts, SPONSOR)
    assert blocked is not None
    assert "`/pilot raci P-3 reporting A @name`" in blocked


def test_a_sponsor_who_left_or_is_missing_leaves_it_to_reporting() -> None:
    facts = replace(READY, raci=full_raci(ACCOUNTABLE))
    assert approvers(replace(facts, sponsor_deactivated=True), OWNER) == (ACCOUNTABLE,)
    assert approvers(replace(facts, sponsor=None), OWNER) == (ACCOUNTABLE,)
    assert approvers(replace(facts, sponsor=None, raci={}), OWNER) == ()
