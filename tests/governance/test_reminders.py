"""Owner nudges, sponsor escalations and the decision loop: each at its moment on the
owner's (or, for the decision due, the sponsor's) wall clock, and only then.

Instants are written on the owner's wall clock in the row's zone (or with an explicit offset
where the UTC side is the point, or the sponsor lives elsewhere). "Now" is frozen with
freezegun, as a tick reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.governance.facts import Amendment, DecisionRecord, Measurement, PilotFacts
from bot.governance.notices import Due, Reason
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.vocabulary import (
    Better,
    Cadence,
    Decision,
    DecisionStatus,
    RaciArea,
    RaciRole,
    Verdict,
)
from tests.slack.blocks.factory import full_raci

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
AUCKLAND = "Pacific/Auckland"
UTC_NAME = "UTC"
OWNER, SPONSOR, KEY = "U0ANN", "U0SPO", "P-7"
SECOND = timedelta(seconds=1)

Key = tuple[str, Reason, str]


def at(zone: str, text: str) -> datetime:
    """A wall-clock time in `zone` (or a time with its own offset) as an aware UTC instant."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def pilot(zone: str, registered: str, **changes: Any) -> PilotFacts:
    """An invoice-matching pilot with its baseline measured at registration and a full RACI;
    no readings, no decide-by, no decision unless `changes` says so."""
    registered_at = at(zone, registered)
    baseline = Measurement(12.0, registered_at)
    facts = PilotFacts(
        key=KEY,
        name="Invoice matching",
        registered_at=registered_at,
        owner=OWNER,
        sponsor=SPONSOR,
        metric_name="minutes per invoice",
        unit="min",
        better=Better.LOWER,
        threshold=8.0,
        workflow="SAP",
        eval_size=120,
        eval_score=97,
        eval_bar=95,
        monitoring="ops dashboard",
        rollback=True,
        cost_per_unit=0.1,
        value_per_unit=2.0,
        volume=10_000,
        first_baseline=baseline,
        baseline=baseline,
        raci=full_raci(OWNER),
    )
    return replace(facts, **changes)


def read(zone: str, text: str, value: float = 7.5) -> dict[str, Any]:
    measurement = Measurement(value, at(zone, text))
    return {"first_reading": measurement, "latest_reading": measurement}


def decided(decision: Decision, zone: str, text: str, by: str = SPONSOR) -> dict[str, Any]:
    return {"latest_decision": DecisionRecord(decision, by, at(zone, text), "agreed")}


def amended(zone: str, text: str, by: str) -> dict[str, Any]:
    change = Amendment("threshold", "8", "9.5", "re-measured", by, at(zone, text))
    return {"amendments": (change,)}


def pending_go(zone: str, text: str, by: str) -> dict[str, Any]:
    go = DecisionRecord(Decision.GO, by, at(zone, text), "worth it", DecisionStatus.PENDING)
    return {"pending_decision": go}


NO_BASELINE: dict[str, Any] = {"first_baseline": None, "baseline": None}
NO_REPORTING_ACCOUNTABLE = {
    **full_raci(OWNER),
    RaciArea.REPORTING: {RaciRole.RESPONSIBLE: (OWNER,)},
}


def evaluate(
    facts: PilotFacts, zone: str, now: datetime, sponsor_zone: str | None = None
) -> tuple[list[Due], datetime | None]:
    """What a tick at `now` computes, with the clock frozen there."""
    tz = ZoneInfo(zone)
    sponsor_tz = ZoneInfo(sponsor_zone) if sponsor_zone else None
    with freeze_time(now):
        frozen = datetime.now(UTC)
        return due_for_pilot(facts, assess(facts, frozen, tz), frozen, tz, sponsor_tz=sponsor_tz)


def keys(dues: list[Due]) -> set[Key]:
    return {(due.recipient, due.reason, due.period) for due in dues}


@dataclass(frozen=True)
class Nudge:
    name: str
    facts: PilotFacts
    zone: str
    now: str
    reason: Reason
    # (recipient, period, since on the wall clock), or None: this reason is not due.
    expected: tuple[str, str, str] | None
    sponsor_zone: str | None = None


