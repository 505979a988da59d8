"""The decision loop's reminders: the decide-by notices to the owner, the decision due and
overdue to the sponsor on the sponsor's calendar, the news of a decision or an amendment,
and an override waiting for its second person."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.governance.facts import DecisionRecord
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from tests.governance.reminder_rows import AMENDED
from tests.governance.reminder_rows import APPROVE
from tests.governance.reminder_rows import AUCKLAND
from tests.governance.reminder_rows import B_GO
from tests.governance.reminder_rows import BERLIN
from tests.governance.reminder_rows import D7
from tests.governance.reminder_rows import DECIDE
from tests.governance.reminder_rows import DTODAY
from tests.governance.reminder_rows import DUE
from tests.governance.reminder_rows import KOLKATA
from tests.governance.reminder_rows import MISSES
from tests.governance.reminder_rows import NEW_YORK
from tests.governance.reminder_rows import OVERDUE
from tests.governance.reminder_rows import REJECTED
from tests.governance.reminder_rows import TOLD
from tests.governance.reminder_rows import UTC_NAME
from tests.governance.reminder_rows import Nudge
from tests.governance.reminder_rows import amended
from tests.governance.reminder_rows import assert_nudge
from tests.governance.reminder_rows import at
from tests.governance.reminder_rows import decided
from tests.governance.reminder_rows import ids
from tests.governance.reminder_rows import pending_go
from tests.governance.reminder_rows import read
from tests.governance.reminder_rows import rejected_go
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR

DECISION_NUDGES = [
    # Decide-by: a week's notice from local midnight, the day itself, then overdue.
    Nudge("7 days: not yet at 23:59:59 eight days before", DECIDE, BERLIN, "2026-11-22 23:59:59",
          D7, None),
    Nudge("7 days: from local midnight a week before", DECIDE, BERLIN, "2026-11-23 00:00", D7,
          (OWNER, "decide-by-7d:2026-11-30", "2026-11-23 00:00")),
    Nudge("7 days: still the day before", DECIDE, BERLIN, "2026-11-29 23:59:59", D7,
          (OWNER, "decide-by-7d:2026-11-30", "2026-11-23 00:00")),
    Nudge("7 days: not on the day itself", DECIDE, BERLIN, "2026-11-30 00:00", D7, None),
    Nudge("today: not the day before", DECIDE, BERLIN, "2026-11-29 23:59:59", DTODAY, None),
    Nudge("today: from local midnight", DECIDE, BERLIN, "2026-11-30 00:00", DTODAY,
          (OWNER, "decide-by:2026-11-30", "2026-11-30 00:00")),
    Nudge("today: until the day ends", DECIDE, BERLIN, "2026-11-30 23:59:59", DTODAY,
          (OWNER, "decide-by:2026-11-30", "2026-11-30 00:00")),
    Nudge("today: not the day after", DECIDE, BERLIN, "2026-12-01 00:00", DTODAY, None),
    Nudge("overdue: not on the day", DECIDE, BERLIN, "2026-11-30 23:59:59", OVERDUE, None),
    Nudge("overdue: the sponsor, once the day is over", DECIDE, BERLIN, "2026-12-01 00:00",
          OVERDUE, (SPONSOR, "overdue:2026-11-30", "2026-12-01 00:00")),
    Nudge("overdue: the same occasion weeks later", DECIDE, BERLIN, "2027-01-15 12:00", OVERDUE,
          (SPONSOR, "overdue:2026-11-30", "2026-12-01 00:00")),
    Nudge("overdue: the owner when there is no sponsor", replace(DECIDE, sponsor=None), BERLIN,
          "2026-12-01 00:00", OVERDUE, (OWNER, "overdue:2026-11-30", "2026-12-01 00:00")),
    Nudge("overdue: an extension on the day decides it",
          replace(DECIDE, **decided(Decision.EXTEND, BERLIN, "2026-11-30 15:00")), BERLIN,
          "2026-12-01 00:00", OVERDUE, None),
    Nudge("overdue: an extension before the day does not",
          replace(DECIDE, **decided(Decision.EXTEND, BERLIN, "2026-11-20 15:00")), BERLIN,
          "2026-12-01 00:00", OVERDUE, (SPONSOR, "overdue:2026-11-30", "2026-12-01 00:00")),
    Nudge("7 days: no owner to tell", replace(DECIDE, owner=None), BERLIN, "2026-11-25 12:00",
          D7, None),
    Nudge("7 days: not to an owner who is asked to decide", replace(DECIDE, sponsor=None),
          BERLIN, "2026-11-25 12:00", D7, None),
    Nudge("today: Berlin's 23-hour day starts at 23:00 UTC",
          replace(DECIDE, decide_by=date(2026, 3, 29)), BERLIN, "2026-03-28T23:00:00+00:00",
          DTODAY, (OWNER, "decide-by:2026-03-29", "2026-03-29 00:00")),
    Nudge("overdue: Berlin's 23-hour day ends at 22:00 UTC",
          replace(DECIDE, decide_by=date(2026, 3, 29)), BERLIN, "2026-03-29T22:00:00+00:00",
          OVERDUE, (SPONSOR, "overdue:2026-03-29", "2026-03-30 00:00")),
    Nudge("overdue: not at 21:59:59 UTC on Berlin's short day",
          replace(DECIDE, decide_by=date(2026, 3, 29)), BERLIN, "2026-03-29T21:59:59+00:00",
          OVERDUE, None),
    Nudge("7 days: Berlin 18 October, before the clocks go back",
          replace(DECIDE, decide_by=date(2026, 10, 25)), BERLIN, "2026-10-17T22:00:00+00:00",
          D7, (OWNER, "decide-by-7d:2026-10-25", "2026-10-18 00:00")),
    Nudge("overdue: New York's 25-hour day is not over at 04:59:59 UTC",
          replace(DECIDE, decide_by=date(2026, 11, 1)), NEW_YORK, "2026-11-02T04:59:59+00:00",
          OVERDUE, None),
    Nudge("overdue: New York's 25-hour day ends at 05:00 UTC",
          replace(DECIDE, decide_by=date(2026, 11, 1)), NEW_YORK, "2026-11-02T05:00:00+00:00",
          OVERDUE, (SPONSOR, "overdue:2026-11-01", "2026-11-02 00:00")),
    Nudge("7 days: New York, a week before spring forward",
          replace(DECIDE, decide_by=date(2026, 3, 8)), NEW_YORK, "2026-03-01 00:00",
          D7, (OWNER, "decide-by-7d:2026-03-08", "2026-03-01 00:00")),
    Nudge("today: 31 December in Auckland is still today at 10:59:59 UTC",
          replace(DECIDE, decide_by=date(2026, 12, 31)), AUCKLAND, "2026-12-31T10:59:59+00:00",
          DTODAY, (OWNER, "decide-by:2026-12-31", "2026-12-31 00:00")),
    Nudge("overdue: 1 January in Auckland at 11:00 UTC",
          replace(DECIDE, decide_by=date(2026, 12, 31)), AUCKLAND, "2026-12-31T11:00:00+00:00",
          OVERDUE, (SPONSOR, "overdue:2026-12-31", "2027-01-01 00:00")),
    Nudge("7 days: across the February month end",
          replace(DECIDE, decide_by=date(2026, 3, 1)), KOLKATA, "2026-02-28 23:59",
          D7, (OWNER, "decide-by-7d:2026-03-01", "2026-02-22 00:00")),
    Nudge("today: 1 March after 28 February",
          replace(DECIDE, decide_by=date(2026, 3, 1)), KOLKATA, "2026-03-01 00:00",
          DTODAY, (OWNER, "decide-by:2026-03-01", "2026-03-01 00:00")),
    Nudge("7 days: across the year end",
          replace(DECIDE, decide_by=date(2027, 1, 3)), UTC_NAME, "2026-12-27 00:00",
          D7, (OWNER, "decide-by-7d:2027-01-03", "2026-12-27 00:00")),
    # Decision due, to the sponsor on the sponsor's calendar (New York, owner in Berlin).
    Nudge("decision due: not at Berlin's midnight a week before", DECIDE, BERLIN,
          "2026-11-23 00:00", DUE, None, NEW_YORK),
    Nudge("decision due: a week before, from the sponsor's midnight", DECIDE, BERLIN,
          "2026-11-23T00:00:00-05:00", DUE,
          (SPONSOR, "decision-due-7d:2026-11-30", "2026-11-23T00:00:00-05:00"), NEW_YORK),
    Nudge("decision due: the week's occasion until the sponsor's day begins", DECIDE, BERLIN,
          "2026-11-29T23:59:59-05:00", DUE,
          (SPONSOR, "decision-due-7d:2026-11-30", "2026-11-23T00:00:00-05:00"), NEW_YORK),
    Nudge("decision due: on the day, from the sponsor's midnight", DECIDE, BERLIN,
          "2026-11-30T00:00:00-05:00", DUE,
          (SPONSOR, "decision-due:2026-11-30", "2026-11-30T00:00:00-05:00"), NEW_YORK),
    Nudge("decision due: not once the sponsor's day is over", DECIDE, BERLIN,
          "2026-12-01T00:00:00-05:00", DUE, None, NEW_YORK),
    Nudge("overdue: not while the day lasts in New York", DECIDE, BERLIN,
          "2026-11-30T23:59:59-05:00", OVERDUE, None, NEW_YORK),
    Nudge("overdue: after the sponsor's day, not the owner's", DECIDE, BERLIN,
          "2026-12-01T00:00:00-05:00", OVERDUE,
          (SPONSOR, "overdue:2026-11-30", "2026-12-01T00:00:00-05:00"), NEW_YORK),
    Nudge("decision due: the owner when there is no sponsor", replace(DECIDE, sponsor=None),
          BERLIN, "2026-11-23 00:00", DUE, (OWNER, "decision-due-7d:2026-11-30",
          "2026-11-23 00:00"), NEW_YORK),
    Nudge("decision due: the owner when the sponsor has left",
          replace(DECIDE, sponsor_deactivated=True), BERLIN, "2026-11-30 00:00", DUE,
          (OWNER, "decision-due:2026-11-30", "2026-11-30 00:00"), NEW_YORK),
    Nudge("decision due: a week before in Auckland, across the year end",
          replace(DECIDE, decide_by=date(2027, 1, 5)), BERLIN, "2026-12-29T00:00:00+13:00", DUE,
          (SPONSOR, "decision-due-7d:2027-01-05", "2026-12-29T00:00:00+13:00"), AUCKLAND),
    Nudge("decision due: 31 March in Kolkata, a week before 7 April",
          replace(DECIDE, decide_by=date(2026, 4, 7)), BERLIN, "2026-03-31T00:00:00+05:30", DUE,
          (SPONSOR, "decision-due-7d:2026-04-07", "2026-03-31T00:00:00+05:30"), KOLKATA),
    Nudge("decision due: the reading that turns it Go", B_GO, BERLIN, "2026-03-09 10:00", DUE,
          (SPONSOR, "decision-go:2026-03-09T09:00:00+00:00", "2026-03-09 10:00")),
    Nudge("decision due: not a second before that reading", B_GO, BERLIN,
          "2026-03-09 09:59:59", DUE, None),
    Nudge("decision due: the same occasion while it stays Go", B_GO, BERLIN,
          "2026-03-14 18:00", DUE,
          (SPONSOR, "decision-go:2026-03-09T09:00:00+00:00", "2026-03-09 10:00")),
    Nudge("decision due: not for a reading that misses the threshold",
          replace(B_GO, **read(BERLIN, "2026-03-09 10:00", value=MISSES)), BERLIN,
          "2026-03-09 10:00", DUE, None),
    Nudge("decision due: not once the sponsor extended knowing that reading",
          replace(B_GO, **decided(Decision.EXTEND, BERLIN, "2026-03-10 10:00")), BERLIN,
          "2026-03-11 10:00", DUE, None),
    Nudge("decision due: not while a go decision waits for approval",
          replace(B_GO, **pending_go(BERLIN, "2026-03-10 10:00", OWNER)), BERLIN,
          "2026-03-11 10:00", DUE, None),
    # News: a decision told to the one who did not take it; an amendment to the sponsor.
    Nudge("told: a go by the sponsor, to the owner",
          replace(B_GO, **decided(Decision.GO, BERLIN, "2026-03-12 16:00")), BERLIN,
          "2026-03-12 16:00", TOLD, (OWNER, "decided:2026-03-12T15:00:00+00:00",
          "2026-03-12 16:00")),
    Nudge("told: a no-go by the owner, to the sponsor",
          replace(DECIDE, **decided(Decision.NO_GO, BERLIN, "2026-12-02 09:00", by=OWNER)),
          BERLIN, "2026-12-02 09:00", TOLD, (SPONSOR, "decided:2026-12-02T08:00:00+00:00",
          "2026-12-02 09:00")),
    Nudge("told: news for a week, across the clocks going back",
          replace(DECIDE, **decided(Decision.NO_GO, BERLIN, "2026-10-20 09:00", by=OWNER)),
          BERLIN, "2026-10-27 07:59:59", TOLD, (SPONSOR, "decided:2026-10-20T07:00:00+00:00",
          "2026-10-20 09:00")),
    Nudge("told: no news after a week",
          replace(DECIDE, **decided(Decision.NO_GO, BERLIN, "2026-10-20 09:00", by=OWNER)),
          BERLIN, "2026-10-27 08:00", TOLD, None),
    Nudge("told: an approved override, to the owner who asked for it",
          replace(B_GO, latest_decision=DecisionRecord(
              Decision.GO, OWNER, at(BERLIN, "2026-03-10 10:00"), "worth it",
              DecisionStatus.APPROVED, approved_by=SPONSOR,
              approved_at=at(BERLIN, "2026-03-11 09:00"))),
          BERLIN, "2026-03-11 09:00", TOLD, (OWNER, "decided:2026-03-10T09:00:00+00:00",
          "2026-03-11 09:00")),
    Nudge("amended: a threshold moved by the owner, to the sponsor",
          replace(B_GO, **amended(BERLIN, "2026-03-10 11:00", OWNER)), BERLIN,
          "2026-03-10 11:00", AMENDED, (SPONSOR, "amended:threshold:2026-03-10T10:00:00+00:00",
          "2026-03-10 11:00")),
    Nudge("amended: by the sponsor, to the owner",
          replace(B_GO, **amended(BERLIN, "2026-03-10 11:00", SPONSOR)), BERLIN,
          "2026-03-11 11:00", AMENDED, (OWNER, "amended:threshold:2026-03-10T10:00:00+00:00",
          "2026-03-10 11:00")),
    Nudge("amended: not before it happened",
          replace(B_GO, **amended(BERLIN, "2026-03-10 11:00", OWNER)), BERLIN,
          "2026-03-10 10:59:59", AMENDED, None),
    # An override waits for its second person.
    Nudge("approve: an owner's go waits for the sponsor",
          replace(DECIDE, **pending_go(BERLIN, "2026-11-20 15:00", OWNER)), BERLIN,
          "2026-11-20 15:00", APPROVE, (SPONSOR, "approve:2026-11-20T14:00:00+00:00",
          "2026-11-20 15:00")),
    Nudge("approve: a sponsor's go waits for the Accountable of reporting",
          replace(DECIDE, **pending_go(BERLIN, "2026-11-20 15:00", SPONSOR)), BERLIN,
          "2026-12-20 15:00", APPROVE, (OWNER, "approve:2026-11-20T14:00:00+00:00",
          "2026-11-20 15:00")),
    # A rejected override is news for who took the go.
    Nudge("rejected: an owner's go, rejected by the sponsor, to the owner",
          replace(DECIDE, **rejected_go(BERLIN, "2026-11-20 15:00", OWNER, SPONSOR,
                                        "2026-11-21 09:30")), BERLIN,
          "2026-11-21 09:30", REJECTED, (OWNER, "rejected:2026-11-20T14:00:00+00:00",
          "2026-11-21 09:30")),
    Nudge("rejected: no news a week after the rejection",
          replace(DECIDE, **rejected_go(BERLIN, "2026-11-20 15:00", OWNER, SPONSOR,
                                        "2026-11-21 09:30")), BERLIN,
          "2026-11-28 09:30", REJECTED, None),
]  # fmt: skip


@pytest.mark.parametrize("row", DECISION_NUDGES, ids=ids(DECISION_NUDGES))
def test_decision_reminder(row: Nudge) -> None:
    """Due to whom the row says at its moment, or not at all."""
    assert_nudge(row)
