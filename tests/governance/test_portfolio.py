"""The value a month waiting on decisions counts only pilots that wait on one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.facts import DecisionRecord
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.portfolio import ready_for_decision
from bot.governance.portfolio import value_waiting_on_decisions
from bot.governance.portfolio import value_waiting_text
from bot.governance.readiness import assess
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import Verdict
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import ago

UTC_ZONE = ZoneInfo("UTC")
# READY nets (6.5 - 0.4) x 40,000 = 244,000 USD a month.
NOT_READY_DUE_SOON = replace(READY, key="P-20", rollback=False, decide_by=date(2026, 11, 20))
NOT_READY_LATER = replace(READY, key="P-21", rollback=False, decide_by=date(2026, 12, 15))


def waiting(pilots: list[PilotFacts], now: datetime = NOW, tz: ZoneInfo = UTC_ZONE) -> str:
    assessed = [(facts, assess(facts, now, tz)) for facts in pilots]
    return value_waiting_text(value_waiting_on_decisions(assessed, now, tz))


def test_go_and_due_pilots_count_no_go_stalled_and_decided_never() -> None:
    assert assess(NO_GO, NOW).verdict is Verdict.NO_GO
    assert assess(STALLED, NOW).verdict is Verdict.STALLED
    stopped = replace(
        READY,
        key="P-30",
        latest_decision=DecisionRecord(Decision.NO_GO, SPONSOR, ago(days=1), "no"),
    )
    pilots = [READY, NO_GO, STALLED, stopped, NOT_READY_LATER, FRESH]
    assert waiting(pilots) == "+244,000 USD a month"
    assert waiting([*pilots, NOT_READY_DUE_SOON]) == "+488,000 USD a month"


def test_an_extension_is_not_final_and_a_waiting_override_waits_on_a_decision() -> None:
    extended = replace(
        READY,
        latest_decision=DecisionRecord(
            Decision.EXTEND, SPONSOR, ago(days=1), "more data", until=date(2027, 1, 15)
        ),
    )
    pending = replace(
        NOT_READY_LATER,
        pending_decision=DecisionRecord(
            Decision.GO, OWNER, ago(hours=1), "worth it", DecisionStatus.PENDING
        ),
    )
    for facts in (extended, pending):
        assert ready_for_decision(facts, assess(facts, NOW), NOW, UTC_ZONE)
    assert not ready_for_decision(NOT_READY_LATER, assess(NOT_READY_LATER, NOW), NOW, UTC_ZONE)


def test_currencies_are_never_added_together() -> None:
    euros = replace(READY, key="P-40", currency="EUR", volume=1_000)
    assert waiting([READY, euros]) == "+6,100 EUR a month and +244,000 USD a month"
    assert waiting([FRESH, NO_GO]) == "nothing"


@pytest.mark.parametrize(
    ("now", "zone", "counts"),
    [
        # Seven days before 20 November, on the reader's calendar.
        ("2026-11-12T23:30:00+00:00", "UTC", False),
        ("2026-11-12T23:30:00+00:00", "Europe/Berlin", True),  # already the 13th there
        ("2026-11-13T04:59:00+00:00", "America/New_York", False),
        ("2026-11-13T05:00:00+00:00", "America/New_York", True),
        ("2026-11-12T11:00:00+00:00", "Pacific/Auckland", True),
    ],
)
def test_a_decide_by_date_a_week_away_is_read_on_the_readers_calendar(
    now: str, zone: str, counts: bool
) -> None:
    facts = replace(
        NOT_READY_DUE_SOON, latest_reading=Measurement(9, datetime(2026, 11, 10, tzinfo=UTC))
    )
    with freeze_time(now):
        moment = datetime.now(UTC)
        tz = ZoneInfo(zone)
        assert ready_for_decision(facts, assess(facts, moment, tz), moment, tz) is counts