B_FRESH = pilot(BERLIN, "2026-03-02 10:00", **NO_BASELINE)
R_FRESH = pilot(BERLIN, "2026-03-02 10:00", raci=NO_REPORTING_ACCOUNTABLE)
NY_READ = pilot(NEW_YORK, "2026-02-02 09:00", **read(NEW_YORK, "2026-02-23 09:00"))
NY_READ_AGAIN = replace(NY_READ, **read(NEW_YORK, "2026-03-05 15:00"))
NY_EXTENDED = replace(NY_READ, **decided(Decision.EXTEND, NEW_YORK, "2026-03-06 11:00"))
DECIDE = pilot(BERLIN, "2026-09-01 09:00", decide_by=date(2026, 11, 30))
# Every check passes once the reading of 7.5 (threshold 8) is in: Go.
B_GO = pilot(BERLIN, "2026-03-02 10:00", **read(BERLIN, "2026-03-09 10:00"))
BL, RACI, RD = Reason.BASELINE_MISSING, Reason.RACI_NO_ACCOUNTABLE, Reason.READING_DUE
MISSED, D7, DTODAY = Reason.READINGS_MISSED, Reason.DECIDE_BY_IN_7_DAYS, Reason.DECIDE_BY_TODAY
OVERDUE, DUE, STOP = Reason.DECISION_OVERDUE, Reason.DECISION_DUE, Reason.STOP_OR_EXTEND
TOLD, AMENDED = Reason.DECISION_RECORDED, Reason.AMENDMENT_TOLD
APPROVE = Reason.OVERRIDE_WAITING

