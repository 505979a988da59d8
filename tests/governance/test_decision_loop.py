"""The decision loop over weeks: reminders that change, escalations that count, questions that
come when a pilot stalls, and messages dropped when their reason has gone.

An owner in Berlin and a sponsor in New York, as the user lived it. Ticks run hourly with the
clock frozen, as the scheduler would run them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.facts import Amendment
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.occasions import is_sent
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.reminders import missed_readings
from bot.governance.reminders import still_relevant
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from tests.governance.reminder_rows import at
from tests.governance.reminder_rows import pilot
from tests.governance.reminder_rows import read
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
BERLIN_TZ, NEW_YORK_TZ = ZoneInfo(BERLIN), ZoneInfo(NEW_YORK)

# Registered Monday 2 March 2026, 10:00 in Berlin, measured once a week later; then silence
# across Europe's spring forward (29 March).
SILENT = pilot(BERLIN, "2026-03-02 10:00", **read(BERLIN, "2026-03-09 10:00", value=9))


def tick(facts: PilotFacts, now: datetime) -> list[Due]:
    with freeze_time(now):
        frozen = datetime.now(UTC)
        dues, _ = due_for_pilot(
            facts, assess(facts, frozen, BERLIN_TZ), frozen, BERLIN_TZ, sponsor_tz=NEW_YORK_TZ
        )
    return dues


def occasions(facts: PilotFacts, start: str, weeks: int) -> dict[tuple[str, Reason, str], datetime]:
    """Each message key computed by ticks every six hours, with the instant it arose. (The
    rules take `now` as an argument, so hundreds of ticks need no frozen clock.)"""
    seen: dict[tuple[str, Reason, str], datetime] = {}
    begin = at(BERLIN, start)
    for quarter in range(weeks * 7 * 4):
        now = begin + timedelta(hours=6 * quarter)
        assessment = assess(facts, now, BERLIN_TZ)
        dues, _ = due_for_pilot(facts, assessment, now, BERLIN_TZ, sponsor_tz=NEW_YORK_TZ)
        for due in dues:
            seen.setdefault((due.recipient, due.reason, due.period), due.since)
    return seen


def of(seen: dict[tuple[str, Reason, str], datetime], reason: Reason) -> list[datetime]:
    return sorted(moment for (_, why, _), moment in seen.items() if why is reason)


def berlin(moments: list[datetime], form: str = "%m-%d %H:%M") -> list[str]:
    return [moment.astimezone(BERLIN_TZ).strftime(form) for moment in moments]


def test_a_silent_pilot_over_five_months() -> None:
    seen = occasions(SILENT, "2026-03-09 10:00", 21)
    # The owner: a week after the reading, then weekly three times, then every other week,
    # at 10:00 on the Berlin clock before and after the clocks change.
    assert berlin(of(seen, Reason.READING_DUE)) == [
        "03-16 10:00", "03-23 10:00", "03-30 10:00", "04-13 10:00", "04-27 10:00",
        "05-11 10:00", "05-25 10:00", "06-08 10:00", "06-22 10:00", "07-06 10:00",
        "07-20 10:00",
    ]  # fmt: skip
    # The sponsor: the second and third missed readings, each a day after it fell due, never
    # with the owner's reminder; from then on the stop-or-extend question.
    missed = of(seen, Reason.READINGS_MISSED)
    assert berlin(missed) == ["03-24 10:00", "03-31 10:00"]
    assert all(
        abs(escalation - reminder) >= timedelta(hours=24)
        for escalation in missed
        for reminder in of(seen, Reason.READING_DUE)
    )
    assert [missed_readings(SILENT, moment, BERLIN_TZ) for moment in missed] == [2, 3]
    assert berlin(of(seen, Reason.STOP_OR_EXTEND), "%m-%d") == [
        "04-06",  # four weeks after the reading
        "05-04",  # four more
        "06-01",  # the third question
        "07-27",  # then every other time: 06-29 was skipped
    ]
    assert all(
        recipient == SPONSOR
        for (recipient, reason, _) in seen
        if reason in (Reason.READINGS_MISSED, Reason.STOP_OR_EXTEND)
    )


def test_missed_readings_are_counted_a_day_after_each_falls_due() -> None:
    facts = SILENT  # readings fall due 16, 23, 30 March ... at 10:00 Berlin
    for text, count in (
        ("2026-03-16 10:00", 0),
        ("2026-03-17 09:59:59", 0),
        ("2026-03-17 10:00", 1),
        ("2026-03-24 10:00", 2),
        # 30 March 10:00 CEST falls due; 24 hours later it is 31 March 10:00 CEST.
        ("2026-03-31 09:59:59", 2),
        ("2026-03-31 10:00", 3),
        ("2026-06-01 10:00", 11),
    ):
        assert missed_readings(facts, at(BERLIN, text), BERLIN_TZ) == count, text
    recorded = replace(facts, **read(BERLIN, "2026-03-31 08:00"))
    assert missed_readings(recorded, at(BERLIN, "2026-03-31 10:00"), BERLIN_TZ) == 0


def test_the_first_three_reminders_come_each_period_then_every_other() -> None:
    assert [index for index in range(12) if is_sent(index)] == [0, 1, 2, 4, 6, 8, 10]


def test_each_due_knows_when_its_unanswered_run_began() -> None:
    dues = tick(SILENT, at(BERLIN, "2026-04-06 10:00"))
    reading_at = at(BERLIN, "2026-03-09 10:00")
    runs = {due.reason: due.run_since for due in dues}
    assert runs[Reason.READING_DUE] == reading_at
    assert runs[Reason.READINGS_MISSED] == reading_at
    assert runs[Reason.STOP_OR_EXTEND] == reading_at


def test_the_sponsor_is_asked_on_their_own_calendar_and_once_per_turn_to_go() -> None:
    go = pilot(BERLIN, "2026-03-02 10:00", decide_by=date(2026, 4, 30),
               **read(BERLIN, "2026-03-09 10:00"))  # fmt: skip
    again = replace(go, **read(BERLIN, "2026-03-16 10:00", value=7.8))
    first = [due for due in tick(go, at(BERLIN, "2026-03-09 10:00")) if due.recipient == SPONSOR]
    assert [due.reason for due in first] == [Reason.DECISION_DUE]
    later = tick(again, at(BERLIN, "2026-03-16 10:00"))
    assert {due.period for due in later if due.reason is Reason.DECISION_DUE} == {
        "decision-go:2026-03-16T09:00:00+00:00"
    }
    # A week before 30 April: midnight in New York, 06:00 in Berlin.
    week = [
        due
        for due in tick(again, at(BERLIN, "2026-04-23 06:00"))
        if due.reason is Reason.DECISION_DUE
    ]
    assert week == [
        Due(SPONSOR, Reason.DECISION_DUE, "P-7", "decision-due-7d:2026-04-30",
            at(NEW_YORK, "2026-04-23 00:00"))
    ]  # fmt: skip
    assert not any(
        due.reason is Reason.DECISION_DUE for due in tick(again, at(BERLIN, "2026-04-23 05:59"))
    )


# ---- still worth sending when its delivery time comes -----------------------------------------

GO_PILOT = pilot(BERLIN, "2026-03-02 10:00", decide_by=date(2026, 4, 30),
                 **read(BERLIN, "2026-03-09 10:00"))  # fmt: skip
GO_DUE = Due(SPONSOR, Reason.DECISION_DUE, "P-7", "decision-go:2026-03-09T09:00:00+00:00",
             at(BERLIN, "2026-03-09 10:00"))  # fmt: skip
STOP_DUE = Due(SPONSOR, Reason.STOP_OR_EXTEND, "P-7", "stop-or-extend:2026-04-06",
               at(BERLIN, "2026-04-06 10:00"))  # fmt: skip
WEEK_DUE = Due(SPONSOR, Reason.DECISION_DUE, "P-7", "decision-due-7d:2026-04-30",
               at(BERLIN, "2026-04-23 00:00"))  # fmt: skip


def relevant(due: Due, facts: PilotFacts, now: str) -> bool:
    moment = at(BERLIN, now)
    return still_relevant(due, facts, assess(facts, moment, BERLIN_TZ), moment, BERLIN_TZ)


def decision(kind: Decision, when: str, by: str = SPONSOR, **extra: object) -> DecisionRecord:
    return DecisionRecord(kind, by, at(BERLIN, when), "agreed", **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("due", "facts", "now", "still"),
    [
        (GO_DUE, GO_PILOT, "2026-03-10 09:00", True),
        # "It is Go" is stale once a stale reading made it Not ready again.
        (GO_DUE, GO_PILOT, "2026-03-16 10:00", False),
        (GO_DUE, replace(GO_PILOT, latest_decision=decision(Decision.EXTEND, "2026-03-09 18:00")),
         "2026-03-10 09:00", False),
        (GO_DUE, replace(GO_PILOT, pending_decision=decision(
            Decision.GO, "2026-03-09 18:00", OWNER, status=DecisionStatus.PENDING)),
         "2026-03-10 09:00", False),
        (WEEK_DUE, GO_PILOT, "2026-04-24 09:00", True),
        (WEEK_DUE, replace(GO_PILOT, decide_by=date(2026, 5, 30)), "2026-04-24 09:00", False),
        (WEEK_DUE, GO_PILOT, "2026-04-30 09:00", False),
        (STOP_DUE, SILENT, "2026-04-07 09:00", True),
        (STOP_DUE, replace(SILENT, **read(BERLIN, "2026-04-06 18:00")), "2026-04-07 09:00",
         False),
        (STOP_DUE, replace(SILENT, latest_decision=decision(Decision.NO_GO, "2026-04-06 18:00")),
         "2026-04-07 09:00", False),
    ],
)  # fmt: skip
def test_an_ask_is_dropped_once_its_reason_has_gone(
    due: Due, facts: PilotFacts, now: str, still: bool
) -> None:
    assert relevant(due, facts, now) is still


def test_news_outlives_the_decision_it_tells_but_not_a_newer_one() -> None:
    stopped = replace(SILENT, latest_decision=decision(Decision.NO_GO, "2026-04-06 18:00"))
    told = Due(OWNER, Reason.DECISION_RECORDED, "P-7", "decided:2026-04-06T16:00:00+00:00",
               at(BERLIN, "2026-04-06 18:00"))  # fmt: skip
    assert relevant(told, stopped, "2026-04-07 09:00")
    overturned = replace(stopped, latest_decision=decision(Decision.GO, "2026-04-07 08:00"))
    assert not relevant(told, overturned, "2026-04-07 09:00")
    amendment = Amendment("threshold", "8", "9.5", "re-measured", OWNER,
                          at(BERLIN, "2026-03-20 10:00"))  # fmt: skip
    amended = replace(stopped, amendments=(amendment,))
    note = Due(SPONSOR, Reason.AMENDMENT_TOLD, "P-7",
               "amended:threshold:2026-03-20T09:00:00+00:00", amendment.at)  # fmt: skip
    assert relevant(note, amended, "2026-04-07 09:00")


def test_an_approval_is_asked_for_while_the_override_waits() -> None:
    pending = decision(Decision.GO, "2026-03-20 10:00", OWNER, status=DecisionStatus.PENDING)
    waiting = replace(SILENT, pending_decision=pending)
    ask = Due(SPONSOR, Reason.OVERRIDE_WAITING, "P-7", "approve:2026-03-20T09:00:00+00:00",
              pending.at)  # fmt: skip
    assert relevant(ask, waiting, "2026-03-23 09:00")
    settled = replace(
        SILENT,
        latest_decision=replace(pending, status=DecisionStatus.APPROVED, approved_by=SPONSOR),
    )
    assert not relevant(ask, settled, "2026-03-23 09:00")
    assert ask in tick(waiting, at(BERLIN, "2026-05-20 10:00"))


def test_a_final_decision_drops_reminders_waiting_for_working_hours() -> None:
    stopped = replace(SILENT, latest_decision=decision(Decision.NO_GO, "2026-03-23 08:00"))
    reminder = Due(OWNER, Reason.READING_DUE, "P-7", "reading:2026-03-23",
                   at(BERLIN, "2026-03-23 10:00"))  # fmt: skip
    assert relevant(reminder, SILENT, "2026-03-23 10:30")
    assert not relevant(reminder, stopped, "2026-03-23 10:30")


def test_the_deactivated_sponsors_questions_go_to_the_owner() -> None:
    left = replace(SILENT, sponsor_deactivated=True)
    dues = tick(left, at(BERLIN, "2026-04-06 10:00"))
    assert {due.recipient for due in dues} == {OWNER}
    assert Reason.STOP_OR_EXTEND in {due.reason for due in dues}
