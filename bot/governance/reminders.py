"""Which nudges and escalations are due for one pilot, and when the next one could be.

Pure: the pilot's facts, its assessment, `now` and the owner's time zone in; `Due` messages
and one instant out. Every occasion is a fixed point on the owner's wall clock (a day after
registration, a cadence period after the last activity, the local midnight a week before the
decide-by date, ...), and each rule reports only its latest occasion at or before `now`, with
a period key naming it. So the same `now` always gives the same keys, a late tick sends no
backlog, and the next occasion is known in advance: the scheduler looks at a pilot again only
when its next instant has come (or its facts changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.governance.cadence import add_periods, local_date, require_aware
from bot.governance.facts import PilotFacts, last_activity
from bot.governance.notices import Due, Reason
from bot.governance.readiness import Assessment
from bot.governance.vocabulary import Cadence, RaciArea, RaciRole
from bot.governance.working_hours import local_midnight

DECIDE_BY_NOTICE_DAYS = 7
# Baseline and RACI nudges start this long (wall clock) after registration.
FIRST_NUDGE_AFTER = timedelta(days=1)
# The sponsor hears once the owner has missed this many due readings in a row.
MISSED_READINGS_TO_ESCALATE = 2


@dataclass(frozen=True)
class _Occasions:
    """The latest occasion of a repeating rule at or before now, and the one after it."""

    latest: datetime | None
    following: datetime


def due_for_pilot(
    facts: PilotFacts, assessment: Assessment, now: datetime, tz: ZoneInfo
) -> tuple[list[Due], datetime | None]:
    """Every message due for this pilot as of `now`, and the next instant something new
    could become due if the facts stay as they are (None when nothing ever can).

    `tz` is the owner's time zone: occasions and the dates in period keys are read on their
    wall clock. `assessment` is `readiness.assess(facts, now, tz)`.
    """
    now = require_aware(now).astimezone(UTC)
    decision = facts.latest_decision
    if decision is not None and decision.decision.is_final and decision.at <= now:
        return [], None

    due: list[Due] = []
    upcoming: list[datetime] = []

    def add(recipient: str, reason: Reason, prefix: str, since: datetime) -> None:
        period = f"{prefix}:{local_date(since, tz).isoformat()}"
        due.append(Due(recipient, reason, facts.key, period, since))

    owner, sponsor = facts.owner, facts.sponsor
    # Set-up nudges (baseline, RACI): a day after registration, then every cadence period.
    setup_gaps = [
        (reason, prefix)
        for reason, prefix, missing in (
            (Reason.BASELINE_MISSING, "baseline", not _has_baseline(facts, now)),
            (Reason.RACI_NO_ACCOUNTABLE, "raci", bool(_areas_without_accountable(facts))),
        )
        if missing
    ]
    if owner and setup_gaps:
        first_nudge = _local_add(facts.registered_at, FIRST_NUDGE_AFTER, tz)
        setup = _repeating(first_nudge, 0, facts.cadence, now, tz)
        if setup.latest is not None:
            for reason, prefix in setup_gaps:
                add(owner, reason, prefix, setup.latest)
        upcoming.append(setup.following)

    anchor = last_activity(facts, now)
    if owner:
        reading = _repeating(anchor, 1, facts.cadence, now, tz)
        if reading.latest is not None:
            add(owner, Reason.READING_DUE, "reading", reading.latest)
        upcoming.append(reading.following)
    if sponsor:
        missed = _repeating(anchor, MISSED_READINGS_TO_ESCALATE, facts.cadence, now, tz)
        if missed.latest is not None:
            add(sponsor, Reason.READINGS_MISSED, "missed", missed.latest)
        upcoming.append(missed.following)

    if facts.decide_by is not None:
        due.extend(_decide_by(facts, facts.decide_by, assessment, now, tz, upcoming))
    return due, min(upcoming, default=None)


def _decide_by(
    facts: PilotFacts,
    decide_by: date,
    assessment: Assessment,
    now: datetime,
    tz: ZoneInfo,
    upcoming: list[datetime],
) -> list[Due]:
    """The week's notice and the day itself to the owner; the overdue decision to the sponsor
    (to the owner when there is no sponsor).

    Appends to `upcoming` the boundaries still ahead of `now`.
    """
    due: list[Due] = []
    key, iso = facts.key, decide_by.isoformat()
    notice_starts = local_midnight(decide_by - timedelta(days=DECIDE_BY_NOTICE_DAYS), tz)
    day_starts = local_midnight(decide_by, tz)
    day_after = local_midnight(decide_by + timedelta(days=1), tz)
    if facts.owner:
        if notice_starts <= now < day_starts:
            due.append(
                Due(
                    facts.owner,
                    Reason.DECIDE_BY_IN_7_DAYS,
                    key,
                    f"decide-by-7d:{iso}",
                    notice_starts,
                )
            )
        elif day_starts <= now < day_after:
            due.append(
                Due(facts.owner, Reason.DECIDE_BY_TODAY, key, f"decide-by:{iso}", day_starts)
            )
        upcoming.extend(moment for moment in (notice_starts, day_starts) if moment > now)
    decider = facts.sponsor or facts.owner
    if decider:
        if assessment.decision_overdue:
            due.append(Due(decider, Reason.DECISION_OVERDUE, key, f"overdue:{iso}", day_after))
        if day_after > now:
            upcoming.append(day_after)
    return due


def _repeating(
    start: datetime, first: int, cadence: Cadence, now: datetime, tz: ZoneInfo
) -> _Occasions:
    """Occasions at start + k periods for k = first, first + 1, ... on the wall clock.

    O(1) whatever the gap since `start`: whole periods are estimated from elapsed time, then
    corrected by the hour or two a clock change can shift a wall-clock period.
    """
    span = timedelta(days=cadence.days)
    k = max(first, (now - start) // span)
    while k > first and add_periods(start, cadence, k, tz) > now:
        k -= 1
    while add_periods(start, cadence, k + 1, tz) <= now:
        k += 1
    latest = add_periods(start, cadence, k, tz)
    if latest > now:
        return _Occasions(None, latest)
    return _Occasions(latest, add_periods(start, cadence, k + 1, tz))


def _local_add(moment: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """`moment` plus `delta` counted on the wall clock in `tz`."""
    return (require_aware(moment).astimezone(tz) + delta).astimezone(UTC)


def _has_baseline(facts: PilotFacts, now: datetime) -> bool:
    return any(
        measurement is not None and measurement.at <= now
        for measurement in (facts.first_baseline, facts.baseline)
    )


def _areas_without_accountable(facts: PilotFacts) -> tuple[RaciArea, ...]:
    return tuple(
        area for area in RaciArea if not facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE)
    )


def still_relevant(
    due: Due, facts: PilotFacts, assessment: Assessment, now: datetime, tz: ZoneInfo
) -> bool:
    """Whether a message planned earlier should still go out at `now` (it may have waited for
    working hours or a snooze). It is dropped only when its reason has gone: a reading or a
    decision was recorded since, the baseline or the Accountable was set, the decide-by date
    moved. A later occasion of the same reason does not make it stale.
    """
    decision = facts.latest_decision
    if decision is not None and decision.decision.is_final and decision.at <= now:
        return False
    since = due.since
    latest_reading = facts.latest_reading
    read_since = latest_reading is not None and since <= latest_reading.at <= now
    match due.reason:
        case Reason.BASELINE_MISSING:
            return facts.baseline is None or facts.baseline.at > now
        case Reason.RACI_NO_ACCOUNTABLE:
            return any(not facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE) for area in RaciArea)
        case Reason.READING_DUE | Reason.READINGS_MISSED:
            decided_since = decision is not None and since <= decision.at <= now
            return not read_since and not decided_since
        case Reason.DECIDE_BY_IN_7_DAYS | Reason.DECIDE_BY_TODAY | Reason.DECISION_OVERDUE:
            day = facts.decide_by
            if day is None or not due.period.endswith(day.isoformat()):
                return False  # the date was moved or cleared since
            today = local_date(now, tz)
            if due.reason is Reason.DECIDE_BY_IN_7_DAYS:
                return today < day
            if due.reason is Reason.DECIDE_BY_TODAY:
                # "Today is the date" is only true on the day; after it the overdue message
                # (to the sponsor) takes over.
                return today <= day
            return assessment.decision_overdue
    return True