NUDGES = [
    # Baseline missing: a day after registration, then every cadence period.
    Nudge("baseline: not on the day of registration", B_FRESH, BERLIN, "2026-03-03 09:59:59",
          BL, None),
    Nudge("baseline: one day after registration", B_FRESH, BERLIN, "2026-03-03 10:00", BL,
          (OWNER, "baseline:2026-03-03", "2026-03-03 10:00")),
    Nudge("baseline: the same occasion all week", B_FRESH, BERLIN, "2026-03-10 09:59:59", BL,
          (OWNER, "baseline:2026-03-03", "2026-03-03 10:00")),
    Nudge("baseline: again one period later", B_FRESH, BERLIN, "2026-03-10 10:00", BL,
          (OWNER, "baseline:2026-03-10", "2026-03-10 10:00")),
    Nudge("baseline: 10:00 local after spring forward", B_FRESH, BERLIN, "2026-03-31 10:00", BL,
          (OWNER, "baseline:2026-03-31", "2026-03-31 10:00")),
    Nudge("baseline: the third reminder, a week on", B_FRESH, BERLIN, "2026-03-17 10:00", BL,
          (OWNER, "baseline:2026-03-17", "2026-03-17 10:00")),
    Nudge("baseline: from the third on, every other week: the fourth is skipped", B_FRESH,
          BERLIN, "2026-03-24 10:00", BL, (OWNER, "baseline:2026-03-17", "2026-03-17 10:00")),
    Nudge("baseline: 09:30 CEST is not yet the fifth; the third still stands", B_FRESH, BERLIN,
          "2026-03-31 09:30", BL, (OWNER, "baseline:2026-03-17", "2026-03-17 10:00")),
    Nudge("baseline: weeks late, only the latest occasion", B_FRESH, BERLIN, "2026-05-01 12:00",
          BL, (OWNER, "baseline:2026-04-28", "2026-04-28 10:00")),
    Nudge("baseline recorded: nothing", pilot(BERLIN, "2026-03-02 10:00"), BERLIN,
          "2026-03-10 10:00", BL, None),
    Nudge("baseline: one recorded after now has not been recorded yet",
          replace(B_FRESH, baseline=Measurement(12, at(BERLIN, "2026-03-12 16:00"))), BERLIN,
          "2026-03-10 10:00", BL, (OWNER, "baseline:2026-03-10", "2026-03-10 10:00")),
    Nudge("baseline missing but no owner to ask", replace(B_FRESH, owner=None), BERLIN,
          "2026-03-10 10:00", BL, None),
    Nudge("baseline: monthly, 31 January", pilot(KOLKATA, "2026-01-30 12:00",
          cadence=Cadence.MONTHLY, **NO_BASELINE), KOLKATA, "2026-01-31 12:00", BL,
          (OWNER, "baseline:2026-01-31", "2026-01-31 12:00")),
    Nudge("baseline: monthly, 30 days after 31 January is 2 March", pilot(KOLKATA,
          "2026-01-30 12:00", cadence=Cadence.MONTHLY, **NO_BASELINE), KOLKATA,
          "2026-03-02 12:00", BL, (OWNER, "baseline:2026-03-02", "2026-03-02 12:00")),
    Nudge("baseline: the owner's date, not UTC's", pilot(AUCKLAND, "2026-02-27 08:00",
          **NO_BASELINE), AUCKLAND, "2026-02-27T19:00:00+00:00", BL,
          (OWNER, "baseline:2026-02-28", "2026-02-28 08:00")),
    Nudge("baseline: 31 December to 1 January", pilot(UTC_NAME, "2026-12-31 08:00",
          **NO_BASELINE), UTC_NAME, "2027-01-01 08:00", BL,
          (OWNER, "baseline:2027-01-01", "2027-01-01 08:00")),
    Nudge("baseline: 08:30 EST after fall back is still last week's", pilot(NEW_YORK,
          "2026-10-25 09:00", **NO_BASELINE), NEW_YORK, "2026-11-02T13:30:00+00:00", BL,
          (OWNER, "baseline:2026-10-26", "2026-10-26 09:00")),
    Nudge("baseline: 09:00 EST after fall back", pilot(NEW_YORK, "2026-10-25 09:00",
          **NO_BASELINE), NEW_YORK, "2026-11-02 09:00", BL,
          (OWNER, "baseline:2026-11-02", "2026-11-02 09:00")),
    # RACI with an area nobody is Accountable for: the same occasions.
    Nudge("raci: not before a day has passed", R_FRESH, BERLIN, "2026-03-03 09:59:59", RACI,
          None),
    Nudge("raci: one day after registration", R_FRESH, BERLIN, "2026-03-03 10:00", RACI,
          (OWNER, "raci:2026-03-03", "2026-03-03 10:00")),
    Nudge("raci: two periods later", R_FRESH, BERLIN, "2026-03-17 10:00", RACI,
          (OWNER, "raci:2026-03-17", "2026-03-17 10:00")),
    Nudge("raci: nobody named at all", replace(R_FRESH, raci={}), BERLIN, "2026-03-03 10:00",
          RACI, (OWNER, "raci:2026-03-03", "2026-03-03 10:00")),
    Nudge("raci: every area has its Accountable", pilot(BERLIN, "2026-03-02 10:00"), BERLIN,
          "2026-03-03 10:00", RACI, None),
    Nudge("raci: two Accountables is not a missing one",
          pilot(BERLIN, "2026-03-02 10:00", raci={**full_raci(OWNER),
                RaciArea.CHANGES: {RaciRole.ACCOUNTABLE: (OWNER, SPONSOR)}}),
          BERLIN, "2026-03-03 10:00", RACI, None),
    # Reading due: a period after the latest reading, decision or registration.
    Nudge("reading: a second before the week is up", NY_READ, NEW_YORK, "2026-03-02 08:59:59",
          RD, None),
    Nudge("reading: a week after the last one", NY_READ, NEW_YORK, "2026-03-02 09:00", RD,
          (OWNER, "reading:2026-03-02", "2026-03-02 09:00")),
    Nudge("reading: 08:59 EDT after spring forward is still last week's", NY_READ, NEW_YORK,
          "2026-03-09 08:59:59", RD, (OWNER, "reading:2026-03-02", "2026-03-02 09:00")),
    Nudge("reading: 09:00 EDT after spring forward", NY_READ, NEW_YORK,
          "2026-03-09T13:00:00+00:00", RD, (OWNER, "reading:2026-03-09", "2026-03-09 09:00")),
    Nudge("reading: a new reading resets the clock", NY_READ_AGAIN, NEW_YORK,
          "2026-03-09 09:00", RD, None),
    Nudge("reading: due a week after the new reading", NY_READ_AGAIN, NEW_YORK,
          "2026-03-12 15:00", RD, (OWNER, "reading:2026-03-12", "2026-03-12 15:00")),
    Nudge("reading: an extension resets the clock", NY_EXTENDED, NEW_YORK, "2026-03-09 09:00",
          RD, None),
    Nudge("reading: due a week after the extension", NY_EXTENDED, NEW_YORK, "2026-03-13 11:00",
          RD, (OWNER, "reading:2026-03-13", "2026-03-13 11:00")),
    Nudge("reading: an extension before the last reading changes nothing",
          replace(NY_READ, **decided(Decision.EXTEND, NEW_YORK, "2026-02-20 10:00")), NEW_YORK,
          "2026-03-02 09:00", RD, (OWNER, "reading:2026-03-02", "2026-03-02 09:00")),
    Nudge("reading: never measured, counted from registration",
          pilot(NEW_YORK, "2026-02-02 09:00"), NEW_YORK, "2026-02-09 09:00", RD,
          (OWNER, "reading:2026-02-09", "2026-02-09 09:00")),
    Nudge("reading: no owner to ask", replace(NY_READ, owner=None), NEW_YORK,
          "2026-03-02 09:00", RD, None),
    Nudge("reading: Berlin 09:30 CET after fall back is not yet a week",
          pilot(BERLIN, "2026-10-01 09:00", **read(BERLIN, "2026-10-19 10:00")), BERLIN,
          "2026-10-26T08:30:00+00:00", RD, None),
    Nudge("reading: Berlin 10:00 CET after fall back",
          pilot(BERLIN, "2026-10-01 09:00", **read(BERLIN, "2026-10-19 10:00")), BERLIN,
          "2026-10-26T09:00:00+00:00", RD, (OWNER, "reading:2026-10-26", "2026-10-26 10:00")),
    Nudge("reading: New York 13:30 UTC after fall back is 08:30 EST",
          pilot(NEW_YORK, "2026-10-01 09:00", **read(NEW_YORK, "2026-10-26 09:00")), NEW_YORK,
          "2026-11-02T13:30:00+00:00", RD, None),
    Nudge("reading: New York 14:00 UTC after fall back is 09:00 EST",
          pilot(NEW_YORK, "2026-10-01 09:00", **read(NEW_YORK, "2026-10-26 09:00")), NEW_YORK,
          "2026-11-02T14:00:00+00:00", RD, (OWNER, "reading:2026-11-02", "2026-11-02 09:00")),
    Nudge("reading: monthly from 31 January, not yet on 2 March 11:59",
          pilot(KOLKATA, "2026-01-02 12:00", cadence=Cadence.MONTHLY,
                **read(KOLKATA, "2026-01-31 12:00")),
          KOLKATA, "2026-03-02 11:59:59", RD, None),
    Nudge("reading: monthly from 31 January, due 2 March",
          pilot(KOLKATA, "2026-01-02 12:00", cadence=Cadence.MONTHLY,
                **read(KOLKATA, "2026-01-31 12:00")),
          KOLKATA, "2026-03-02 12:00", RD, (OWNER, "reading:2026-03-02", "2026-03-02 12:00")),
    Nudge("reading: biweekly into the new year",
          pilot(UTC_NAME, "2026-12-01 12:00", cadence=Cadence.BIWEEKLY,
                **read(UTC_NAME, "2026-12-18 16:00")),
          UTC_NAME, "2027-01-01 16:00", RD, (OWNER, "reading:2027-01-01", "2027-01-01 16:00")),
    Nudge("reading: weekly on 28 February",
          pilot(BERLIN, "2026-02-01 12:00", **read(BERLIN, "2026-02-21 18:00")), BERLIN,
          "2026-02-28 18:00", RD, (OWNER, "reading:2026-02-28", "2026-02-28 18:00")),
    Nudge("reading: Auckland springs forward, due 20:00 UTC the day before",
          pilot(AUCKLAND, "2026-09-01 09:00", **read(AUCKLAND, "2026-09-21 09:00")), AUCKLAND,
          "2026-09-27T20:00:00+00:00", RD, (OWNER, "reading:2026-09-28", "2026-09-28 09:00")),
    Nudge("reading: Auckland, a second earlier",
          pilot(AUCKLAND, "2026-09-01 09:00", **read(AUCKLAND, "2026-09-21 09:00")), AUCKLAND,
          "2026-09-27T19:59:59+00:00", RD, None),
    # Two due readings missed in a row: the sponsor hears; after one, not yet.
    Nudge("missed: one missed reading is not escalated", NY_READ, NEW_YORK, "2026-03-02 09:00",
          MISSED, None),
    Nudge("missed: a second before the second one", NY_READ, NEW_YORK, "2026-03-09 08:59:59",
          MISSED, None),
    Nudge("missed: the second reading has fallen due, not yet been missed", NY_READ, NEW_YORK,
          "2026-03-09 09:00", MISSED, None),
    Nudge("missed: a second before 24 hours have passed", NY_READ, NEW_YORK,
          "2026-03-10 08:59:59", MISSED, None),
    Nudge("missed: the second missed reading goes to the sponsor", NY_READ, NEW_YORK,
          "2026-03-10 09:00", MISSED, (SPONSOR, "missed:2026-03-10", "2026-03-10 09:00")),
    Nudge("missed: the same escalation until the third", NY_READ, NEW_YORK, "2026-03-17 08:59",
          MISSED, (SPONSOR, "missed:2026-03-10", "2026-03-10 09:00")),
    Nudge("missed: three in a row, again", NY_READ, NEW_YORK, "2026-03-17 09:00", MISSED,
          (SPONSOR, "missed:2026-03-17", "2026-03-17 09:00")),
    Nudge("missed: from the fourth on the stop-or-extend question asks instead", NY_READ,
          NEW_YORK, "2026-03-31 09:00", MISSED,
          (SPONSOR, "missed:2026-03-17", "2026-03-17 09:00")),
    Nudge("missed: no sponsor to tell", replace(NY_READ, sponsor=None), NEW_YORK,
          "2026-03-10 09:00", MISSED, None),
    Nudge("missed: not a sponsor who has left", replace(NY_READ, sponsor_deactivated=True),
          NEW_YORK, "2026-03-10 09:00", MISSED, None),
    Nudge("missed: not the owner who is also the sponsor", replace(NY_READ, sponsor=OWNER),
          NEW_YORK, "2026-03-10 09:00", MISSED, None),
    Nudge("missed: 24 hours after 09:00 EST on Saturday is 10:00 EDT on Sunday",
          pilot(NEW_YORK, "2026-02-01 09:00", **read(NEW_YORK, "2026-02-21 09:00")), NEW_YORK,
          "2026-03-08 09:59:59", MISSED, None),
    Nudge("missed: at 10:00 EDT the day the clocks sprang forward",
          pilot(NEW_YORK, "2026-02-01 09:00", **read(NEW_YORK, "2026-02-21 09:00")), NEW_YORK,
          "2026-03-08 10:00", MISSED, (SPONSOR, "missed:2026-03-08", "2026-03-08 10:00")),
    Nudge("missed: a reading in between resets the count", NY_READ_AGAIN, NEW_YORK,
          "2026-03-16 09:00", MISSED, None),
    Nudge("missed: a day after two periods after an extension", NY_EXTENDED, NEW_YORK,
          "2026-03-21 11:00", MISSED, (SPONSOR, "missed:2026-03-21", "2026-03-21 11:00")),
    Nudge("missed: monthly, a day after the 60th day after 31 January",
          pilot(KOLKATA, "2026-01-02 12:00", cadence=Cadence.MONTHLY,
                **read(KOLKATA, "2026-01-31 12:00")),
          KOLKATA, "2026-04-02 12:00", MISSED, (SPONSOR, "missed:2026-04-02", "2026-04-02 12:00")),
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
          replace(B_GO, **read(BERLIN, "2026-03-09 10:00", value=9)), BERLIN,
          "2026-03-09 10:00", DUE, None),
    Nudge("decision due: not once the sponsor extended knowing that reading",
          replace(B_GO, **decided(Decision.EXTEND, BERLIN, "2026-03-10 10:00")), BERLIN,
          "2026-03-11 10:00", DUE, None),
    Nudge("decision due: not while a go decision waits for approval",
          replace(B_GO, **pending_go(BERLIN, "2026-03-10 10:00", OWNER)), BERLIN,
          "2026-03-11 10:00", DUE, None),
    # Stop or extend: four cadence periods without a reading or decision, then every four.
    Nudge("stop or extend: not a second before four weeks", NY_READ, NEW_YORK,
          "2026-03-23 08:59:59", STOP, None),
    Nudge("stop or extend: four weeks after the last reading, across spring forward", NY_READ,
          NEW_YORK, "2026-03-23 09:00", STOP,
          (SPONSOR, "stop-or-extend:2026-03-23", "2026-03-23 09:00")),
    Nudge("stop or extend: again four weeks later", NY_READ, NEW_YORK, "2026-04-20 09:00",
          STOP, (SPONSOR, "stop-or-extend:2026-04-20", "2026-04-20 09:00")),
    Nudge("stop or extend: the third question", NY_READ, NEW_YORK, "2026-05-18 09:00",
          STOP, (SPONSOR, "stop-or-extend:2026-05-18", "2026-05-18 09:00")),
    Nudge("stop or extend: then every other time: the fourth is skipped", NY_READ, NEW_YORK,
          "2026-06-15 09:00", STOP, (SPONSOR, "stop-or-extend:2026-05-18", "2026-05-18 09:00")),
    Nudge("stop or extend: and the fifth is asked", NY_READ, NEW_YORK, "2026-07-13 09:00",
          STOP, (SPONSOR, "stop-or-extend:2026-07-13", "2026-07-13 09:00")),
    Nudge("stop or extend: counted from an extension", NY_EXTENDED, NEW_YORK,
          "2026-04-03 11:00", STOP, (SPONSOR, "stop-or-extend:2026-04-03", "2026-04-03 11:00")),
    Nudge("stop or extend: monthly, 120 days after 31 January",
          pilot(KOLKATA, "2026-01-02 12:00", cadence=Cadence.MONTHLY,
                **read(KOLKATA, "2026-01-31 12:00")),
          KOLKATA, "2026-05-31 12:00", STOP,
          (SPONSOR, "stop-or-extend:2026-05-31", "2026-05-31 12:00")),
    Nudge("stop or extend: never measured, from registration, as Auckland springs forward",
          pilot(AUCKLAND, "2026-09-01 09:00"), AUCKLAND, "2026-09-29 09:00", STOP,
          (SPONSOR, "stop-or-extend:2026-09-29", "2026-09-29 09:00")),
    Nudge("stop or extend: the owner when there is no sponsor", replace(NY_READ, sponsor=None),
          NEW_YORK, "2026-03-23 09:00", STOP,
          (OWNER, "stop-or-extend:2026-03-23", "2026-03-23 09:00")),
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
]  # fmt: skip


