"""Which nudges and escalations are due for one pilot, and when the next one could be.

Pure: the pilot's facts, its assessment, `now` and the people's time zones in; `Due`
messages and one instant out. Every occasion is a fixed point on a wall clock (a day after
registration, a cadence period after the last activity, the local midnight a week before the
decide-by date, ...), and each rule reports only its latest occasion at or before `now`, with
a period key naming it. So the same `now` always gives the same keys, a late tick sends no
backlog, and the next occasion is known in advance: the scheduler looks at a pilot again only
when its next instant has come (or its facts changed).

The owner's reminders live here; the decision loop's messages (decision due, stop or extend,
news of decisions and amendments, overrides to approve) in bot.governance.decision_loop.
Reminders that recur come every period three times, then every other period
(bot.governance.occasions.is_sent).
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.cadence import add_periods
from bot.governance.cadence import local_date
from bot.governance.cadence import require_aware
from bot.governance.decision_loop import DECIDE_BY_NOTICE_DAYS
from bot.governance.decision_loop import Found
from bot.governance.decision_loop import active_sponsor
from bot.governance.decision_loop import decider
from bot.governance.decision_loop import decision_dues
from bot.governance.facts import PilotFacts
from bot.governance.facts import last_activity
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.occasions import local_add
from bot.governance.occasions import repeating
from bot.governance.occasions import steps_passed
from bot.governance.readiness import Assessment
from bot.governance.readiness import decision_in_force
from bot.governance.relevance import still_relevant
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.working_hours import local_midnight

__all__ = [
    "DECIDE_BY_NOTICE_DAYS",
    "FIRST_NUDGE_AFTER",
    "MISSED_AFTER",
    "due_for_pilot",
    "missed_readings",
    "still_relevant",
]

# Baseline and RACI nudges start this long (wall clock) after registration.
FIRST_NUDGE_AFTER = timedelta(days=1)
# A reading that fell due is missed once this long has passed without one.
MISSED_AFTER = timedelta(hours=24)
# The sponsor hears of the second and the third missed reading; from the fourth period on
# the stop-or-extend question (decision_loop) asks them instead.
ESCALATED_MISSES = (2, 3)


def due_for_pilot(
    facts: PilotFacts,
    assessment: Assessment,
    now: datetime,
    tz: ZoneInfo,
    *,
    sponsor_tz: ZoneInfo | None = None,
) -> tuple[list[Due], datetime | None]:
    """Every message due for this pilot as of `now`, and the next instant something new
    could become due if the facts stay as they are (None when nothing ever can).

    `tz` is the owner's time zone: cadence occasions and the dates in their period keys are
    read on the owner's wall clock. `sponsor_tz` is the sponsor's (default: the owner's): the
    decision-due messages to the sponsor come at midnight on the sponsor's calendar.
    `assessment` is `readiness.assess(facts, now, tz)`.
    """
    now = require_aware(now).astimezone(UTC)
    decider_tz = (
        sponsor_tz if sponsor_tz is not None and decider(facts) == active_sponsor(facts) else tz
    )
    found = decision_dues(facts, assessment, now, tz, decider_tz)
    in_force = decision_in_force(facts, now)
    if in_force is not None and in_force.decision.is_final:
        # A final decision silences every reminder; only its news goes out.
        return found.due, min(found.upcoming, default=None)

    owner_found = Found()
    anchor = last_activity(facts, now)
    if facts.owner:
        _setup_nudges(facts, facts.owner, now, tz, owner_found)
        _reading_due(facts, facts.owner, anchor, now, tz, owner_found)
    _readings_missed(facts, anchor, now, tz, owner_found)
    if facts.owner and facts.decide_by is not None and decider(facts) != facts.owner:
        # With no sponsor to ask, the owner gets the decision-due message instead.
        _decide_by_notices(facts, facts.owner, facts.decide_by, now, tz, owner_found)
    due = owner_found.due + found.due
    return due, min(owner_found.upcoming + found.upcoming, default=None)


def missed_readings(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> int:
    """How many due readings have been missed in a row as of `now`: a reading falls due one
    cadence period after the last reading, decision or registration (and each period after
    that), and is missed once `MISSED_AFTER` has passed since without one."""
    anchor = last_activity(facts, now)
    return steps_passed(anchor, step_days=facts.cadence.days, now=now - MISSED_AFTER, tz=tz)


def _setup_nudges(facts: PilotFacts, owner: str, now: datetime, tz: ZoneInfo, found: Found) -> None:
    """Baseline and RACI: a day after registration, then every cadence period (thinned)."""
    gaps = [
        (reason, prefix)
        for reason, prefix, missing in (
            (Reason.BASELINE_MISSING, "baseline", not _has_baseline(facts, now)),
            (Reason.RACI_NO_ACCOUNTABLE, "raci", bool(_areas_without_accountable(facts))),
        )
        if missing
    ]
    if not gaps:
        return
    first_nudge = local_add(facts.registered_at, FIRST_NUDGE_AFTER, tz)
    setup = repeating(first_nudge, first=0, step_days=facts.cadence.days, now=now, tz=tz)
    if setup.latest is not None:
        for reason, prefix in gaps:
            period = f"{prefix}:{local_date(setup.latest, tz).isoformat()}"
            found.due.append(
                Due(owner, reason, facts.key, period, setup.latest, facts.registered_at)
            )
    found.upcoming.append(setup.following)


def _reading_due(
    facts: PilotFacts, owner: str, anchor: datetime, now: datetime, tz: ZoneInfo, found: Found
) -> None:
    reading = repeating(anchor, first=1, step_days=facts.cadence.days, now=now, tz=tz)
    if reading.latest is not None:
        period = f"reading:{local_date(reading.latest, tz).isoformat()}"
        found.due.append(Due(owner, Reason.READING_DUE, facts.key, period, reading.latest, anchor))
    found.upcoming.append(reading.following)


def _readings_missed(
    facts: PilotFacts, anchor: datetime, now: datetime, tz: ZoneInfo, found: Found
) -> None:
    """The sponsor hears once the second due reading is missed, not before, and once more at
    the third; never the owner, who has their own reminders."""
    sponsor = active_sponsor(facts)
    if sponsor is None or sponsor == facts.owner:
        return
    moments = [
        add_periods(anchor, facts.cadence, misses, tz) + MISSED_AFTER for misses in ESCALATED_MISSES
    ]
    past = [moment for moment in moments if moment <= now]
    if past:
        latest = past[-1]
        period = f"missed:{local_date(latest, tz).isoformat()}"
        found.due.append(Due(sponsor, Reason.READINGS_MISSED, facts.key, period, latest, anchor))
    found.upcoming.extend(moment for moment in moments if moment > now)


def _decide_by_notices(
    facts: PilotFacts, owner: str, decide_by: date, now: datetime, tz: ZoneInfo, found: Found
) -> None:
    """The week's notice and the day itself, to the owner on their own calendar."""
    key, iso = facts.key, decide_by.isoformat()
    notice_starts = local_midnight(decide_by - timedelta(days=DECIDE_BY_NOTICE_DAYS), tz)
    day_starts = local_midnight(decide_by, tz)
    day_after = local_midnight(decide_by + timedelta(days=1), tz)
    if notice_starts <= now < day_starts:
        found.due.append(
            Due(owner, Reason.DECIDE_BY_IN_7_DAYS, key, f"decide-by-7d:{iso}", notice_starts,
                notice_starts)
        )  # fmt: skip
    elif day_starts <= now < day_after:
        found.due.append(
            Due(owner, Reason.DECIDE_BY_TODAY, key, f"decide-by:{iso}", day_starts, day_starts)
        )
    found.upcoming.extend(moment for moment in (notice_starts, day_starts) if moment > now)


def _has_baseline(facts: PilotFacts, now: datetime) -> bool:
    return any(
        measurement is not None and measurement.at <= now
        for measurement in (facts.first_baseline, facts.baseline)
    )


def _areas_without_accountable(facts: PilotFacts) -> tuple[RaciArea, ...]:
    return tuple(
        area for area in RaciArea if not facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE)
    )
