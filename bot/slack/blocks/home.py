"""The App Home: what each of my pilots needs from me, then the rest of them in brief."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.pilots import PilotReport
from bot.slack.blocks.common import (
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    Blocks,
    actions,
    bullets,
    button,
    code,
    context,
    count_noun,
    decide_by_line,
    escape,
    escape_keeping_mentions,
    header,
    headline,
    pack_lines,
    pilot_name,
    pilot_value,
    section,
    shorten_mrkdwn,
    verdict_text,
)
from bot.slack.ids import Action

# Pilots shown in full (a section and its buttons each); the rest become packed lines.
MAX_FULL_ITEMS = 20
_NEED_LIMIT = 400


@dataclass(frozen=True)
class HomeItem:
    """One pilot the person is involved in: their roles in it and what it needs from them."""

    report: PilotReport
    roles: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def home_view(
    user_id: str, items: Sequence[HomeItem], now: datetime, tz: ZoneInfo
) -> dict[str, Any]:
    """The home tab of `user_id`: never more than 100 blocks, however many pilots."""
    if not items:
        return {"type": "home", "blocks": _welcome()}
    wanted = [item for item in items if item.needs]
    others = [item for item in items if not item.needs]
    blocks: Blocks = [header("Your pilots")]
    if wanted:
        verb = "needs" if len(wanted) == 1 else "need"
        blocks.append(section(f"*{count_noun(len(wanted), 'pilot')} {verb} something from you*"))
        for item in wanted[:MAX_FULL_ITEMS]:
            blocks.extend(_full(item, now, tz))
    rest = wanted[MAX_FULL_ITEMS:]
    # Everything below: headings and a closing hint, then as many packed sections as fit.
    room = MAX_VIEW_BLOCKS - len(blocks) - 1 - (1 if rest else 0) - (1 if others else 0)
    left_out = 0
    for title, group in (
        (
            f"*{count_noun(len(rest), 'more pilot')} {'needs' if len(rest) == 1 else 'need'} you*",
            rest,
        ),
        (f"*{count_noun(len(others), 'other pilot')} of yours*", others),
    ):
        if not group:
            continue
        blocks.append(section(title))
        texts, taken = pack_lines((_compact(item) for item in group), max_sections=max(room, 0))
        blocks.extend(section(text) for text in texts)
        room -= len(texts)
        left_out += len(group) - taken
    if left_out:
        blocks.append(
            context(
                f"…and {count_noun(left_out, 'more pilot')} not shown here: "
                f"{code('/pilot list')} shows them all."
            )
        )
    elif rest or others:
        blocks.append(context(f"{code('/pilot list')} shows every pilot in the workspace."))
    return {"type": "home", "blocks": blocks}


def _welcome() -> Blocks:
    return [
        header("Welcome to pilotgate"),
        section(
            "pilotgate keeps the facts of each AI pilot — owner, go-live metric, baseline, "
            "readings — and tells sponsors which pilots are ready for a go decision, which to "
            "stop and which are stuck.\n"
            f"Start one with {code('/pilot new <name>')}; {code('/pilot help')} lists every "
            "command."
        ),
    ]


def _full(item: HomeItem, now: datetime, tz: ZoneInfo) -> Blocks:
    report = item.report
    facts = report.facts
    lines = [
        f"*{facts.key}* {pilot_name(facts)} — {verdict_text(report.assessment.verdict)}",
        f"_You: {_roles(item)}_ · {decide_by_line(facts.decide_by, now, tz)}",
    ]
    head = "\n".join(lines)
    needs = [shorten_mrkdwn(escape_keeping_mentions(need), _NEED_LIMIT) for need in item.needs]
    value = pilot_value(report.key)
    return [
        section(bullets(needs, MAX_SECTION_TEXT, title=head)),
        actions(
            button("Record a reading", Action.RECORD_READING, value, primary=True),
            button("Record baseline", Action.RECORD_BASELINE, value),
            button("Open", Action.OPEN_PILOT, value),
        ),
    ]


def _compact(item: HomeItem) -> str:
    """`*P-3* Support drafting — 🟡 Not ready · you: owner · No baseline (+3 more)`."""
    facts = item.report.facts
    parts = [verdict_text(item.report.assessment.verdict), f"you: {_roles(item)}"]
    if item.needs:
        more = f" (+{len(item.needs) - 1} more)" if len(item.needs) > 1 else ""
        parts.append(headline(item.needs[0]) + more)
    return f"*{facts.key}* {pilot_name(facts)} — {' · '.join(parts)}"


def _roles(item: HomeItem) -> str:
    return shorten_mrkdwn(escape(", ".join(item.roles)), 200) if item.roles else "watching"
