"""The readiness table over time: readings going stale against the cadence, the decide-by
date passing, decisions taken or waiting, and all of it on the wall clock of the row's zone
(summer time, month ends, a day ahead in Auckland)."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from bot.governance.facts import DecisionRecord
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import Verdict
from tests.governance.readiness_rows import Situation
from tests.governance.readiness_rows import assert_situation
from tests.governance.readiness_rows import names
from tests.governance.readiness_rows import reading
from tests.slack.blocks.factory import ago

NEVER_MEASURED = {
    "first_baseline": None,
    "baseline": None,
    "first_reading": None,
    "latest_reading": None,
}
# Seen from Berlin, where 31 October is over, and from UTC, where it is not.
MISSED_BY_31_OCTOBER = {
    "decide_by": date(2026, 10, 31),
    **reading(10.5, datetime(2026, 10, 30, 9, tzinfo=UTC)),
}

SITUATIONS_OVER_TIME = [
    Situation(
        "stale pilot: last weekly reading 15 days ago",
        reading(9, ago(days=15)),
        Verdict.STALLED,
        {CheckId.READING_CURRENT},
        ("Latest reading is from 2026-11-01, older than the weekly cadence",),
    ),
    Situation(
        "registered 14 days ago and never measured",
        {"registered_at": ago(days=14), **NEVER_MEASURED},
        Verdict.STALLED,
        {CheckId.BASELINE, CheckId.READING_CURRENT, CheckId.THRESHOLD_CLEARED},
        ("No baseline", "No reading yet"),
    ),
    Situation(
        "registered 13 days ago and never measured is not yet stalled",
        {"registered_at": ago(days=13), **NEVER_MEASURED},
        Verdict.NOT_READY,
        {CheckId.BASELINE, CheckId.READING_CURRENT, CheckId.THRESHOLD_CLEARED},
    ),
    Situation(
        "a weekly reading exactly 7 days old is no longer current",
        reading(9, ago(days=7)),
        Verdict.NOT_READY,
        {CheckId.READING_CURRENT},
    ),
    Situation(
        "a weekly reading 6 days 23 hours old is current",
        reading(9, ago(days=6, hours=23)),
        Verdict.GO,
    ),
    Situation(
        "biweekly reading 13 days old is current",
        {"cadence": Cadence.BIWEEKLY, **reading(9, ago(days=13))},
        Verdict.GO,
    ),
    Situation(
        "monthly reading 29 days old is current",
        {"cadence": Cadence.MONTHLY, **reading(9, ago(days=29))},
        Verdict.GO,
    ),
    Situation(
        "monthly reading 30 days old is due",
        {"cadence": Cadence.MONTHLY, **reading(9, ago(days=30))},
        Verdict.NOT_READY,
        {CheckId.READING_CURRENT},
        ("older than the monthly cadence",),
    ),
    Situation(
        "monthly reading 60 days old has stalled",
        {"cadence": Cadence.MONTHLY, **reading(9, ago(days=60))},
        Verdict.STALLED,
        {CheckId.READING_CURRENT},
    ),
    Situation(
        "decide-by passed and the latest reading misses the threshold",
        {"decide_by": date(2026, 11, 15), **reading(10.5, ago(days=1))},
        Verdict.NO_GO,
        {CheckId.THRESHOLD_CLEARED},
    ),
    Situation(
        "decide-by passed but the latest reading clears it",
        {"decide_by": date(2026, 11, 15)},
        Verdict.GO,
    ),
    Situation(
        "decide-by passed with no reading at all",
        {"decide_by": date(2026, 11, 1), "first_reading": None, "latest_reading": None},
        Verdict.NO_GO,
        {CheckId.READING_CURRENT, CheckId.THRESHOLD_CLEARED},
    ),
    Situation(
        "decide-by is today: not yet passed",
        {"decide_by": date(2026, 11, 16), **reading(10.5, ago(days=1))},
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_CLEARED},
    ),
    Situation(
        "No-go wins over Stalled",
        {"decide_by": date(2026, 11, 1), **reading(10.5, ago(days=20))},
        Verdict.NO_GO,
        {CheckId.READING_CURRENT, CheckId.THRESHOLD_CLEARED},
    ),
    Situation(
        "a go decision keeps the verdict it was taken on, months later",
        {
            **reading(9, datetime(2026, 9, 28, 9, 0, tzinfo=UTC)),
            "latest_decision": DecisionRecord(
                Decision.GO, "U0SPO", datetime(2026, 9, 30, 15, 0, tzinfo=UTC), "clears"
            ),
        },
        Verdict.GO,
    ),
    Situation(
        "an extension counts as activity: not stalled, but a reading is due",
        {
            **reading(9, ago(days=20)),
            "latest_decision": DecisionRecord(Decision.EXTEND, "U0SPO", ago(days=10), "more data"),
        },
        Verdict.NOT_READY,
        {CheckId.READING_CURRENT},
    ),
    Situation(
        "a go decision waiting for approval does not make it Go",
        {
            **reading(10.5, ago(days=2)),
            "pending_decision": DecisionRecord(
                Decision.GO, "U0ANN", ago(days=1), "worth it", DecisionStatus.PENDING
            ),
        },
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_CLEARED},
    ),
    # Daylight saving: a Berlin reading taken Monday 19 Oct 10:00 CEST stays current until
    # Monday 26 Oct 10:00 CET on the wall clock: 169 hours, not 168.
    Situation(
        "Berlin across the end of summer time: still current at 09:30 local",
        reading(9, datetime(2026, 10, 19, 8, 0, tzinfo=UTC)),
        Verdict.GO,
        now=datetime(2026, 10, 26, 8, 30, tzinfo=UTC),
        tz="Europe/Berlin",
    ),
    Situation(
        "the same instants counted in UTC: the reading is due",
        reading(9, datetime(2026, 10, 19, 8, 0, tzinfo=UTC)),
        Verdict.NOT_READY,
        {CheckId.READING_CURRENT},
        now=datetime(2026, 10, 26, 8, 30, tzinfo=UTC),
    ),
    # New York springs forward on 8 March 2026: a week there is 167 hours.
    Situation(
        "New York across the start of summer time: due an hour early in UTC terms",
        reading(9, datetime(2026, 3, 1, 15, 0, tzinfo=UTC)),
        Verdict.NOT_READY,
        {CheckId.READING_CURRENT},
        now=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        tz="America/New_York",
    ),
    # Month end: 31 Oct 23:30 UTC is already 1 Nov in Berlin, so an Oct 31 date has passed.
    Situation(
        "decide-by 31 Oct has passed in Berlin just after midnight",
        MISSED_BY_31_OCTOBER,
        Verdict.NO_GO,
        {CheckId.THRESHOLD_CLEARED},
        now=datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        tz="Europe/Berlin",
    ),
    Situation(
        "the same instant in UTC: 31 Oct is still today",
        MISSED_BY_31_OCTOBER,
        Verdict.NOT_READY,
        {CheckId.THRESHOLD_CLEARED},
        now=datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
    ),
    Situation(
        "Auckland is already a day ahead: 15 Nov has passed there at noon UTC",
        {"decide_by": date(2026, 11, 15), **reading(10.5, datetime(2026, 11, 14, tzinfo=UTC))},
        Verdict.NO_GO,
        {CheckId.THRESHOLD_CLEARED},
        now=datetime(2026, 11, 15, 12, 0, tzinfo=UTC),
        tz="Pacific/Auckland",
    ),
    Situation(
        "a February month end: a monthly reading from 31 Jan is current on 1 Mar",
        {"cadence": Cadence.MONTHLY, **reading(9, datetime(2026, 1, 31, 12, tzinfo=UTC))},
        Verdict.GO,
        now=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        tz="Asia/Kolkata",
    ),
]


@pytest.mark.parametrize("situation", SITUATIONS_OVER_TIME, ids=names(SITUATIONS_OVER_TIME))
def test_readiness_over_time(situation: Situation) -> None:
    assert_situation(situation)
