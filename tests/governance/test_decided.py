"""A decided pilot leads with its decision, with the verdict it was taken on beside it: the
words of each decision, and the verdict a final decision freezes on the owner's clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.decided import decision_words
from bot.governance.decided import pending_headline
from bot.governance.facts import DecisionRecord
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.people import person
from bot.governance.readiness import assess
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import Verdict
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import full_raci

BERLIN = ZoneInfo("Europe/Berlin")
UTC_ZONE = ZoneInfo("UTC")


def decide(
    facts: PilotFacts,
    decision: Decision,
    at: datetime,
    *,
    until: date | None = None,
    status: DecisionStatus = DecisionStatus.RECORDED,
) -> PilotFacts:
    record = DecisionRecord(decision, SPONSOR, at, "numbers are in", status, until=until)
    if status is DecisionStatus.PENDING:
        return replace(facts, pending_decision=record)
    return replace(facts, latest_decision=record)


DECIDED_AT = datetime(2026, 11, 14, 15, 0, tzinfo=UTC)


def verdict_at(facts: PilotFacts, now: str, tz: ZoneInfo = UTC_ZONE) -> Verdict:
    with freeze_time(now):
        return assess(facts, datetime.now(UTC), tz).verdict


def test_a_pilot_stopped_while_go_keeps_the_go_it_was_stopped_on() -> None:
    """The user's story: a stopped pilot shown as "🟢 Go · Stage stopped". A final decision
    freezes the assessment at its moment, so the record says what it was stopped on."""
    facts = decide(READY, Decision.NO_GO, DECIDED_AT)
    assert assess(facts, DECIDED_AT).verdict is Verdict.GO
    assert verdict_at(facts, "2026-11-16T10:00:00+00:00") is Verdict.GO
    # Months later, with no reading since, still the verdict it was stopped on.
    assert verdict_at(facts, "2027-05-01T10:00:00+00:00") is Verdict.GO


@pytest.mark.parametrize(
    ("decision", "until", "today", "words"),
    [
        (Decision.GO, None, None, "Approved for production"),
        (Decision.NO_GO, None, None, "Stopped"),
        (Decision.EXTEND, date(2027, 3, 5), None, "Extended to 2027-03-05"),
        (Decision.EXTEND, date(2027, 3, 5), date(2026, 11, 16), "Extended to 5\u00a0Mar\u00a02027"),
        (Decision.EXTEND, date(2027, 3, 5), date(2027, 1, 4), "Extended to 5\u00a0Mar"),
        (Decision.EXTEND, None, date(2026, 11, 16), "Extended"),
    ],
)
def test_each_decision_has_its_words(
    decision: Decision, until: date | None, today: date | None, words: str
) -> None:
    assert decision_words(decision, until, today) == words


def test_the_verdict_when_decided_is_read_on_the_owners_clock_across_a_dst_change() -> None:
    """A Berlin reading of Monday 19 Oct 10:00 CEST is current until Monday 26 Oct 10:00 CET;
    a go at 09:30 CET that Monday was taken on a Go verdict there, not in UTC terms."""
    read = Measurement(9, datetime(2026, 10, 19, 8, 0, tzinfo=UTC))
    facts = decide(
        replace(READY, latest_reading=read), Decision.GO, datetime(2026, 10, 26, 8, 30, tzinfo=UTC)
    )
    now = "2026-11-02T09:00:00+00:00"
    assert verdict_at(facts, now, BERLIN) is Verdict.GO
    assert verdict_at(facts, now, UTC_ZONE) is Verdict.NOT_READY


def test_a_pending_override_names_who_must_approve_it() -> None:
    not_ready = replace(READY, rollback=False, raci=full_raci(ACCOUNTABLE))
    facts = replace(
        not_ready,
        pending_decision=DecisionRecord(
            Decision.GO, OWNER, DECIDED_AT, "worth the risk", DecisionStatus.PENDING
        ),
    )
    assert pending_headline(facts) == f"Go decision waiting for approval by {person(SPONSOR)}"
    by_sponsor = decide(not_ready, Decision.GO, DECIDED_AT, status=DecisionStatus.PENDING)
    assert pending_headline(by_sponsor) == (
        f"Go decision waiting for approval by {person(ACCOUNTABLE)}"
    )
    nobody = replace(by_sponsor, raci={})
    assert pending_headline(nobody) == (
        "Go decision waiting for approval: nobody else can approve it yet"
    )
    assert pending_headline(READY) is None


def test_verdicts_read_exactly_as_the_contract_says() -> None:
    assert [verdict.label for verdict in Verdict] == ["Go", "Not ready", "No-go", "Stalled"]
