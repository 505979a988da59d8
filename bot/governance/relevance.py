"""Whether a message planned earlier should still go out when its delivery time comes.

A DM may wait for working hours or a snooze; by then its reason may have gone (the owner
recorded the reading before the working day began). Such a message is dropped rather than
sent. A later occasion of the same reason does not make it stale.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.decision_loop import DAY_PREFIX
from bot.governance.decision_loop import GO_PREFIX
from bot.governance.decision_loop import NOTICE_PREFIX
from bot.governance.decision_loop import instant_key
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.readiness import Assessment
from bot.governance.readiness import decision_in_force
from bot.governance.readiness import is_decision_overdue
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Verdict

# News stays worth telling whatever happens next; the rest are asks that can go stale.
_NEWS = frozenset({Reason.DECISION_RECORDED, Reason.AMENDMENT_TOLD})


def still_relevant(
    due: Due, facts: PilotFacts, assessment: Assessment, now: datetime, tz: ZoneInfo
) -> bool:
    """Whether `due`, planned on the clock of `tz`, should still be sent at `now`.

    It is dropped only when its reason has gone: a reading or a decision was recorded since,
    the baseline or the Accountable was set, the decide-by date moved, the override was
    settled, a newer decision replaced the one to tell.
    """
    if due.reason in _NEWS:
        return _news_still_true(due, facts)
    if due.reason is Reason.OVERRIDE_WAITING:
        pending = facts.pending_decision
        return pending is not None and due.period == f"approve:{instant_key(pending.at)}"
    decision = decision_in_force(facts, now)
    if decision is not None and decision.decision.is_final:
        return False
    since = due.since
    reading = facts.latest_reading
    read_since = reading is not None and since <= reading.at <= now
    decided_since = decision is not None and since <= decision.at <= now
    match due.reason:
        case Reason.BASELINE_MISSING:
            return facts.baseline is None or facts.baseline.at > now
        case Reason.RACI_NO_ACCOUNTABLE:
            return any(not facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE) for area in RaciArea)
        case Reason.READING_DUE | Reason.READINGS_MISSED | Reason.STOP_OR_EXTEND:
            return not read_since and not decided_since
        case Reason.DECISION_DUE:
            return _decision_due_still(due, facts, assessment, now, tz, decided_since)
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
            return is_decision_overdue(facts, now, tz)
    return True


def _news_still_true(due: Due, facts: PilotFacts) -> bool:
    if due.reason is Reason.AMENDMENT_TOLD:
        return True
    decision = facts.latest_decision
    return (
        decision is not None
        and decision.status.in_force
        and due.period == f"decided:{instant_key(decision.at)}"
    )


def _decision_due_still(
    due: Due,
    facts: PilotFacts,
    assessment: Assessment,
    now: datetime,
    tz: ZoneInfo,
    decided_since: bool,
) -> bool:
    if decided_since or facts.pending_decision is not None:
        return False
    if due.period.startswith(GO_PREFIX):
        # "It is ready for a go decision" is stale once it is not Go any more.
        return assessment.verdict is Verdict.GO
    day = facts.decide_by
    if day is None or not due.period.endswith(day.isoformat()):
        return False
    today = local_date(now, tz)
    if due.period.startswith(NOTICE_PREFIX):
        return today < day
    if due.period.startswith(DAY_PREFIX):
        return today <= day
    return True
