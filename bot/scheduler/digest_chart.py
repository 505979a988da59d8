"""The digest's picture: the portfolio's verdict counts week by week, posted in the digest's
thread once its messages are out.

The chart is a courtesy, never a reason to hold the digest back: it is drawn and uploaded
after every message of the digest has been posted, it is tried once, and when Slack will not
take it the thread gets one clear line instead (when it cannot be drawn, the log says why). A
deliverer that dies part-way marks the chart as under way first, so whoever takes the digest
over looks for it before posting again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.charts.series import VerdictWeek
from bot.errors import DeliveryError
from bot.governance.cadence import local_date
from bot.governance.formatting import format_day
from bot.governance.vocabulary import Verdict
from bot.scheduler.transport import Transport
from bot.services import pilots
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import section
from storage import pilots as pilot_store
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
WEEKS = 12
# What the digest's progress says about its chart.
UNDER_WAY, POSTED, REFUSED, NOTHING = "under_way", "posted", "refused", "nothing to draw"
NOT_DRAWN = "could not be drawn"
Message = dict[str, Any]


def verdict_weeks(
    uow: UnitOfWork, team_id: str, now: datetime, tz: ZoneInfo, weeks: int = WEEKS
) -> list[VerdictWeek]:
    """How many of the workspace's pilots had each verdict at this moment of each of the last
    `weeks` weeks, as the digest counts them then: pilots registered by then, a pilot with a
    final decision counted as decided, not under a verdict."""
    every = pilot_store.list_pilots(uow.session, team_id)
    known = pilots.standings(uow, every)
    counted = []
    for back in range(weeks - 1, -1, -1):
        at = now - timedelta(weeks=back)
        counts = dict.fromkeys(Verdict, 0)
        for pilot in every:
            if pilot.registered_at > at:
                continue
            standing = known[pilot.id]
            report = pilots.report(pilot, at, standing.owner_zone,
                                   sponsor_gone=standing.sponsor_gone)  # fmt: skip
            decision = report.facts.latest_decision
            if decision is not None and decision.status.in_force and decision.decision.is_final:
                continue
            counts[report.assessment.verdict] += 1
        day = local_date(at, tz)
        counted.append(VerdictWeek.from_counts(day - timedelta(days=day.weekday()), counts))
    return counted


def chart_message(file_id: str, weeks: Sequence[VerdictWeek]) -> Message:
    """The thread message that shows the uploaded chart, with words for those who cannot
    see it."""
    latest = weeks[-1]
    now_counts = ", ".join(
        f"{latest.count(verdict)} {verdict.label}" for verdict in Verdict if latest.count(verdict)
    )
    span = f"{count_noun(len(weeks), 'week')} to {format_day(latest.week + timedelta(days=6))}"
    alt = f"Pilots by verdict, week by week, {span}; this week {now_counts or 'none'}."
    return {
        "text": "Pilots by verdict, week by week",
        "blocks": [
            {"type": "image", "slack_file": {"id": file_id}, "alt_text": alt},
            context(f"Pilots by verdict, week by week: {span}."),
        ],
    }


def refused_message(error: str) -> Message:
    text = (
        f"The portfolio chart could not be attached this time (Slack answered {error[:80]}); "
        "the next digest brings it again."
    )
    return {"text": text, "blocks": [section(escape(text))]}


def post_chart(
    transport: Transport,
    team_id: str,
    channel: str,
    thread_ts: str,
    marker: str,
    weeks: Sequence[VerdictWeek],
    png: bytes | None,
    under_way: bool = False,
) -> str:
    """Uploads `png`, the chart of `weeks`, and posts it in the thread (or the line saying it
    could not be); returns what the digest's progress should say. Never raises for Slack's sake:
    the digest is out, and the chart waits for no retry."""
    try:
        if under_way and transport.find(team_id, channel, marker, thread_ts):
            return POSTED  # an earlier deliverer posted it and died before saying so
    except DeliveryError as error:
        log.info("cannot tell whether the digest chart was posted: %s", error.error)
        return REFUSED
    if png is None:
        return NOTHING
    try:
        file_id = transport.upload(team_id, png, "pilots-by-verdict.png", "Pilots by verdict")
        transport.post(team_id, channel, chart_message(file_id, weeks), thread_ts, marker)
        return POSTED
    except DeliveryError as error:
        log.warning("the digest chart was refused: %s", error.error)
        try:
            transport.post(team_id, channel, refused_message(error.error), thread_ts, marker)
        except DeliveryError as again:
            log.warning("the line about the digest chart was refused too: %s", again.error)
        return REFUSED