@pytest.mark.parametrize("row", NUDGES, ids=[row.name for row in NUDGES])
def test_nudge_table(row: Nudge) -> None:
    dues, _ = evaluate(row.facts, row.zone, at(row.zone, row.now), row.sponsor_zone)
    of_reason = [due for due in dues if due.reason is row.reason]
    if row.expected is None:
        assert of_reason == []
    else:
        recipient, period, since = row.expected
        assert of_reason == [Due(recipient, row.reason, KEY, period, at(row.zone, since))]
        assert of_reason[0].since.tzinfo is UTC


def test_the_table_covers_every_reminder_reason_in_every_zone() -> None:
    reminded = {row.reason for row in NUDGES if row.expected is not None}
    assert reminded == {reason for reason in Reason if reason not in (Reason.DIGEST,
                        Reason.DELIVERY_FAILED)}  # fmt: skip
    assert {row.zone for row in NUDGES} == {BERLIN, NEW_YORK, KOLKATA, AUCKLAND, UTC_NAME}


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


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, KOLKATA, AUCKLAND, UTC_NAME])
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


@pytest.mark.parametrize(
    ("facts", "zone", "occasion", "arises"),
    [row[1:] for row in OCCASIONS],
    ids=[row[0] for row in OCCASIONS],
)
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
        (pilot(KOLKATA, "2026-01-02 12:00", **read(KOLKATA, "2026-02-22 07:45", value=9)),
         KOLKATA, "2026-03-01 07:45"),
        (pilot(AUCKLAND, "2026-09-01 09:00", **read(AUCKLAND, "2026-09-21 09:00", value=9)),
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


@pytest.mark.parametrize(
    ("facts", "zone", "start", "weeks"),
    [row[1:] for row in LIVES],
    ids=[row[0] for row in LIVES],
)
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
