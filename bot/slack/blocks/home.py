"""The App Home: what each of my pilots needs from me, then the rest of them in brief."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_SECTION_TEXT
from bot.slack.blocks.common import MAX_VIEW_BLOCKS
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import due_words
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import header
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import section
from bot.slack.blocks.common import shorten_mrkdwn
from bot.slack.blocks.decided import is_final
from bot.slack.blocks.decided import standing
from bot.slack.blocks.gaps import INDENT
from bot.slack.blocks.gaps import GapLine
from bot.slack.blocks.gaps import buttons_block
from bot.slack.blocks.gaps import command_of
from bot.slack.blocks.gaps import fixing_buttons
from bot.slack.blocks.gaps import gap_lines
from bot.slack.blocks.gaps import gap_list
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
    user_id: str,
    items: Sequence[HomeItem],
    now: datetime,
    tz: ZoneInfo,
    *,
    complete: bool = False,
) -> dict[str, Any]:
    """The home tab of `user_id`: never more than 100 blocks, however many pilots.

    `complete` offers the "Complete the pilot" button once its form is wired."""
    if not items:
        return {"type": "home", "blocks": _welcome()}
    return {
        "type": "home",
        "blocks": your_pilots(items, now, tz, MAX_VIEW_BLOCKS, complete=complete),
    }


def your_pilots(
    items: Sequence[HomeItem],
    now: datetime,
    tz: ZoneInfo,
    max_blocks: int,
    *,
    complete: bool = False,
) -> Blocks:
    """What each pilot needs from the person, then the rest in brief, in `max_blocks`."""
    wanted = [item for item in items if item.needs]
    others = [item for item in items if not item.needs]
    blocks: Blocks = [header("Your pilots")]
    # Room for the headings and the closing hint below the pilots shown in full.
    full = max(0, min(MAX_FULL_ITEMS, (max_blocks - 6) // 2))
    if wanted:
        verb = "needs" if len(wanted) == 1 else "need"
        blocks.append(section(f"*{count_noun(len(wanted), 'pilot')} {verb} something from you*"))
        for item in wanted[:full]:
            blocks.extend(_full(item, now, tz, complete))
    rest = wanted[full:]
    # Everything below: headings and a closing hint, then as many packed sections as fit.
    room = max_blocks - len(blocks) - 1 - (1 if rest else 0) - (1 if others else 0)
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
    return blocks


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


def _full(item: HomeItem, now: datetime, tz: ZoneInfo, complete: bool) -> Blocks:
    report = item.report
    facts = report.facts
    when = "" if is_final(report) else f" · {_decision_when(report, now, tz)}"
    head = f"*{facts.key}* {pilot_name(facts)} — {standing(report)}\n_You: {_roles(item)}_{when}"
    offered = _buttons(item, complete)
    gap_of = dict(_gap_index(report))
    needs = [_need_text(need) for need in item.needs if need not in gap_of]
    mine = [gap_of[need] for need in item.needs if need in gap_of]
    lines = [f"• {need}" for need in needs] + gap_list(mine, offered)
    primary = offered[0] if offered else None
    block = buttons_block(report.key, offered, primary)
    open_button = button("Open", Action.OPEN_PILOT, pilot_value(report.key))
    if block is None:
        block = actions(open_button)
    else:
        block["elements"].append(open_button)
    text = shorten_mrkdwn("\n".join([head, *lines]), MAX_SECTION_TEXT)
    return [section(text), block]


def _decision_when(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """`decision by 15 Dec (in 29 days)`, `decision due 1 Nov (15 days ago)`."""
    day = report.facts.decide_by
    return "no decide-by date" if day is None else f"decision {due_words(day, now, tz)}"


def _gap_index(report: PilotReport) -> list[tuple[str, GapLine]]:
    """Each open gap's sentence (as `needs_from` hands it on) with its short line."""
    gaps = [c.gap for c in report.assessment.checks if not c.passed and c.gap]
    return list(zip(gaps, gap_lines(report), strict=True))


def _buttons(item: HomeItem, complete: bool) -> list[Action]:
    """Decide first when the person is asked to decide, then what closes their gaps."""
    report = item.report
    offered = []
    if any(need.startswith(_DECISION_NEEDS) for need in item.needs):
        offered.append(Action.DECIDE)
    gaps = set(report.assessment.gaps)
    if any(need in gaps for need in item.needs):
        offered.extend(fixing_buttons(report, complete=complete))
    return offered


def _need_text(need: str) -> str:
    """A need that is not a gap: its gist, and its command on a line of its own unless the
    Decide button answers it."""
    command = command_of(need)
    if command is None or need.startswith(_DECISION_NEEDS):
        return headline(need, _NEED_LIMIT)
    return f"{headline(need, _NEED_LIMIT)}\n{INDENT}{code(command)}"


# The sponsor's needs that the Decide button answers (bot.governance.attention).
_DECISION_NEEDS = ("decide:", "decision overdue:")


def _compact(item: HomeItem) -> str:
    """`*P-3* Support drafting — 🟡 Not ready · you: owner · No baseline (+3 more)`."""
    facts = item.report.facts
    parts = [standing(item.report), f"you: {_roles(item)}"]
    if item.needs:
        more = f" (+{len(item.needs) - 1} more)" if len(item.needs) > 1 else ""
        parts.append(headline(item.needs[0]) + more)
    return f"*{facts.key}* {pilot_name(facts)} — {' · '.join(parts)}"


def _roles(item: HomeItem) -> str:
    return shorten_mrkdwn(escape(", ".join(item.roles)), 200) if item.roles else "watching"
