"""The reminder rules over a pilot's life: everything due at once, what a decision silences,
the same keys for the same moment, nothing a second early, and waking only at the next
instant seeing all that hourly ticks see. The tables of single reminders are in
test_owner_nudges, test_sponsor_escalations and test_decision_reminders.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Verdict
from tests.governance.reminder_rows import AUCKLAND
from tests.governance.reminder_rows import B_FRESH
from tests.governance.reminder_rows import B_GO
from tests.governance.reminder_rows import BERLIN
from tests.governance.reminder_rows import BL
from tests.governance.reminder_rows import D7
from tests.governance.reminder_rows import DECIDE
from tests.governance.reminder_rows import DTODAY
from tests.governance.reminder_rows import DUE
from tests.governance.reminder_rows import KEY
from tests.governance.reminder_rows import KOLKATA
from tests.governance.reminder_rows import MISSED
from tests.governance.reminder_rows import MISSES
from tests.governance.reminder_rows import NEW_YORK
from tests.governance.reminder_rows import NO_BASELINE
from tests.governance.reminder_rows import NO_REPORTING_ACCOUNTABLE
from tests.governance.reminder_rows import NY_EXTENDED
from tests.governance.reminder_rows import NY_READ
from tests.governance.reminder_rows import OVERDUE
from tests.governance.reminder_rows import R_FRESH
from tests.governance.reminder_rows import RACI
from tests.governance.reminder_rows import RD
from tests.governance.reminder_rows import SECOND
from tests.governance.reminder_rows import STOP
from tests.governance.reminder_rows import TOLD
from tests.governance.reminder_rows import UTC_NAME
from tests.governance.reminder_rows import ZONES
from tests.governance.reminder_rows import Key
from tests.governance.reminder_rows import at
from tests.governance.reminder_rows import decided
from tests.governance.reminder_rows import evaluate
from tests.governance.reminder_rows import keys
from tests.governance.reminder_rows import pilot
from tests.governance.reminder_rows import read
from tests.governance.tables import named_rows
from tests.governance.test_decision_reminders import DECISION_NUDGES
from tests.governance.test_owner_nudges import OWNER_NUDGES
from tests.governance.test_sponsor_escalations import ESCALATIONS
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR

NUDGES = [*OWNER_NUDGES, *ESCALATIONS, *DECISION_NUDGES]


def test_the_tables_cover_every_reminder_reason_in_every_zone() -> None:
    reminded = {row.reason for row in NUDGES if row.expected is not None}
    # Eval regressions are news with a rule of their own: tests/governance/test_evaluations.py.
    assert reminded == {reason for reason in Reason if reason not in (Reason.DIGEST,
                        Reason.DELIVERY_FAILED, Reason.EVAL_REGRESSION)}  # fmt: skip
    assert {row.zone for row in NUDGES} == set(ZONES)


def test_everything_due_at_once_and_the_next_occasion() -> None:
    """A pilot with nothing measured and a RACI gap, decide-by on Friday, on Monday noon."""
    facts = pilot(BERLIN, "2026-03-02 10:00", decide_by=date(2026, 3, 20), raci={}, **NO_BASELINE)
    dues, following = evaluate(facts, BERLIN, at(BERLIN, "2026-03-16 12:00"))
    assert dues == [
        Due(OWNER, BL, KEY, "baseline:2026-03-10", at(BERLIN, "2026-03-10 10:00")),
        Due(OWNER, RACI, KEY, "raci:2026-03-10", at(BERLIN, "2026-03-10 10:00")),
        Due(OWNER, RD, KEY, "reading:2026-03-16", at(BERLIN, "2026-03-16 10:00")),
        Due(OWNER, D7, KEY, "decide-by-7d:2026-03-20", at(BERLIN, "2026-03-13 00:00")),
        Due(SPONSOR, DUE, KEY, "decision-due-7d:2026-03-20", at(BERLIN, "2026-03-13 00:00")),
    ]
    # The second reading fell due at 10:00 today; it is missed (and the sponsor told) a day
    # later, with the third baseline and RACI nudges.
    assert following == at(BERLIN, "2026-03-17 10:00")


@pytest.mark.parametrize("decision", [Decision.GO, Decision.NO_GO])
def test_a_final_decision_silences_everything_but_its_news(decision: Decision) -> None:
    facts = pilot(
        BERLIN,
        "2026-03-02 10:00",
        decide_by=date(2026, 3, 20),
        raci={},
        sponsor=SPONSOR,
        **NO_BASELINE,
        **decided(decision, BERLIN, "2026-03-25 16:00"),
    )
    before, _ = evaluate(facts, BERLIN, at(BERLIN, "2026-03-25 15:59:59"))
    assert {due.reason for due in before} == {BL, RACI, RD, MISSED, OVERDUE}
    decided_at = at(BERLIN, "2026-03-25 16:00")
    news = Due(OWNER, TOLD, KEY, "decided:2026-03-25T15:00:00+00:00", decided_at)
    assert evaluate(facts, BERLIN, decided_at) == ([news], None)
    assert evaluate(facts, BERLIN, decided_at + timedelta(days=7) - SECOND) == ([news], None)
    for now in ("2026-04-01 17:00", "2026-04-30 10:00", "2027-03-25 16:00"):
        assert evaluate(facts, BERLIN, at(BERLIN, now)) == ([], None)


def test_an_extension_does_not_silence_anything() -> None:
    facts = pilot(
        BERLIN, "2026-03-02 10:00", raci={}, **NO_BASELINE,
        **decided(Decision.EXTEND, BERLIN, "2026-03-25 16:00"),
    )  # fmt: skip
    dues, following = evaluate(facts, BERLIN, at(BERLIN, "2026-04-01 16:00"))
    # The owner also hears of the extension: a week counted in hours, 17:00 after the
    # clocks went forward.
    assert {due.reason for due in dues} == {BL, RACI, RD, TOLD}
    assert following is not None


@pytest.mark.parametrize("zone", ZONES)
def test_the_same_now_gives_the_same_keys(zone: str) -> None:
    facts = pilot(zone, "2026-10-01 09:00", decide_by=date(2026, 11, 5), raci={}, **NO_BASELINE)
    now = at(zone, "2026-11-01 12:00")
    first, second = evaluate(facts, zone, now), evaluate(facts, zone, now)
    assert first == second
    # Baseline, RACI and reading nudges, missed readings, the week's notice to the owner,
    # the decision due and the stop-or-extend question to the sponsor.
    assert {due.reason for due in first[0]} == {BL, RACI, RD, MISSED, D7, DUE, STOP}
    # An hour later nothing new has arisen: the same keys, for the outbox to skip.
    later, _ = evaluate(facts, zone, now + timedelta(hours=1))
    assert keys(later) == keys(first[0])


OCCASIONS = [
    # (why, facts, zone, the occasion on the wall clock, what arises then)
    ("the first baseline nudge", B_FRESH, BERLIN, "2026-03-03 10:00",
     (OWNER, BL, "baseline:2026-03-03")),
    ("a reading falls due", pilot(NEW_YORK, "2026-02-02 09:00", **read(NEW_YORK,
     "2026-03-02 08:15")), NEW_YORK, "2026-03-09 08:15", (OWNER, RD, "reading:2026-03-09")),
    ("the first RACI nudge", R_FRESH, BERLIN, "2026-03-03 10:00",
     (OWNER, RACI, "raci:2026-03-03")),
    ("the week's notice", replace(DECIDE, decide_by=date(2026, 3, 8)), NEW_YORK,
     "2026-03-01 00:00", (OWNER, D7, "decide-by-7d:2026-03-08")),
    ("the day itself, after a 25-hour night", replace(DECIDE, decide_by=date(2026, 11, 2)),
     NEW_YORK, "2026-11-02 00:00", (OWNER, DTODAY, "decide-by:2026-11-02")),
    ("overdue in Auckland", replace(DECIDE, decide_by=date(2026, 12, 31)), AUCKLAND,
     "2027-01-01 00:00", (SPONSOR, OVERDUE, "overdue:2026-12-31")),
    ("the second missed reading", NY_READ, NEW_YORK, "2026-03-10 09:00",
     (SPONSOR, MISSED, "missed:2026-03-10")),
    ("the decision due a week before, in New York", replace(DECIDE, decide_by=date(2026, 3, 8)),
     NEW_YORK, "2026-03-01 00:00", (SPONSOR, DUE, "decision-due-7d:2026-03-08")),
    ("the stop-or-extend question", NY_READ, NEW_YORK, "2026-03-23 09:00",
     (SPONSOR, STOP, "stop-or-extend:2026-03-23")),
    ("the reading that turns it Go", B_GO, BERLIN, "2026-03-09 10:00",
     (SPONSOR, DUE, "decision-go:2026-03-09T09:00:00+00:00")),
    ("a reading due in Kolkata on 1 March", pilot(KOLKATA, "2026-01-02 12:00",
     **read(KOLKATA, "2026-02-22 07:45")), KOLKATA, "2026-03-01 07:45",
     (OWNER, RD, "reading:2026-03-01")),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "zone", "occasion", "arises"), named_rows(OCCASIONS))
def test_a_tick_a_second_early_gets_nothing_new_and_the_next_instant_is_the_occasion(
    facts: PilotFacts, zone: str, occasion: str, arises: Key
) -> None:
    moment = at(zone, occasion)
    early, following = evaluate(facts, zone, moment - SECOND)
    assert arises not in keys(early)
    assert following == moment
    on_time, _ = evaluate(facts, zone, moment)
    assert keys(on_time) - keys(early) >= {arises}


@pytest.mark.parametrize(
    ("facts", "zone", "occasion"),
    [
        (B_FRESH, BERLIN, "2026-03-03 10:00"),
        # Readings that miss the threshold: not Go, so nothing asks for a decision.
        (pilot(KOLKATA, "2026-01-02 12:00", **read(KOLKATA, "2026-02-22 07:45", value=MISSES)),
         KOLKATA, "2026-03-01 07:45"),
        (pilot(AUCKLAND, "2026-09-01 09:00", **read(AUCKLAND, "2026-09-21 09:00", value=MISSES)),
         AUCKLAND, "2026-09-28 09:00"),
    ],
)  # fmt: skip
def test_a_quiet_pilot_gets_nothing_a_second_before_its_first_occasion(
    facts: PilotFacts, zone: str, occasion: str
) -> None:
    assert evaluate(facts, zone, at(zone, occasion) - SECOND) == ([], at(zone, occasion))


@pytest.mark.parametrize(
    ("facts", "zone", "anchor"),
    [
        (NY_READ, NEW_YORK, "2026-02-23 09:00"),
        (NY_EXTENDED, NEW_YORK, "2026-03-06 11:00"),
        (pilot(BERLIN, "2026-10-10 10:00", **read(BERLIN, "2026-10-19 10:00")), BERLIN,
         "2026-10-19 10:00"),
        (pilot(AUCKLAND, "2026-09-20 09:00"), AUCKLAND, "2026-09-20 09:00"),
    ],
)  # fmt: skip
def test_the_sponsor_hears_a_day_after_the_pilot_turns_stalled(
    facts: PilotFacts, zone: str, anchor: str
) -> None:
    """Missed readings and Stalled count from the same anchor, on the same wall clock: the
    pilot turns Stalled as the second reading falls due, and that reading is missed (and
    the sponsor told) 24 hours later, never in the same tick as the owner's reminder."""
    tz = ZoneInfo(zone)
    local_anchor = at(zone, anchor).astimezone(tz)
    stalled = (local_anchor + timedelta(days=14)).astimezone(UTC)
    missed = stalled + timedelta(hours=24)
    for moment, is_stalled, escalated in (
        (stalled - SECOND, False, False),
        (stalled, True, False),
        (missed - SECOND, True, False),
        (missed, True, True),
    ):
        dues, _ = evaluate(facts, zone, moment)
        reasons = {due.reason for due in dues}
        assert (MISSED in reasons) is escalated
        assert RD in reasons  # the owner's own reminder goes on meanwhile
        assert (assess(facts, moment, tz).verdict is Verdict.STALLED) is is_stalled


