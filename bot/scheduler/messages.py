"""What pending outbox rows say when they are delivered, built fresh at that moment.

The rows of one person about one pilot that are delivered together make one message: the
most important ask leads (a decision to take, an outcome, an approval to give), the others
follow with their buttons. A row whose reason has gone away in the meantime (the owner
recorded the reading before the working day began) is left out, and cancelled rather than
sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.decision_loop import DAY_PREFIX
from bot.governance.decision_loop import GO_PREFIX
from bot.governance.decision_loop import NOTICE_PREFIX
from bot.governance.direct_messages import direct_messages
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.reminders import due_for_pilot
from bot.governance.reminders import still_relevant
from bot.governance.zones import zone
from bot.services import pilots
from bot.slack.blocks.asks import asks_message
from bot.slack.blocks.decision import Ask
from bot.slack.blocks.decision import decision_due_message
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.nudges import failure_notice
from bot.slack.blocks.outcome import decision_announcement
from bot.slack.blocks.outcome import decision_outcome_message
from bot.slack.blocks.outcome import override_approval_message
from storage import outbox
from storage import schedule
from storage.models import Notification
from storage.unit_of_work import UnitOfWork

Message = dict[str, Any]
# The asks that lead a message with their own surface, most important first.
LEADING = (
    Reason.OVERRIDE_WAITING,
    Reason.DECISION_OVERDUE,
    Reason.DECISION_DUE,
    Reason.DECISION_RECORDED,
)
ASK_OF_PERIOD = (
    (GO_PREFIX, Ask.TURNED_GO),
    (NOTICE_PREFIX, Ask.IN_7_DAYS),
    (DAY_PREFIX, Ask.TODAY),
)


@dataclass(frozen=True)
class Rendered:
    messages: list[Message]
    # The rows these messages deliver; the others were no longer due.
    rows: list[Notification]


def render(
    uow: UnitOfWork, rows: Sequence[Notification], now: datetime, tz: ZoneInfo
) -> Rendered | None:
    """The message(s) for `rows` (one digest, one failure notice, or the rows of one person
    about one pilot) as of `now`; `tz` is the recipient's. None when none is due any more."""
    row = rows[0]
    reason = Reason(row.reason)
    if reason is Reason.DIGEST:
        zone_name = str(row.payload.get("timezone") or "UTC")
        reports = pilots.team_reports(uow, row.team_id, now)
        return Rendered(digest_messages(reports, now, zone(zone_name)), [row])
    if reason is Reason.DELIVERY_FAILED:
        notice = failure_notice(
            Reason(str(row.payload["reason"])),
            row.subject,
            str(row.payload["recipient"]),
            str(row.payload["error"]),
        )
        return Rendered([notice], [row])
    pilot = schedule.pilot(uow.session, row.pilot_id) if row.pilot_id is not None else None
    if pilot is None:
        return None
    # Judged on the clock it was planned on, the owner's; shown on the recipient's.
    owner_zone = zone(str(row.payload.get("zone") or "") or None)
    sponsor_zone = zone(str(row.payload.get("sponsor_zone") or "") or None)
    known = pilots.standing(uow, pilot)
    judged = pilots.report(pilot, now, owner_zone, sponsor_gone=known.sponsor_gone)
    facts, assessment = judged.facts, judged.assessment
    current, _ = due_for_pilot(facts, assessment, now, owner_zone, sponsor_tz=sponsor_zone)
    live: list[tuple[Notification, Due]] = []
    for candidate in rows:
        due = Due(candidate.recipient, Reason(candidate.reason), pilot.key, candidate.period,
                  _since(candidate))  # fmt: skip
        if not still_relevant(due, facts, assessment, now, owner_zone):
            continue
        if due.reason.recurring and any(_overtakes(item, due) for item in current):
            continue  # a newer occasion of the same reminder goes out instead of this one
        live.append((candidate, due))
    if not live:
        return None
    dues = [due for _, due in live]
    message = _message(uow, judged, dues, current, now, tz, owner_zone, pilot.id)
    return Rendered([message], [candidate for candidate, _ in live])


def _message(
    uow: UnitOfWork,
    judged: pilots.PilotReport,
    dues: list[Due],
    current: list[Due],
    now: datetime,
    tz: ZoneInfo,
    owner_zone: ZoneInfo,
    pilot_id: int,
) -> Message:
    recipient = dues[0].recipient
    if recipient[:1] in ("C", "G"):
        return decision_announcement(judged, tz)  # a decision told to a digest channel
    lead = next((due for reason in LEADING for due in dues if due.reason is reason), None)
    rest = [due for due in dues if due is not lead]
    if lead is not None and lead.reason in (Reason.DECISION_DUE, Reason.DECISION_OVERDUE):
        # The decision's own buttons answer these too.
        asked_already = (Reason.DECISION_DUE, Reason.DECISION_OVERDUE, Reason.STOP_OR_EXTEND)
        rest = [due for due in rest if due.reason not in asked_already]
    message = _leading(judged, lead, now, tz) if lead is not None else None
    if rest:
        runs = [item.run_since for item in current if item.run_since is not None]
        sent = outbox.sent_since(uow.session, pilot_id, recipient, min(runs, default=now))
        already = {(recipient, Reason(name)): count for name, count in sent.items()}
        asked = direct_messages(
            rest, judged.facts, judged.assessment, now, owner_zone, already_sent=already
        )
        if asked:
            extra = asks_message(asked[0], judged, tz, now, guardrails=message is None)
            if message is None:
                return extra
            message = {**message, "blocks": [*message["blocks"], *extra["blocks"][:-1]]}
    assert message is not None  # a lead, or asks of the rest
    return message


def _leading(judged: pilots.PilotReport, lead: Due, now: datetime, tz: ZoneInfo) -> Message:
    if lead.reason is Reason.OVERRIDE_WAITING:
        return override_approval_message(judged, lead.recipient, now, tz)
    if lead.reason is Reason.DECISION_RECORDED:
        return decision_outcome_message(judged, lead.recipient, now, tz)
    ask = Ask.OVERDUE
    if lead.reason is Reason.DECISION_DUE:
        ask = next((a for prefix, a in ASK_OF_PERIOD if lead.period.startswith(prefix)), Ask.TODAY)
    return decision_due_message(judged, ask, now, tz, lead.recipient)


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
