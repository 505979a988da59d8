"""Planning: record in the outbox every message that is due as of `now`.

Only pilots whose next_check_at has come are read (an index range), so the cost of a tick
follows the work that is due, not the size of the portfolio.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.governance.digest_timing import latest_digest
from bot.governance.notices import Reason
from bot.governance.readiness import assess
from bot.governance.reminders import due_for_pilot
from bot.governance.zones import zone
from bot.services.facts import pilot_facts
from bot.services.subscriptions import schedule_of
from storage import outbox, schedule
from storage.unit_of_work import UnitOfWork

BATCH = 500


@dataclass(frozen=True)
class Plan:
    pilots_checked: int
    recorded: int


def plan(sessions: sessionmaker[Session], now: datetime) -> Plan:
    checked = recorded = 0
    while True:
        with UnitOfWork(sessions, actor="scheduler") as uow:
            pilots = schedule.pilots_to_check(uow.session, now, BATCH)
            rows: list[outbox.NewNotification] = []
            for pilot in pilots:
                owner_zones = schedule.known_timezones(
                    uow.session, pilot.team_id, [pilot.owner_id] if pilot.owner_id else []
                )
                tz = zone(owner_zones.get(pilot.owner_id or ""))
                facts = pilot_facts(pilot, now)
                due, next_check = due_for_pilot(facts, assess(facts, now, tz), now, tz)
                for item in due:
                    snoozed = schedule.snoozed_until(uow.session, pilot.id, item.recipient)
                    rows.append(
                        outbox.NewNotification(
                            team_id=pilot.team_id,
                            recipient=item.recipient,
                            reason=item.reason.value,
                            subject=item.subject,
                            period=item.period,
                            not_before=max(item.since, snoozed or item.since),
                            payload={"since": item.since.isoformat()},
                        )
                    )
                schedule.set_next_check(uow.session, pilot.id, next_check)
            recorded += outbox.record_due(uow.session, rows, now)
            uow.commit()
        checked += len(pilots)
        if len(pilots) < BATCH:
            break
    return Plan(checked, recorded + _plan_digests(sessions, now))


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
