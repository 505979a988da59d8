"""The decision loop's messages: asking for a decision in time, the stop-or-extend question,
and the news of a decision, an amendment or an override waiting for approval.

Pure, like bot.governance.reminders (which calls `decision_dues` and merges the result):
facts, the assessment, `now` and two zones in; `Due` messages and the instants at which
something new could arise out.

- Decision due (to the decider: the sponsor, or the owner when there is no sponsor or the
  sponsor has left): when the verdict turns Go (keyed by the reading that made it Go, so once
  per time it turns Go), from midnight 7 days before the decide-by date and on the date, on
  the decider's wall clock; after the date, the overdue message.
- Stop or extend (to the decider): no reading or decision for four cadence periods, counted
  as for Stalled, and again every four more (thinned like every reminder).
- Decision recorded (to the owner and the sponsor, except the one whose act settled it),
  amendment told (to the sponsor, or the owner when the sponsor made it) and override
  waiting (to each approver): once each, news for a week after it happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.decisions import approvers
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.facts import last_activity
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.occasions import repeating
from bot.governance.readiness import Assessment
from bot.governance.readiness import decision_in_force
from bot.governance.readiness import is_decision_overdue
from bot.governance.vocabulary import Verdict
from bot.governance.working_hours import local_midnight

DECIDE_BY_NOTICE_DAYS = 7
STOP_OR_EXTEND_AFTER_PERIODS = 4
# News (a decision, an amendment) older than this is no news to anyone: it is not sent,
# which also keeps a first deployment from announcing every decision ever taken.
NEWS_FOR = timedelta(days=7)

GO_PREFIX = "decision-go:"
NOTICE_PREFIX = "decision-due-7d:"
DAY_PREFIX = "decision-due:"


@dataclass
class Found:
    """What the rules found: the messages due now and the instants something new arises."""

    due: list[Due] = field(default_factory=list)
    upcoming: list[datetime] = field(default_factory=list)

    def ahead(self, moment: datetime, now: datetime) -> None:
        if moment > now:
            self.upcoming.append(moment)


def active_sponsor(facts: PilotFacts) -> str | None:
    """The sponsor while still a member of the workspace."""
    return facts.sponsor if facts.sponsor and not facts.sponsor_deactivated else None


def decider(facts: PilotFacts) -> str | None:
    """Who is asked to decide: the sponsor while a member, else the owner."""
    return active_sponsor(facts) or facts.owner


def instant_key(moment: datetime) -> str:
    """An instant as it appears in period keys: ISO 8601 in UTC."""
    return moment.astimezone(UTC).isoformat()


def decision_dues(
    facts: PilotFacts,
    assessment: Assessment,
    now: datetime,
    tz: ZoneInfo,
    decider_tz: ZoneInfo,
) -> Found:
    """Every decision-loop message due as of `now`. `tz` is the owner's zone (cadence and
    Stalled are counted there), `decider_tz` the decider's (their calendar says when the
    decide-by date is near, today or over)."""
    found = Found()
    _news(facts, now, found)
    in_force = decision_in_force(facts, now)
    if in_force is not None and in_force.decision.is_final:
        return found
    if facts.latest_decision is not None and facts.latest_decision.at > now:
        found.upcoming.append(facts.latest_decision.at)
    asked = decider(facts)
    if asked is None:
        return found
    if facts.pending_decision is None:
        _turned_go(facts, assessment, now, asked, found)
        if facts.decide_by is not None:
            _decide_by(facts, facts.decide_by, now, decider_tz, asked, found)
    _stop_or_extend(facts, now, tz, asked, found)
    return found


def _turned_go(
    facts: PilotFacts, assessment: Assessment, now: datetime, asked: str, found: Found
) -> None:
    reading = facts.latest_reading
    if reading is None:
        return
    if reading.at > now:
        found.upcoming.append(reading.at)
        return
    decided = decision_in_force(facts, now)
    if decided is not None and decided.at >= reading.at:
        return  # decided (extended) knowing this reading
    if assessment.verdict is Verdict.GO:
        period = f"{GO_PREFIX}{instant_key(reading.at)}"
        found.due.append(Due(asked, Reason.DECISION_DUE, facts.key, period, reading.at, reading.at))


def _decide_by(
    facts: PilotFacts, day: date, now: datetime, decider_tz: ZoneInfo, asked: str, found: Found
) -> None:
    iso = day.isoformat()
    notice = local_midnight(day - timedelta(days=DECIDE_BY_NOTICE_DAYS), decider_tz)
    on_the_day = local_midnight(day, decider_tz)
    after = local_midnight(day + timedelta(days=1), decider_tz)
    run = last_activity(facts, now)
    if notice <= now < on_the_day:
        found.due.append(
            Due(asked, Reason.DECISION_DUE, facts.key, f"{NOTICE_PREFIX}{iso}", notice, run)
        )
    elif on_the_day <= now < after:
        found.due.append(
            Due(asked, Reason.DECISION_DUE, facts.key, f"{DAY_PREFIX}{iso}", on_the_day, run)
        )
    elif now >= after and is_decision_overdue(facts, now, decider_tz):
        found.due.append(
            Due(asked, Reason.DECISION_OVERDUE, facts.key, f"overdue:{iso}", after, after)
        )
    for moment in (notice, on_the_day, after):
        found.ahead(moment, now)


def _stop_or_extend(
    facts: PilotFacts, now: datetime, tz: ZoneInfo, asked: str, found: Found
) -> None:
    anchor = last_activity(facts, now)
    occasions = repeating(
        anchor,
        first=1,
        step_days=STOP_OR_EXTEND_AFTER_PERIODS * facts.cadence.days,
        now=now,
        tz=tz,
    )
    if occasions.latest is not None:
        period = f"stop-or-extend:{local_date(occasions.latest, tz).isoformat()}"
        found.due.append(
            Due(asked, Reason.STOP_OR_EXTEND, facts.key, period, occasions.latest, anchor)
        )
    found.upcoming.append(occasions.following)


def _news(facts: PilotFacts, now: datetime, found: Found) -> None:
    sponsor = active_sponsor(facts)
    decision = facts.latest_decision
    if decision is not None and decision.status.in_force:
        when = settled_at(decision)
        for recipient in told_of_decision(facts, decision):
            _once(found, now, recipient, Reason.DECISION_RECORDED, facts.key,
                  f"decided:{instant_key(decision.at)}", when)  # fmt: skip
    for amendment in facts.amendments:
        told = sponsor if sponsor is not None and sponsor != amendment.by else facts.owner
        if told and told != amendment.by:
            period = f"amended:{amendment.field}:{instant_key(amendment.at)}"
            _once(found, now, told, Reason.AMENDMENT_TOLD, facts.key, period, amendment.at)
    rejected = facts.rejected_decision
    if rejected is not None and rejected.approved_at is not None:
        people = (rejected.by, facts.owner)
        for recipient in dict.fromkeys(w for w in people if w and w != rejected.approved_by):
            _once(found, now, recipient, Reason.OVERRIDE_REJECTED, facts.key,
                  f"rejected:{instant_key(rejected.at)}", rejected.approved_at)  # fmt: skip
    pending = facts.pending_decision
    if pending is not None:
        for approver in approvers(facts, pending.by):
            period = f"approve:{instant_key(pending.at)}"
            _once(found, now, approver, Reason.OVERRIDE_WAITING, facts.key, period, pending.at)


def _once(
    found: Found,
    now: datetime,
    recipient: str,
    reason: Reason,
    key: str,
    period: str,
    since: datetime,
) -> None:
    if since > now:
        found.upcoming.append(since)
    elif now < since + NEWS_FOR or reason is Reason.OVERRIDE_WAITING:
        # An approval stays asked for as long as it waits; news goes stale.
        found.due.append(Due(recipient, reason, key, period, since, since))


def settled_at(decision: DecisionRecord) -> datetime:
    """When a decision took effect: when it was recorded, or when its override was approved."""
    return decision.approved_at or decision.at


def told_of_decision(facts: PilotFacts, decision: DecisionRecord) -> tuple[str, ...]:
    """The owner and the sponsor, except the one whose act settled the decision (who
    recorded it, or who approved the override) and a sponsor who has left."""
    settled_by = decision.approved_by or decision.by
    sponsor = active_sponsor(facts)
    people = dict.fromkeys(who for who in (facts.owner, sponsor) if who and who != settled_by)
    return tuple(people)
