"""Planning: record in the outbox every message that is due as of `now`.

Only pilots whose next_check_at has come are read (an index range), so the cost of a tick
follows the work that is due, not the size of the portfolio. What Slack must be asked (an
owner's time zone) is asked first; then the pilots are locked, planned, written, committed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.governance.decision_loop import NEWS_FOR
from bot.governance.decision_loop import instant_key
from bot.governance.decision_loop import settled_at
from bot.governance.digest_timing import latest_digest
from bot.governance.evaluations import regression_dues
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.zones import zone
from bot.scheduler.people import Clients
from bot.scheduler.people import timezone_of
from bot.services.facts import pilot_facts
from bot.services.pilots import Standing
from bot.services.pilots import standings
from bot.services.subscriptions import schedule_of
from bot.slack.directory import CACHE_FOR
from bot.slack.directory import Directory
from storage import outbox
from storage import people
from storage import schedule
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
BATCH = 500
# A pilot whose planning failed is looked at again this much later, not on every tick.
RETRY_PLANNING = timedelta(hours=1)


@dataclass(frozen=True)
class Plan:
    pilots_checked: int
    recorded: int


def plan(sessions: sessionmaker[Session], now: datetime, clients: Clients | None = None) -> Plan:
    """`clients` reach each workspace's bot, to learn an owner's time zone not known yet (or
    known too long), so the period keys are read on the owner's clock from the first message
    on, and whether a sponsor has left Slack. Slack is asked before the pilots are locked,
    never while: a slow answer must not hold up people changing those pilots, nor the other
    replicas."""
    directory = Directory(sessions)
    checked = recorded = 0
    while True:
        if clients is not None:
            _learn_about_people(sessions, directory, clients, now)
        with UnitOfWork(sessions, actor="scheduler") as uow:
            pilots = schedule.pilots_to_check(uow.session, now, BATCH)
            zones = _zones(uow, pilots)
            snoozes = schedule.snoozes_of(uow.session, [pilot.id for pilot in pilots])
            known = standings(uow, pilots)
            channels = _digest_channels(uow, pilots)
            rows: list[outbox.NewNotification] = []
            for pilot in pilots:
                try:
                    rows.extend(
                        _plan_pilot(uow, pilot, now, zones, snoozes, known[pilot.id], channels)
                    )
                except Exception:
                    # One pilot that cannot be planned must not hold up everyone else's.
                    log.exception("planning %s of %s failed", pilot.key, pilot.team_id)
                    schedule.set_next_check(
                        uow.session, pilot.id, now + RETRY_PLANNING, pilot.next_check_at
                    )
            recorded += outbox.record_due(uow.session, rows, now)
            uow.commit()
        checked += len(pilots)
        if len(pilots) < BATCH:
            break
    return Plan(checked, recorded + _plan_digests(sessions, now))


def _learn_about_people(
    sessions: sessionmaker[Session], directory: Directory, clients: Clients, now: datetime
) -> None:
    """Asks Slack about the owners and sponsors of the next batch not known yet or known too
    long: their zones, and whether a sponsor's account is deactivated (the decision then goes
    to the owner). The read locks nothing and is over before the first question."""
    with UnitOfWork(sessions) as uow:
        wanted = schedule.people_to_check(uow.session, now, BATCH)
        known = people.cached_people(uow.session, wanted)
        stale = [
            who for who in wanted if who not in known or now - known[who].fetched_at >= CACHE_FOR
        ]
    for team_id, user_id in stale:
        timezone_of(directory, clients, team_id, user_id, now)


def _zones(uow: UnitOfWork, pilots: Sequence[Pilot]) -> dict[tuple[str, str], ZoneInfo]:
    """The owners' and sponsors' zones as now known. An owner not asked about beforehand
    (another replica took the pilots that were asked about) is read on the last zone known,
    else on UTC."""
    wanted = sorted({(p.team_id, who) for p in pilots for who in (p.owner_id, p.sponsor_id) if who})
    known = people.cached_people(uow.session, wanted)
    return {who: zone(known[who].timezone if who in known else None) for who in wanted}


def _digest_channels(uow: UnitOfWork, pilots: Sequence[Pilot]) -> dict[str, list[str]]:
    """Each team's subscribed channels: a recorded decision is announced in every one."""
    teams = {pilot.team_id for pilot in pilots}
    channels: dict[str, list[str]] = {}
    for subscription in schedule.active_subscriptions(uow.session):
        if subscription.team_id in teams:
            channels.setdefault(subscription.team_id, []).append(subscription.channel_id)
    return channels


def _plan_pilot(
    uow: UnitOfWork,
    pilot: Pilot,
    now: datetime,
    zones: dict[tuple[str, str], ZoneInfo],
    snoozes: dict[tuple[int, str], datetime],
    known: Standing,
    channels: dict[str, list[str]],
) -> list[outbox.NewNotification]:
    tz = zones.get((pilot.team_id, pilot.owner_id or ""), zone(None))
    sponsor_tz = zones.get((pilot.team_id, pilot.sponsor_id or ""), tz)
    facts = pilot_facts(pilot, now, sponsor_deactivated=known.sponsor_gone)
    due, next_check = due_for_pilot(facts, assess(facts, now, tz), now, tz, sponsor_tz=sponsor_tz)
    # An evaluation run that regressed is news for the owner and the Accountable of evaluation.
    regressed = regression_dues(facts, now)
    due = due + regressed.due
    next_check = min(
        [moment for moment in (next_check, *regressed.upcoming) if moment], default=None
    )
    decision = facts.latest_decision
    if decision is not None and decision.status.in_force:
        told_at = settled_at(decision)
        if told_at <= now < told_at + NEWS_FOR:
            # A recorded decision is announced in one line in every digest channel.
            period = f"decided:{instant_key(decision.at)}"
            due = due + [
                Due(channel, Reason.DECISION_RECORDED, pilot.key, period, told_at)
                for channel in channels.get(pilot.team_id, [])
            ]
    rows = []
    for item in due:
        snoozed = snoozes.get((pilot.id, item.recipient))
        rows.append(
            outbox.NewNotification(
                team_id=pilot.team_id,
                recipient=item.recipient,
                reason=item.reason.value,
                subject=item.subject,
                pilot_id=pilot.id,
                period=item.period,
                not_before=max(item.since, snoozed or item.since),
                # Delivery judges relevance on the same clocks the message was planned on.
                payload={
                    "since": item.since.isoformat(),
                    "zone": tz.key,
                    "sponsor_zone": sponsor_tz.key,
                },
            )
        )
    schedule.set_next_check(uow.session, pilot.id, next_check, pilot.next_check_at)
    return rows


def _plan_digests(sessions: sessionmaker[Session], now: datetime) -> int:
    with UnitOfWork(sessions, actor="scheduler") as uow:
        rows = []
        for subscription in schedule.active_subscriptions(uow.session):
            latest = latest_digest(
                schedule_of(subscription),
                zone(subscription.timezone),
                subscription.subscribed_at,
                now,
            )
            if latest is None:
                continue
            period, instant = latest
            rows.append(
                outbox.NewNotification(
                    team_id=subscription.team_id,
                    recipient=subscription.channel_id,
                    reason=Reason.DIGEST.value,
                    subject="",
                    period=period,
                    not_before=instant,
                    payload={"timezone": subscription.timezone},
                )
            )
        recorded = outbox.record_due(uow.session, rows, now)
        uow.commit()
    return recorded
