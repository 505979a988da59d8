"""One DM per person per pilot per tick, whose first line says what is asked and whose
buttons do it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.direct_messages import BUTTON_OF
from bot.governance.direct_messages import DirectMessage
from bot.governance.direct_messages import direct_messages
from bot.governance.direct_messages import first_line
from bot.governance.direct_messages import ordinal
from bot.governance.facts import Amendment
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.notices import ButtonKind
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.people import PERSON_END
from bot.governance.people import PERSON_START
from bot.governance.people import person
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from tests.governance.reminder_rows import KEY
from tests.governance.reminder_rows import NO_BASELINE
from tests.governance.reminder_rows import at
from tests.governance.reminder_rows import pilot
from tests.governance.reminder_rows import read
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
BERLIN_TZ, NEW_YORK_TZ = ZoneInfo(BERLIN), ZoneInfo(NEW_YORK)
PILOT = f"{KEY} Invoice matching"

SILENT = pilot(BERLIN, "2026-03-02 10:00", decide_by=date(2026, 4, 30),
               **read(BERLIN, "2026-03-09 10:00", value=9))  # fmt: skip


def dms(
    facts: PilotFacts, now_text: str, already_sent: dict[tuple[str, Reason], int] | None = None
) -> dict[str, DirectMessage]:
    """What one tick at `now_text` (Berlin wall clock) sends, by recipient."""
    with freeze_time(at(BERLIN, now_text)):
        now = datetime.now(UTC)
        assessment = assess(facts, now, BERLIN_TZ)
        dues, _ = due_for_pilot(facts, assessment, now, BERLIN_TZ, sponsor_tz=NEW_YORK_TZ)
        messages = direct_messages(
            dues, facts, assessment, now, BERLIN_TZ, already_sent=already_sent
        )
    return {message.recipient: message for message in messages}


def test_everything_due_together_is_one_message_per_person() -> None:
    facts = replace(SILENT, raci={}, **NO_BASELINE)
    messages = dms(facts, "2026-04-23 12:00")
    assert set(messages) == {OWNER, SPONSOR}
    owner = messages[OWNER]
    assert [ask.reason for ask in owner.asks] == [
        Reason.DECIDE_BY_IN_7_DAYS,
        Reason.READING_DUE,
        Reason.BASELINE_MISSING,
        Reason.RACI_NO_ACCOUNTABLE,
    ]
    assert owner.buttons == (
        ButtonKind.COMPLETE_PILOT,
        ButtonKind.RECORD_READING,
        ButtonKind.RECORD_BASELINE,
    )
    assert (
        owner.first_line
        == f"Get {PILOT} ready for its go/no-go decision on 30\u00a0Apr, a week from now."
    )
    sponsor = messages[SPONSOR]
    # (The tick computes each rule's latest occasion; the outbox sends only those not yet
    # sent, here everything is grouped.)
    assert [ask.reason for ask in sponsor.asks] == [
        Reason.DECISION_DUE,
        Reason.STOP_OR_EXTEND,
        Reason.READINGS_MISSED,
    ]
    assert sponsor.buttons == (ButtonKind.DECIDE, ButtonKind.STOP_OR_EXTEND, ButtonKind.OPEN_PILOT)
    assert sponsor.first_line == (
        f"Decide {PILOT}: Go, No-go or Extend. Its decide-by date is 30\u00a0Apr, a week from now."
    )
    # Every Due of the tick is delivered by exactly one message.
    assert sum(len(message.dues) for message in messages.values()) == 7


@pytest.mark.parametrize(
    ("now", "reason", "line"),
    [
        ("2026-03-16 10:00", Reason.READING_DUE,
         f"Record this week's reading of minutes per invoice for {PILOT}."),
        ("2026-03-24 10:00", Reason.READINGS_MISSED,
         f"Ask {person(OWNER)} for a reading of {PILOT}: 2 readings missed."),
        ("2026-03-31 10:00", Reason.READINGS_MISSED,
         f"Ask {person(OWNER)} for a reading of {PILOT}: 3 readings missed."),
        ("2026-04-06 10:00", Reason.STOP_OR_EXTEND,
         f"Stop {PILOT}, or extend it with a new date: no reading or decision for 4 weeks, "
         "since 9\u00a0Mar."),
        ("2026-04-30 06:00", Reason.DECISION_DUE,
         f"Decide {PILOT}: Go, No-go or Extend. Its decide-by date is today, 30\u00a0Apr."),
        ("2026-04-30 12:00", Reason.DECIDE_BY_TODAY,
         f"Get {PILOT} ready for its go/no-go decision: it is due today, 30\u00a0Apr."),
        ("2026-05-01 06:00", Reason.DECISION_OVERDUE,
         f"Decide {PILOT}: Go, No-go or Extend. Its decide-by date 30\u00a0Apr has passed "
         "without a decision."),
    ],
)  # fmt: skip
def test_the_first_line_says_what_is_asked(now: str, reason: Reason, line: str) -> None:
    lines = [ask.line for message in dms(SILENT, now).values() for ask in message.asks]
    assert line in lines
    assert BUTTON_OF[reason] in {
        ask.button for message in dms(SILENT, now).values() for ask in message.asks
    }


def test_setup_asks_name_what_is_missing() -> None:
    facts = replace(SILENT, raci={}, **NO_BASELINE)
    lines = [ask.line for ask in dms(facts, "2026-03-03 10:00")[OWNER].asks]
    assert lines == [
        f"Record the baseline of {PILOT}: measure minutes per invoice before the pilot changes "
        "the work.",
        f"Name an Accountable for incidents, changes, evaluation, integration and reporting of "
        f"{PILOT}.",
    ]


def test_the_reading_that_turns_it_go_asks_the_sponsor_to_decide() -> None:
    go = replace(SILENT, **read(BERLIN, "2026-03-16 09:00"))
    sponsor = dms(go, "2026-03-16 09:00")[SPONSOR]
    assert sponsor.first_line.startswith(f"Decide {PILOT}: Go, No-go or Extend. It is Go")
    assert sponsor.buttons == (ButtonKind.DECIDE,)


def test_the_third_reminder_says_so_and_news_never_does() -> None:
    sent = {(OWNER, Reason.READING_DUE): 2, (SPONSOR, Reason.STOP_OR_EXTEND): 4}
    messages = dms(SILENT, "2026-04-06 10:00", sent)
    assert messages[OWNER].first_line == (
        f"Third reminder: record this week's reading of minutes per invoice for {PILOT}."
    )
    assert messages[SPONSOR].first_line.startswith(f"Fifth reminder: stop {PILOT}, or extend")
    first = dms(SILENT, "2026-04-06 10:00", {(OWNER, Reason.READING_DUE): 1})
    assert first[OWNER].first_line.startswith("Record this week's reading")
    stopped = replace(
        SILENT,
        latest_decision=DecisionRecord(
            Decision.NO_GO, SPONSOR, at(BERLIN, "2026-04-07 09:00"), "no lift"
        ),
    )
    told = dms(stopped, "2026-04-07 09:00", {(OWNER, Reason.DECISION_RECORDED): 5})[OWNER]
    assert told.first_line == f"Stopped: {PILOT}, decided by {person(SPONSOR)}."
    assert told.asks[0].detail == "Why: no lift"


def test_ordinals() -> None:
    assert [ordinal(n) for n in (3, 4, 10, 11, 12, 13, 21, 22, 23, 101)] == [
        "third", "fourth", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
    ]  # fmt: skip


def test_an_approved_override_tells_who_decided_and_who_approved() -> None:
    approved = DecisionRecord(
        Decision.GO, OWNER, at(BERLIN, "2026-03-20 10:00"), "worth the risk",
        DecisionStatus.APPROVED, approved_by=SPONSOR, approved_at=at(BERLIN, "2026-03-21 09:00"),
    )  # fmt: skip
    messages = dms(replace(SILENT, latest_decision=approved), "2026-03-21 09:00")
    assert set(messages) == {OWNER}
    assert messages[OWNER].first_line == (
        f"Approved for production: {PILOT}, decided by {person(OWNER)} and approved by "
        f"{person(SPONSOR)}."
    )


def test_the_approver_is_asked_with_approve_and_reject() -> None:
    pending = DecisionRecord(
        Decision.GO, OWNER, at(BERLIN, "2026-03-20 10:00"), "worth the risk",
        DecisionStatus.PENDING,
    )  # fmt: skip
    sponsor = dms(replace(SILENT, pending_decision=pending), "2026-03-20 10:00")[SPONSOR]
    assert sponsor.first_line == (
        f"Approve or reject the go decision on {PILOT}: {person(OWNER)} decided go while it is "
        "Not ready."
    )
    assert sponsor.buttons == (ButtonKind.APPROVE_OR_REJECT,)
    assert sponsor.asks[0].detail == "Why: worth the risk"


def test_an_amendment_is_told_with_its_values_units_and_reason() -> None:
    moved = Amendment("threshold", "8", "9.5", "the queue got harder", OWNER,
                      at(BERLIN, "2026-03-10 11:00"))  # fmt: skip
    accepted = Amendment("baseline-accepted", None, None, "measured on last year's queue",
                         OWNER, at(BERLIN, "2026-03-10 12:00"))  # fmt: skip
    sponsor = dms(replace(SILENT, amendments=(moved, accepted)), "2026-03-10 12:00")[SPONSOR]
    assert [(ask.line, ask.detail) for ask in sponsor.asks] == [
        (f"Note: {person(OWNER)} changed the threshold of {PILOT} from 8 min to 9.5 min after "
         "readings began.", "Reason: the queue got harder"),
        (f"Note: {person(OWNER)} accepted the baseline of {PILOT} recorded after readings began.",
         "Reason: measured on last year's queue"),
    ]  # fmt: skip


def test_the_latest_occasion_of_a_reminder_speaks_for_older_ones_not_yet_sent() -> None:
    older = Due(
        OWNER, Reason.READING_DUE, KEY, "reading:2026-03-16", at(BERLIN, "2026-03-16 10:00")
    )
    newer = Due(
        OWNER, Reason.READING_DUE, KEY, "reading:2026-03-23", at(BERLIN, "2026-03-23 10:00")
    )
    now = at(BERLIN, "2026-03-23 10:00")
    [message] = direct_messages([newer, older], SILENT, assess(SILENT, now), now, BERLIN_TZ)
    assert len(message.asks) == 1
    assert message.dues == (newer, older)


def test_typed_text_cannot_forge_a_mention_and_long_names_are_cut_at_a_word() -> None:
    forged = f"{PERSON_START}U0EVIL{PERSON_END}"
    name = f"Invoice matching for {forged} and the whole accounts payable team in EMEA"
    facts = replace(SILENT, name=name)
    line = dms(facts, "2026-03-16 10:00")[OWNER].first_line
    assert PERSON_START not in line
    # Cut after a whole word; its ellipsis ends the sentence without a full stop after it.
    assert line.endswith("for P-7 Invoice matching for U0EVIL and the whole accounts payable…")


def test_no_first_line_carries_slack_markup() -> None:
    now = at(BERLIN, "2026-03-24 10:00")
    assessment = assess(SILENT, now, BERLIN_TZ)
    for reason in BUTTON_OF:
        due = Due(SPONSOR, reason, KEY, "x", now)
        if reason in (Reason.AMENDMENT_TOLD, Reason.DECISION_RECORDED, Reason.OVERRIDE_WAITING):
            continue  # they need the news in the facts; covered above
        line = first_line(due, SILENT, assessment, now, BERLIN_TZ)
        assert line
        assert "<@" not in line
        assert "<!" not in line
