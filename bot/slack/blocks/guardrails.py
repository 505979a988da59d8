"""Guardrails as people read them: each one's latest reading against its limit, and whether
it holds, in a line a phone shows without a wrap inside a number or a name.

Whether a guardrail holds is the rules' answer (one readiness check per guardrail, in the
order they were added, bot.governance.guardrails); here it is only worded: within its limit,
outside it, or without a current reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.checks import CheckId
from bot.governance.facts import Guardrail
from bot.governance.formatting import format_quantity
from bot.governance.formatting import spoken_day
from bot.governance.vocabulary import Better
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.words import NB_HYPHEN
from bot.slack.blocks.words import NBSP


class RailState(StrEnum):
    WITHIN = "within"
    OUTSIDE = "outside"
    NO_CURRENT_READING = "no current reading"


MARKS = {RailState.WITHIN: "✅", RailState.OUTSIDE: "❌", RailState.NO_CURRENT_READING: "⚪"}


@dataclass(frozen=True)
class RailView:
    rail: Guardrail
    state: RailState


def rail_views(report: PilotReport) -> list[RailView]:
    """Each guardrail with its state, in the order they were added."""
    checks = [c for c in report.assessment.checks if c.id is CheckId.GUARDRAIL]
    views = []
    for index, rail in enumerate(report.facts.guardrails):
        passed = checks[index].passed if index < len(checks) else False
        if passed:
            state = RailState.WITHIN
        elif rail.outside_limit:
            state = RailState.OUTSIDE
        else:
            state = RailState.NO_CURRENT_READING
        views.append(RailView(rail, state))
    return views


def rail_name(rail: Guardrail) -> str:
    """The name in bold, never wrapped at its hyphen (names need no escaping: bot.governance
    .guardrails.NAME)."""
    return f"*{clip_mrkdwn(rail.name, 30).replace('-', NB_HYPHEN)}*"


def limit_text(rail: Guardrail) -> str:
    """`≤ 2%`, `≥ 4.2 stars`: the limit with its direction, kept on one line."""
    bound = "≤" if rail.better is Better.LOWER else "≥"
    return f"{bound}{NBSP}{quantity(rail.limit, rail.unit)}"


def quantity(value: float, unit: str | None) -> str:
    """`1.8 s` escaped, the number and its unit kept together."""
    return clip_mrkdwn(format_quantity(value, unit), 30).replace(" ", NBSP)


def rail_line(view: RailView, now: datetime, tz: ZoneInfo) -> str:
    """`✅ *errors* 1.8% · within ≤ 2%`, `❌ *latency* 2.4 s · outside ≤ 2 s`, `⚪ *csat* no
    current reading · last 4.1 on 2 Nov · limit ≥ 4.2`, `⚪ *csat* no reading yet · limit ≥ 4.2`."""
    rail = view.rail
    head = f"{MARKS[view.state]} {rail_name(rail)}"
    latest = rail.latest
    if latest is None:
        return f"{head} no reading yet · limit {limit_text(rail)}"
    value = quantity(latest.value, rail.unit)
    if view.state is RailState.NO_CURRENT_READING:
        day = spoken_day(local_date(latest.at, tz), local_date(now, tz))
        return f"{head} no current reading · last {value} on {day} · limit {limit_text(rail)}"
    return f"{head} {value} · {view.state.value} {limit_text(rail)}"


def rail_lines(views: Sequence[RailView], now: datetime, tz: ZoneInfo) -> list[str]:
    return [rail_line(view, now, tz) for view in views]


def rails_heading(views: Sequence[RailView]) -> str:
    """`*Guardrails* 3/3 within`, `*Guardrails* latency outside its limit`."""
    return f"*Guardrails*: {rails_summary(views)}"


def rails_summary(views: Sequence[RailView]) -> str:
    """The gist for a line read at a glance: `3/3 within`, `latency outside its limit`,
    `2 outside their limits`, `errors without a current reading`. Empty without guardrails."""
    if not views:
        return ""
    outside = [view for view in views if view.state is RailState.OUTSIDE]
    unread = [view for view in views if view.state is RailState.NO_CURRENT_READING]
    if len(outside) == 1:
        return f"{_plain_name(outside[0])} outside its limit"
    if outside:
        return f"{count_noun(len(outside), 'guardrail')} outside their limits"
    if len(unread) == 1:
        return f"{_plain_name(unread[0])} without a current reading"
    if unread:
        return f"{count_noun(len(unread), 'guardrail')} without a current reading"
    return f"{len(views)}/{len(views)} within"


def summarised(views: Sequence[RailView]) -> int:
    """How many guardrail gaps `rails_summary` names: those outside their limits, else those
    without a current reading."""
    outside = sum(view.state is RailState.OUTSIDE for view in views)
    return outside or sum(view.state is RailState.NO_CURRENT_READING for view in views)


def digest_summary(views: Sequence[RailView]) -> str:
    """`guardrails 3/3 within`, `❌ latency outside its limit`: the digest line's part."""
    summary = rails_summary(views)
    if not summary:
        return ""
    if any(view.state is RailState.OUTSIDE for view in views):
        return f"❌ {summary}"
    if summary.endswith("within"):
        return f"guardrails {summary}"
    return f"⚪ {summary}"


def _plain_name(view: RailView) -> str:
    return clip_mrkdwn(view.rail.name, 30).replace("-", NB_HYPHEN)
