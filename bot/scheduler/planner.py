"""Planning: record in the outbox every message that is due as of `now`.

Only pilots whose next_check_at has come are read (an index range), so the cost of a tick
follows the work that is due, not the size of the portfolio.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.governance.digest_timing import latest_digest
from bot.governance.notices import Reason
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.zones import zone
from bot.services.facts import pilot_facts
from bot.services.subscriptions import schedule_of
from bot.slack.directory import CACHE_FOR, Ask, Directory
from storage import outbox, people, schedule
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


def plan(sessions: sessionmaker[Session], now: datetime, ask: Ask | None = None) -> Plan:
    """`ask` (Slack's users.info) fills in an owner's time zone not known yet, so the period
    keys are read on the owner's clock from the first message on."""
    directory = Directory(sessions)
    checked = recorded = 0
    while True:
        with UnitOfWork(sessions, actor="scheduler") as uow:
            pilots = schedule.pilots_to_check(uow.session, now, BATCH)
            zones = _owner_zones(uow, directory, ask, pilots, now)
            snoozes = schedule.snoozes_of(uow.session, [pilot.id for pilot in pilots])
            rows: list[outbox.NewNotification] = []
            for pilot in pilots:
                try:
                    rows.extend(_plan_pilot(uow, pilot, now, zones, snoozes))
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


def _owner_zones(
    uow: UnitOfWork,
    directory: Directory,
    ask: Ask | None,
    pilots: Sequence[Pilot],
    now: datetime,
) -> dict[tuple[str, str], ZoneInfo]:
    owners = sorted({(p.team_id, p.owner_id) for p in pilots if p.owner_id})
    known = people.cached_people(uow.session, owners)
    zones: dict[tuple[str, str], ZoneInfo] = {}
    for owner in owners:
        cached = known.get(owner)
        if cached is not None and (ask is None or now - cached.fetched_at < CACHE_FOR):
            zones[owner] = zone(cached.timezone)
        elif ask is not None:
            zones[owner] = directory.person_asking(ask, owner[0], owner[1], now).timezone
        else:
            zones[owner] = zone(None)
    return zones


def _plan_pilot(
    uow: UnitOfWork,
    pilot: Pilot,
    now: datetime,
    zones: dict[tuple[str, str], ZoneInfo],
    snoozes: dict[tuple[int, str], datetime],
) -> list[outbox.NewNotification]:
    tz = zones.get((pilot.team_id, pilot.owner_id or ""), zone(None))
    facts = pilot_facts(pilot, now)
    due, next_check = due_for_pilot(facts, assess(facts, now, tz), now, tz)
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
                # Delivery judges relevance on the same clock the message was planned on.
                payload={"since": item.since.isoformat(), "zone": tz.key},
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
