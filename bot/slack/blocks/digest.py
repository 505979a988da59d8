"""The sponsor digest a channel gets at its day and time: one glance at the portfolio.

Counts by verdict and the money waiting on decisions first, then one line per pilot under
what it needs: a go decision, an overdue decision, a nudge (stalled), or work (not ready).
Pilots with a final decision are counted in one line, not listed.

Slack takes at most 50 blocks of at most 3,000 characters per section, and refuses a
message whose blocks hold much more than about 13,000 characters in all
(`msg_blocks_too_long`; slackapi/bolt-js#2509). A portfolio too big for one message gets a
first message that summarises (counts per section, the top lines of each) and thread
messages with the remaining lines, each within those limits; every listed pilot appears
exactly once across them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.formatting import format_day, format_number, format_quantity
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import Better, Decision, Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    Blocks,
    clip_mrkdwn,
    code,
    context,
    count_noun,
    decide_by_line,
    header,
    headline,
    mention,
    pack_lines,
    pilot_name,
    section,
    verdict_text,
)
from bot.slack.blocks.pilot_list import verdict_counts

Message = dict[str, Any]

# The text all blocks of one message may hold: well under what Slack refuses.
MAX_MESSAGE_TEXT = 10_000
# Lines of each section the first message shows when the rest goes to the thread.
TOP_LINES = 5
READY, OVERDUE, STALLED, NOT_READY = (
    "Ready for a go decision",
    "Decision overdue",
    "Stalled",
    "Not ready",
)
SECTION_ORDER = (READY, OVERDUE, STALLED, NOT_READY)
CONTINUED = "Continued in the thread"


@dataclass(frozen=True)
class _Group:
    title: str
    lines: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"*{self.title}* ({format_number(len(self.lines))})"


def digest_messages(reports: Sequence[PilotReport], now: datetime, tz: ZoneInfo) -> list[Message]:
    """The first message, then the messages to post in its thread (often none)."""
    title = f"Pilot portfolio: {format_day(local_date(now, tz))}"
    if not reports:
        text = (
            f"No pilots in this workspace yet. Register the first with {code('/pilot new <name>')}."
        )
        return [{"text": f"{title}: no pilots yet", "blocks": [header(title), section(text)]}]
    listed = [report for report in reports if not _decided(report)]
    groups = _groups(listed, now, tz)
    head: Blocks = [header(title), section(_summary(reports, listed))]
    tail: Blocks = []
    if len(listed) < len(reports):
        tail.append(context(_decided_line([r for r in reports if _decided(r)])))
    fallback = _fallback(title, reports, groups)

    whole = head + [section(text) for group in groups for text in _texts(group)] + tail
    if _fits(whole):
        return [{"text": fallback, "blocks": whole}]

    first = list(head)
    rest: list[_Group] = []
    for group in groups:
        text, shown = _top(group)
        first.append(section(text))
        if shown < len(group.lines):
            rest.append(_Group(group.title, group.lines[shown:]))
    thread = _thread(title, rest)
    first.extend(tail)
    if thread:
        replies = count_noun(len(thread), "reply", "replies")
        first.append(context(f"{CONTINUED}: the remaining lines in {replies}."))
    return [{"text": fallback, "blocks": first}, *thread]


# ---- who goes where ------------------------------------------------------------------------


def _decided(report: PilotReport) -> bool:
    decision = report.facts.latest_decision
    return decision is not None and decision.decision.is_final


def _section_of(report: PilotReport) -> str:
    assessment = report.assessment
    if assessment.decision_overdue:
        return OVERDUE
    if assessment.verdict is Verdict.GO:
        return READY
    if assessment.verdict is Verdict.STALLED:
        return STALLED
    return NOT_READY


def _number(report: PilotReport) -> int:
    digits = report.key.removeprefix("P-")
    return int(digits) if digits.isdigit() else 0


def _value(report: PilotReport) -> float:
    net = report.assessment.monthly_net_value
    return net if net is not None else float("-inf")


_ORDER: dict[str, Callable[[PilotReport], Any]] = {
    # Most money first; oldest missed date first; longest silent first; fewest gaps first.
    READY: lambda r: (-_value(r), _number(r)),
    OVERDUE: lambda r: (r.facts.decide_by or date.max, _number(r)),
    STALLED: lambda r: (_last_activity(r), _number(r)),
    NOT_READY: lambda r: (len(r.assessment.gaps), _number(r)),
}


def _last_activity(report: PilotReport) -> datetime:
    facts = report.facts
    reading = facts.latest_reading
    return reading.at if reading is not None else facts.registered_at


def _groups(reports: Sequence[PilotReport], now: datetime, tz: ZoneInfo) -> list[_Group]:
    groups = []
    for title in SECTION_ORDER:
        members = sorted((r for r in reports if _section_of(r) == title), key=_ORDER[title])
        if members:
            groups.append(_Group(title, tuple(digest_line(r, now, tz) for r in members)))
    return groups


# ---- the lines -----------------------------------------------------------------------------


def digest_line(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """`*P-3* Support drafting — 🟢 Go · 9 min (base 14, go ≤ 9.8) · <@U0ANN> · decide by …`."""
    facts, assessment = report.facts, report.assessment
    parts = [
        verdict_text(assessment.verdict),
        _metric_short(report),
        mention(facts.owner) if facts.owner else "no owner",
    ]
    if facts.decide_by is not None and _section_of(report) in (READY, OVERDUE):
        parts.append(decide_by_line(facts.decide_by, now, tz))
    # The line already shows a missing owner and a reading that misses the threshold.
    top = [
        check.gap
        for check in assessment.checks
        if not check.passed and check.gap and check.id not in _SHOWN_CHECKS
    ]
    if top:
        others = len(assessment.gaps) - 1
        parts.append(headline(top[0], 72) + (f" (+{others} more)" if others else ""))
    return f"*{facts.key}* {pilot_name(facts, 40)} — {' · '.join(parts)}"


_SHOWN_CHECKS = (CheckId.OWNER, CheckId.THRESHOLD_CLEARED)


def _metric_short(report: PilotReport) -> str:
    """`9 min (base 14, go ≤ 9.8)`: the latest reading vs the baseline vs the threshold."""
    facts = report.facts
    reading, baseline, threshold = facts.latest_reading, facts.baseline, facts.threshold
    if reading is None and baseline is None and threshold is None:
        return "no metric yet"
    latest = (
        clip_mrkdwn(format_quantity(reading.value, facts.unit), 30) if reading else "no reading"
    )
    base = f"base {format_number(baseline.value)}" if baseline else "no baseline"
    if threshold is None:
        goal = "no threshold"
    else:
        bound = {Better.LOWER: "≤ ", Better.HIGHER: "≥ ", None: "at "}[facts.better]
        goal = f"go {bound}{format_number(threshold)}"
    return f"{latest} ({base}, {goal})"


def _summary(reports: Sequence[PilotReport], listed: Sequence[PilotReport]) -> str:
    lines = [f"*{count_noun(len(reports), 'pilot')}*: {verdict_counts(reports)}"]
    waiting = [
        net
        for report in listed
        if _section_of(report) in (READY, OVERDUE)
        and (net := report.assessment.monthly_net_value) is not None
        and net > 0
    ]
    if waiting:
        amount = format_number(round(sum(waiting)))
        lines.append(
            f"💰 *${amount} a month* of value waits on decisions "
            f"({count_noun(len(waiting), 'pilot')} at full scale)"
        )
    return "\n".join(lines)


def _decided_line(decided: Sequence[PilotReport]) -> str:
    kinds = [r.facts.latest_decision.decision for r in decided if r.facts.latest_decision]
    go, no_go = kinds.count(Decision.GO), kinds.count(Decision.NO_GO)
    return (
        f"Not listed: {count_noun(len(decided), 'pilot')} already decided "
        f"({format_number(go)} go, {format_number(no_go)} no-go)."
    )


def _fallback(title: str, reports: Sequence[PilotReport], groups: Sequence[_Group]) -> str:
    sizes = {group.title: len(group.lines) for group in groups}
    return (
        f"{title}: {count_noun(len(reports), 'pilot')}, {format_number(sizes.get(READY, 0))} "
        f"ready for a go decision, {format_number(sizes.get(OVERDUE, 0))} decisions overdue"
    )


# ---- fitting the lines into messages -------------------------------------------------------


def _texts(group: _Group) -> list[str]:
    texts, _ = pack_lines([group.heading, *group.lines])
    return texts


def _top(group: _Group) -> tuple[str, int]:
    """The heading and the first lines of a group for the first message, and how many."""
    shown = group.lines[:TOP_LINES]
    more = len(f"\n…and {format_number(len(group.lines))} more in the thread")
    texts, taken = pack_lines([group.heading, *shown], MAX_SECTION_TEXT - more, max_sections=1)
    count = max(taken - 1, 0)
    text = texts[0]
    if count < len(group.lines):
        text += f"\n…and {format_number(len(group.lines) - count)} more in the thread"
    return text, count


def _thread(title: str, groups: Sequence[_Group]) -> list[Message]:
    """The remaining lines, each text headed by its section, grouped into messages."""
    sections: Blocks = []
    for group in groups:
        label = f"*{group.title}* (continued)"
        texts, _ = pack_lines(group.lines, MAX_SECTION_TEXT - len(label) - 1)
        sections.extend(section(f"{label}\n{text}") for text in texts)
    batches: list[Blocks] = []
    for block in sections:
        if not batches or not _fits([*batches[-1], block], spare_blocks=1, spare_text=200):
            batches.append([])
        batches[-1].append(block)
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
