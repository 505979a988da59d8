"""The sponsor digest a channel gets at its day and time: one glance at the portfolio.

Counts by verdict and the money waiting on decisions first, then one line per pilot under
what it needs: a go decision, a decision due this week, an overdue decision (each with a
Decide button and the sponsor who must take it), a nudge (stalled), or work (not ready);
last, the decisions of the week. Older final decisions are counted in one line, not listed.

Slack takes at most 50 blocks of at most 3,000 characters per section, and refuses a
message whose blocks hold much more than about 13,000 characters in all
(`msg_blocks_too_long`; slackapi/bolt-js#2509). A portfolio too big for one message gets a
first message that summarises (counts per section, the top lines of each) and thread
messages with the remaining lines, each within those limits; every listed pilot appears
exactly once across them.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.formatting import format_number
from bot.governance.formatting import spoken_day
from bot.governance.vocabulary import Decision
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.common import MAX_SECTION_TEXT
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import button
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import header
from bot.slack.blocks.common import mrkdwn
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import section
from bot.slack.blocks.decided import DECISION_EMOJI
from bot.slack.blocks.decided import decision_in_force
from bot.slack.blocks.digest_lines import DECIDED
from bot.slack.blocks.digest_lines import DECIDING
from bot.slack.blocks.digest_lines import DUE
from bot.slack.blocks.digest_lines import NOT_READY
from bot.slack.blocks.digest_lines import OVERDUE
from bot.slack.blocks.digest_lines import READY
from bot.slack.blocks.digest_lines import SECTION_ORDER
from bot.slack.blocks.digest_lines import STALLED
from bot.slack.blocks.digest_lines import digest_line
from bot.slack.blocks.digest_lines import portfolio_summary
from bot.slack.blocks.digest_lines import section_of
from bot.slack.ids import Action

__all__ = ["MAX_MESSAGE_TEXT", "block_text", "digest_line", "digest_messages"]

Message = dict[str, Any]

# The text all blocks of one message may hold: well under what Slack refuses.
MAX_MESSAGE_TEXT = 10_000
# Lines of each section the first message shows when the rest goes to the thread.
TOP_LINES = 5
CONTINUED = "Continued in the thread"


@dataclass(frozen=True)
class _Group:
    title: str
    lines: tuple[str, ...]
    # The pilot of each line, when each line offers a Decide button.
    keys: tuple[str, ...] | None = None

    @property
    def heading(self) -> str:
        return f"*{self.title}* ({format_number(len(self.lines))})"

    def after(self, shown: int) -> _Group:
        keys = self.keys[shown:] if self.keys is not None else None
        return _Group(self.title, self.lines[shown:], keys)


def digest_messages(reports: Sequence[PilotReport], now: datetime, tz: ZoneInfo) -> list[Message]:
    """The first message, then the messages to post in its thread (often none)."""
    today = local_date(now, tz)
    title = f"Pilot portfolio: {spoken_day(today, today)}"
    if not reports:
        text = (
            f"No pilots in this workspace yet. Register the first with {code('/pilot new <name>')}."
        )
        return [{"text": f"{title}: no pilots yet", "blocks": [header(title), section(text)]}]
    groups = _groups(reports, now, tz)
    head: Blocks = [
        header(title),
        section(portfolio_summary(reports, now, tz, waiting="of value waits on decisions")),
    ]
    tail: Blocks = []
    earlier = [r for r in reports if section_of(r, now, tz) is None]
    if earlier:
        tail.append(context(_earlier_line(earlier)))
    fallback = _fallback(title, reports, groups)

    whole = head + [block for group in groups for block in _blocks(group)] + tail
    if _fits(whole):
        return [{"text": fallback, "blocks": whole}]

    first = list(head)
    rest: list[_Group] = []
    for group in groups:
        blocks, shown = _top(group)
        first.extend(blocks)
        if shown < len(group.lines):
            rest.append(group.after(shown))
    thread = _thread(title, rest)
    first.extend(tail)
    if thread:
        replies = count_noun(len(thread), "reply", "replies")
        first.append(context(f"{CONTINUED}: the remaining lines in {replies}."))
    return [{"text": fallback, "blocks": first}, *thread]


# ---- who goes where ------------------------------------------------------------------------


def _number(report: PilotReport) -> int:
    digits = report.key.removeprefix("P-")
    return int(digits) if digits.isdigit() else 0


def _value(report: PilotReport) -> float:
    net = report.assessment.monthly_net_value
    return net if net is not None else float("-inf")


def _last_activity(report: PilotReport) -> datetime:
    facts = report.facts
    reading = facts.latest_reading
    return reading.at if reading is not None else facts.registered_at


def _decided_at(report: PilotReport) -> datetime:
    decision = report.facts.latest_decision
    return decision.at if decision is not None else report.facts.registered_at


_ORDER: dict[str, Callable[[PilotReport], Any]] = {
    # Most money first; oldest missed date first; longest silent first; fewest gaps first;
    # latest decision first.
    READY: lambda r: (-_value(r), _number(r)),
    DUE: lambda r: (r.facts.decide_by or date.max, _number(r)),
    OVERDUE: lambda r: (r.facts.decide_by or date.max, _number(r)),
    STALLED: lambda r: (_last_activity(r), _number(r)),
    NOT_READY: lambda r: (len(r.assessment.gaps), _number(r)),
    DECIDED: lambda r: (-_decided_at(r).timestamp(), _number(r)),
}


def _groups(reports: Sequence[PilotReport], now: datetime, tz: ZoneInfo) -> list[_Group]:
    groups = []
    for title in SECTION_ORDER:
        members = sorted((r for r in reports if section_of(r, now, tz) == title), key=_ORDER[title])
        if members:
            lines = tuple(digest_line(r, now, tz) for r in members)
            keys = tuple(r.key for r in members) if title in DECIDING else None
            groups.append(_Group(title, lines, keys))
    return groups


# ---- the summary ---------------------------------------------------------------------------


def _earlier_line(decided: Sequence[PilotReport]) -> str:
    kinds = [decision_in_force(r) for r in decided]
    counts = [
        f"{DECISION_EMOJI[kind]} {format_number(kinds.count(kind))} {word}"
        for kind, word in ((Decision.GO, "approved for production"), (Decision.NO_GO, "stopped"))
        if kinds.count(kind)
    ]
    return f"Not listed: {count_noun(len(decided), 'pilot')} decided earlier ({', '.join(counts)})."


def _fallback(title: str, reports: Sequence[PilotReport], groups: Sequence[_Group]) -> str:
    sizes = {group.title: len(group.lines) for group in groups}
    return (
        f"{title}: {count_noun(len(reports), 'pilot')}, {format_number(sizes.get(READY, 0))} "
        f"ready for a go decision, {format_number(sizes.get(OVERDUE, 0))} decisions overdue"
    )


# ---- fitting the lines into messages -------------------------------------------------------


def _decide_line(line: str, key: str) -> dict[str, Any]:
    """A pilot waiting on a decision: its line, and a Decide button beside it (the form opens
    only for someone allowed to decide)."""
    return {
        "type": "section",
        "text": mrkdwn(line, MAX_SECTION_TEXT),
        "accessory": button("Decide", Action.DECIDE, pilot_value(key)),
    }


def _blocks(group: _Group) -> Blocks:
    if group.keys is None:
        texts, _ = pack_lines([group.heading, *group.lines])
        return [section(text) for text in texts]
    return [
        section(group.heading),
        *(_decide_line(line, key) for line, key in zip(group.lines, group.keys, strict=True)),
    ]


def _more(count: int) -> str:
    return f"…and {format_number(count)} more in the thread"


def _top(group: _Group) -> tuple[Blocks, int]:
    """The heading and the first lines of a group for the first message, and how many."""
    if group.keys is not None:
        count = min(TOP_LINES, len(group.lines))
        blocks = _blocks(_Group(group.title, group.lines[:count], group.keys[:count]))
        blocks[0] = section(group.heading)
        if count < len(group.lines):
            blocks.append(context(_more(len(group.lines) - count)))
        return blocks, count
    shown = group.lines[:TOP_LINES]
    more = len("\n" + _more(len(group.lines)))
    texts, taken = pack_lines([group.heading, *shown], MAX_SECTION_TEXT - more, max_sections=1)
    count = max(taken - 1, 0)
    text = texts[0]
    if count < len(group.lines):
        text += "\n" + _more(len(group.lines) - count)
    return [section(text)], count


def _thread(title: str, groups: Sequence[_Group]) -> list[Message]:
    """The remaining lines, each run headed by its section, grouped into messages."""
    # (label, block): a Decide line needs its label repeated atop each message it starts.
    units: list[tuple[str | None, dict[str, Any]]] = []
    for group in groups:
        continued = f"*{group.title}* (continued)"
        if group.keys is None:
            texts, _ = pack_lines(group.lines, MAX_SECTION_TEXT - len(continued) - 1)
            units.extend((None, section(f"{continued}\n{text}")) for text in texts)
        else:
            pairs = zip(group.lines, group.keys, strict=True)
            units.extend((continued, _decide_line(line, key)) for line, key in pairs)
    batches: list[Blocks] = []
    labelled: str | None = None
    for label, block in units:
        candidate = [block] if label is None or label == labelled else [section(label), block]
        if not batches or not _fits([*batches[-1], *candidate], spare_blocks=1, spare_text=200):
            batches.append([])
            candidate = [block] if label is None else [section(label), block]
        batches[-1].extend(candidate)
        labelled = label
    messages = []
    for number, batch in enumerate(batches, 1):
        part = f"{title}, continued ({number} of {len(batches)})"
        messages.append({"text": part, "blocks": [context(part), *batch]})
    return messages


def _fits(blocks: Blocks, spare_blocks: int = 0, spare_text: int = 0) -> bool:
    text = sum(len(block_text(block)) for block in blocks)
    return (
        len(blocks) + spare_blocks <= MAX_MESSAGE_BLOCKS and text + spare_text <= MAX_MESSAGE_TEXT
    )


def block_text(node: Any) -> str:
    """Every text of a block (or message, or list of blocks) run together, to measure it."""
    if isinstance(node, dict):
        return "".join(
            value if key == "text" and isinstance(value, str) else block_text(value)
            for key, value in node.items()
        )
    if isinstance(node, list):
        return "".join(block_text(value) for value in node)
    return ""