LIVES = [
    # (why, facts, zone, first tick, weeks): facts recorded after a tick have not happened yet.
    ("a Berlin pilot measured late, across spring forward",
     pilot(BERLIN, "2026-03-02 10:00", decide_by=date(2026, 4, 30),
           raci=NO_REPORTING_ACCOUNTABLE, **read(BERLIN, "2026-04-02 11:30"),
           first_baseline=Measurement(12, at(BERLIN, "2026-03-12 16:00")),
           baseline=Measurement(12, at(BERLIN, "2026-03-12 16:00"))),
     BERLIN, "2026-03-02 10:00", 13),
    ("a New York pilot extended after its date, across fall back, no sponsor",
     pilot(NEW_YORK, "2026-09-28 09:00", sponsor=None, cadence=Cadence.BIWEEKLY,
           decide_by=date(2026, 11, 1),
           **decided(Decision.EXTEND, NEW_YORK, "2026-11-04 10:00")),
     NEW_YORK, "2026-09-28 09:00", 12),
    ("an Auckland monthly pilot decided go, across spring forward",
     pilot(AUCKLAND, "2026-08-15 09:00", cadence=Cadence.MONTHLY, raci={},
           decide_by=date(2026, 10, 31), **NO_BASELINE,
           **decided(Decision.GO, AUCKLAND, "2026-11-03 14:00")),
     AUCKLAND, "2026-08-15 09:00", 14),
    ("a Kolkata pilot across the February month end",
     pilot(KOLKATA, "2026-01-20 12:00", decide_by=date(2026, 3, 1),
           **read(KOLKATA, "2026-02-10 12:00")),
     KOLKATA, "2026-01-20 12:00", 8),
    ("a UTC pilot across the year end",
     pilot(UTC_NAME, "2026-12-10 12:00", decide_by=date(2027, 1, 1), **NO_BASELINE),
     UTC_NAME, "2026-12-10 12:00", 8),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "zone", "start", "weeks"), named_rows(LIVES))
