"""What a pending outbox row says when it is delivered, built fresh at that moment.

A nudge whose reason has gone away in the meantime (the owner recorded the reading before
the working day began) renders as None and is cancelled rather than sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.notices import Due, Reason
from bot.governance.reminders import due_for_pilot, still_relevant
from bot.governance.zones import zone
from bot.services import pilots
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.nudges import failure_notice, nudge_message
from storage import schedule
from storage.models import Notification
from storage.unit_of_work import UnitOfWork

Message = dict[str, Any]


def render(uow: UnitOfWork, row: Notification, now: datetime, tz: ZoneInfo) -> list[Message] | None:
    """The message(s) to post for `row` as of `now` (`tz`: the recipient's), or None when
    it is no longer due."""
    reason = Reason(row.reason)
    if reason is Reason.DIGEST:
        zone_name = str(row.payload.get("timezone") or "UTC")
        reports = pilots.team_reports(uow, row.team_id, now)
        return digest_messages(reports, now, zone(zone_name))
    if reason is Reason.DELIVERY_FAILED:
        return [
            failure_notice(
                Reason(str(row.payload["reason"])),
                row.subject,
                str(row.payload["recipient"]),
                str(row.payload["error"]),
            )
        ]
    pilot = schedule.pilot(uow.session, row.pilot_id) if row.pilot_id is not None else None
    if pilot is None:
        return None
    # Judged on the clock it was planned on, the owner's; shown on the recipient's.
    owner_zone = zone(str(row.payload.get("zone") or "") or None)
    due = Due(row.recipient, reason, pilot.key, row.period, _since(row))
    judged = pilots.report(pilot, now, owner_zone)
    if not still_relevant(due, judged.facts, judged.assessment, now, owner_zone):
        return None
    current, _ = due_for_pilot(judged.facts, judged.assessment, now, owner_zone)
    if any(_overtakes(item, due) for item in current):
        return None  # a newer occasion of the same nudge goes out instead of this one
    return [nudge_message(due, judged, now, tz)]


def _overtakes(newer: Due, older: Due) -> bool:
    return (newer.recipient, newer.reason) == (older.recipient, older.reason) and (
        newer.since > older.since
    )


def _since(row: Notification) -> datetime:
    since = row.payload.get("since")
    return datetime.fromisoformat(since) if isinstance(since, str) else row.created_at


def owner_or_subscriber(uow: UnitOfWork, row: Notification) -> str | None:
    """Who should hear that `row` could never be delivered."""
    if Reason(row.reason) is Reason.DIGEST:
        return schedule.subscriber(uow.session, row.team_id, row.recipient)
    pilot = schedule.pilot(uow.session, row.pilot_id) if row.pilot_id is not None else None
    if pilot is None:
        return None
    for person in (pilot.owner_id, pilot.sponsor_id):
        if person and person != row.recipient:
            return person
    return None
