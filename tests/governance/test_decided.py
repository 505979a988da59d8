"""A decided pilot leads with its decision, with the verdict it was taken on beside it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.decided import decided_headline
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


def headline_at(facts: PilotFacts, now: str, tz: ZoneInfo = UTC_ZONE) -> str | None:
    with freeze_time(now):
        headline = decided_headline(facts, datetime.now(UTC), tz)
    return None if headline is None else headline.line


DECIDED_AT = datetime(2026, 11, 14, 15, 0, tzinfo=UTC)


def test_a_pilot_stopped_while_go_reads_stopped_never_a_bare_go() -> None:
    """The user's story: a stopped pilot shown as "🟢 Go · Stage stopped"."""
    facts = decide(READY, Decision.NO_GO, DECIDED_AT)
    assert assess(facts, DECIDED_AT).verdict is Verdict.GO
    assert headline_at(facts, "2026-11-16T10:00:00+00:00") == "Stopped · Go when decided"
    # Months later, the record still says what was decided and on what.
    assert headline_at(facts, "2027-05-01T10:00:00+00:00") == "Stopped · Go when decided"


@pytest.mark.parametrize(
    ("decision", "until", "line"),
    [
        (Decision.GO, None, "Approved for production · Go when decided"),
        (Decision.EXTEND, date(2027, 3, 5), "Extended to 2027-03-05 · Go when decided"),
        (Decision.EXTEND, None, "Extended · Go when decided"),
    ],
)
def test_each_decision_has_its_words(decision: Decision, until: date | None, line: str) -> None:
    facts = decide(READY, decision, DECIDED_AT, until=until)
    assert headline_at(facts, "2026-11-16T10:00:00+00:00") == line


def test_an_extension_keeps_the_verdict_it_was_taken_on_while_the_pilot_goes_on() -> None:
    stale = replace(READY, latest_reading=Measurement(12, datetime(2026, 11, 1, tzinfo=UTC)))
    facts = decide(stale, Decision.EXTEND, DECIDED_AT, until=date(2027, 3, 5))
    with freeze_time("2026-11-16T10:00:00+00:00"):
        now = datetime.now(UTC)
        headline = decided_headline(facts, now)
        live = assess(facts, now)
    assert headline is not None
    assert headline.verdict_when_decided is Verdict.NOT_READY
    assert live.verdict is Verdict.NOT_READY
    assert headline.line == "Extended to 2027-03-05 · Not ready when decided"


def test_the_verdict_when_decided_is_read_on_the_owners_clock_across_a_dst_change() -> None:
    """A Berlin reading of Monday 19 Oct 10:00 CEST is current until Monday 26 Oct 10:00 CET;
    a go at 09:30 CET that Monday was taken on a Go verdict there, not in UTC terms."""
    read = Measurement(9, datetime(2026, 10, 19, 8, 0, tzinfo=UTC))
    facts = decide(
        replace(READY, latest_reading=read), Decision.GO, datetime(2026, 10, 26, 8, 30, tzinfo=UTC)
    )
    now = "2026-11-02T09:00:00+00:00"
    assert headline_at(facts, now, BERLIN) == "Approved for production · Go when decided"
    assert headline_at(facts, now, UTC_ZONE) == "Approved for production · Not ready when decided"


def test_no_headline_without_a_decision_in_force() -> None:
    assert headline_at(READY, "2026-11-16T10:00:00+00:00") is None
    rejected = decide(READY, Decision.GO, DECIDED_AT, status=DecisionStatus.REJECTED)
    assert headline_at(rejected, "2026-11-16T10:00:00+00:00") is None
    # A decision recorded after `now` has not happened yet.
    later = decide(READY, Decision.NO_GO, DECIDED_AT + timedelta(days=5))
    assert headline_at(later, "2026-11-16T10:00:00+00:00") is None


def test_a_pending_override_names_who_must_approve_it() -> None:
    not_ready = replace(READY, rollback=False, raci=full_raci(ACCOUNTABLE))
    facts = replace(
        not_ready,
        pending_decision=DecisionRecord(
            Decision.GO, OWNER, DECIDED_AT, "worth the risk", DecisionStatus.PENDING
        ),
    )
    assert pending_headline(facts) == f"Go decision waiting for approval by {person(SPONSOR)}"
    assert headline_at(facts, "2026-11-16T10:00:00+00:00") is None
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
