"""What the reminder tables are made of: pilots on a wall clock, the tick that evaluates them,
and one row shape for "this reason is (or is not) due, to whom, since when".

Instants are written on the owner's wall clock in the row's zone (or with an explicit offset
where the UTC side is the point, or the sponsor lives elsewhere). "Now" is frozen with
freezegun, as a tick reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from bot.governance.facts import Amendment
from bot.governance.facts import DecisionRecord
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import full_raci

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
AUCKLAND = "Pacific/Auckland"
UTC_NAME = "UTC"
ZONES = (BERLIN, NEW_YORK, KOLKATA, AUCKLAND, UTC_NAME)
KEY = "P-7"
SECOND = timedelta(seconds=1)
# Readings either side of the threshold below (8 minutes per invoice or lower).
CLEARS, MISSES = 7.5, 9.0

Key = tuple[str, Reason, str]


def at(zone: str, text: str) -> datetime:
    """A wall-clock time in `zone` (or a time with its own offset) as an aware UTC instant."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def pilot(zone: str, registered: str, **changes: Any) -> PilotFacts:
    """The tests' ready pilot as invoice matching, registered at `registered` on `zone`'s wall
    clock with a 12-minute baseline and its evaluation taken then, and the owner Accountable
    everywhere; no readings, no decide-by, no decision unless `changes` says so."""
    registered_at = at(zone, registered)
    baseline = Measurement(12.0, registered_at)
    facts = replace(
        READY,
        key=KEY,
        name="Invoice matching",
        metric_name="minutes per invoice",
        threshold=8.0,
        registered_at=registered_at,
        evaluations=tuple(replace(run, at=registered_at) for run in READY.evaluations),
        first_baseline=baseline,
        baseline=baseline,
        first_reading=None,
        latest_reading=None,
        decide_by=None,
        raci=full_raci(OWNER),
    )
    return replace(facts, **changes)


def read(zone: str, text: str, value: float = CLEARS) -> dict[str, Any]:
    measurement = Measurement(value, at(zone, text))
    return {"first_reading": measurement, "latest_reading": measurement}


def decided(decision: Decision, zone: str, text: str, by: str = SPONSOR) -> dict[str, Any]:
    return {"latest_decision": DecisionRecord(decision, by, at(zone, text), "agreed")}


def amended(zone: str, text: str, by: str) -> dict[str, Any]:
    change = Amendment("threshold", "8", "9.5", "re-measured", by, at(zone, text))
    return {"amendments": (change,)}


def rejected_go(zone: str, text: str, by: str, rejected_by: str, when: str) -> dict[str, Any]:
    go = DecisionRecord(Decision.GO, by, at(zone, text), "worth it", DecisionStatus.REJECTED,
                        approved_by=rejected_by, approved_at=at(zone, when))  # fmt: skip
    return {"rejected_decision": go}


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


def assert_nudge(row: Nudge) -> None:
    """The row's reason is due exactly as the row expects it at its moment, or not at all."""
    dues, _ = evaluate(row.facts, row.zone, at(row.zone, row.now), row.sponsor_zone)
    of_reason = [due for due in dues if due.reason is row.reason]
    if row.expected is None:
        assert of_reason == []
    else:
        recipient, period, since = row.expected
        assert of_reason == [Due(recipient, row.reason, KEY, period, at(row.zone, since))]
        assert of_reason[0].since.tzinfo is UTC


def ids(rows: list[Nudge]) -> list[str]:
    return [row.name for row in rows]


# Pilots several tables look at, on the wall clock of the zone in their name.
B_FRESH = pilot(BERLIN, "2026-03-02 10:00", **NO_BASELINE)
R_FRESH = pilot(BERLIN, "2026-03-02 10:00", raci=NO_REPORTING_ACCOUNTABLE)
NY_READ = pilot(NEW_YORK, "2026-02-02 09:00", **read(NEW_YORK, "2026-02-23 09:00"))
NY_READ_AGAIN = replace(NY_READ, **read(NEW_YORK, "2026-03-05 15:00"))
NY_EXTENDED = replace(NY_READ, **decided(Decision.EXTEND, NEW_YORK, "2026-03-06 11:00"))
# Measured monthly in Kolkata, last on 31 January: month ends move its occasions.
KOLKATA_MONTHLY = pilot(
    KOLKATA, "2026-01-02 12:00", cadence=Cadence.MONTHLY, **read(KOLKATA, "2026-01-31 12:00")
)
DECIDE = pilot(BERLIN, "2026-09-01 09:00", decide_by=date(2026, 11, 30))
# Every check passes once the reading that clears the threshold is in: Go.
B_GO = pilot(BERLIN, "2026-03-02 10:00", **read(BERLIN, "2026-03-09 10:00"))

BL, RACI, RD = Reason.BASELINE_MISSING, Reason.RACI_NO_ACCOUNTABLE, Reason.READING_DUE
MISSED, D7, DTODAY = Reason.READINGS_MISSED, Reason.DECIDE_BY_IN_7_DAYS, Reason.DECIDE_BY_TODAY
OVERDUE, DUE, STOP = Reason.DECISION_OVERDUE, Reason.DECISION_DUE, Reason.STOP_OR_EXTEND
TOLD, AMENDED = Reason.DECISION_RECORDED, Reason.AMENDMENT_TOLD
APPROVE, REJECTED = Reason.OVERRIDE_WAITING, Reason.OVERRIDE_REJECTED