def test_waking_only_at_the_next_instant_sends_what_hourly_ticks_send(
    facts: PilotFacts, zone: str, start: str, weeks: int
) -> None:
    """The scheduler looks at a pilot only when its next instant has come. Over a pilot's
    life, that sees every message an hourly tick sees, never one early, with far fewer looks."""
    tz = ZoneInfo(zone)
    first = at(zone, start)
    ticks = [first + timedelta(hours=hour) for hour in range(weeks * 7 * 24)]

    def compute(now: datetime) -> tuple[list[Due], datetime | None]:
        return due_for_pilot(facts, assess(facts, now, tz), now, tz)

    hourly: set[Key] = set()
    for now in ticks:
        dues, following = compute(now)
        hourly |= keys(dues)
        assert all(due.since <= now and due.since.tzinfo is UTC for due in dues)
        assert following is None or following > now

    woken: set[Key] = set()
    looks = 0
    wake: datetime | None = first
    while wake is not None and wake <= ticks[-1]:
        dues, following = compute(wake)
        looks += 1
        woken |= keys(dues)
        if following is not None and following <= ticks[-1]:
            # Nothing new arises before the next instant.
            assert keys(compute(following - SECOND)[0]) <= woken
        wake = following
    woken |= keys(compute(ticks[-1])[0])

    assert woken == hourly
    assert hourly
    assert looks <= 2 * len(hourly) + 2 < len(ticks) // 20
