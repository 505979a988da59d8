"""`/pilot list`: the workspace's pilots with their verdicts, a page at a time."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.charts.sparkline import sparkline
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import section
from bot.slack.blocks.decided import DECISION_EMOJI
from bot.slack.blocks.decided import decision_in_force
from bot.slack.blocks.decided import is_final
from bot.slack.blocks.decided import standing
from bot.slack.ids import Action
from bot.slack.metadata import ListPage

DEFAULT_PAGE_SIZE = 40
# A line is at most about 240 characters, so 200 of them always fit in one message's sections.
MAX_PAGE_SIZE = 200
# Counts, page context and page buttons: the rest of a message's blocks hold the lines.
_FRAME_BLOCKS = 3


def verdict_counts(reports: Sequence[PilotReport]) -> str:
    """`2 Go · 5 Not ready · 1 No-go · 3 Stalled · ✅ 1 approved · ⛔ 2 stopped`: every
    verdict in the order of the contract, then the final decisions. A pilot with a final
    decision counts under it, not under the verdict it keeps for the record, so a stopped
    pilot never adds to "Go"."""
    final = [report for report in reports if is_final(report)]
    counts = Counter(report.assessment.verdict for report in reports if not is_final(report))
    parts = [f"{counts[verdict]} {verdict.label}" for verdict in _ORDER]
    decided = Counter(decision_in_force(report) for report in final)
    for decision, word in ((Decision.GO, "approved"), (Decision.NO_GO, "stopped")):
        if decided[decision]:
            parts.append(f"{DECISION_EMOJI[decision]} {decided[decision]} {word}")
    return " · ".join(parts)


_ORDER = (Verdict.GO, Verdict.NOT_READY, Verdict.NO_GO, Verdict.STALLED)


def pilot_line(report: PilotReport) -> str:
    """`*P-3* Support drafting — 🟡 Not ready · No baseline (+4 more)`; a decided pilot leads
    with its decision: `⛔ Stopped · 🟢 Go when decided`."""
    facts, assessment = report.facts, report.assessment
    parts = [standing(report)]
    if len(facts.recent_values) > 1:
        parts.append(sparkline(facts.recent_values))
    gaps = assessment.gaps if not is_final(report) else ()
    if gaps:
        more = f" (+{len(gaps) - 1} more)" if len(gaps) > 1 else ""
        parts.append(headline(gaps[0]) + more)
    return f"*{facts.key}* {pilot_name(facts)} — {' · '.join(parts)}"


def page_count(total: int, page_size: int = DEFAULT_PAGE_SIZE) -> int:
    return max(1, math.ceil(total / page_size))


def pilot_list(
    reports: Sequence[PilotReport], page: int, page_size: int = DEFAULT_PAGE_SIZE
) -> Blocks:
    """One page of the list; a page past the end shows the last one.

    Reports are listed in the order given; page n holds reports (n-1)*size to n*size-1, so
    the pages together show every pilot exactly once.
    """
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    if not reports:
        return [
            section(
                "No pilots in this workspace yet. Register the first with "
                f"{code('/pilot new <name>')}, or {code('/pilot new')} for a form."
            )
        ]
    total = len(reports)
    pages = page_count(total, page_size)
    page = min(max(page, 1), pages)
    start = (page - 1) * page_size
    shown = reports[start : start + page_size]
    blocks: Blocks = [section(f"*{count_noun(total, 'pilot')}*: {verdict_counts(reports)}")]
    texts, taken = pack_lines(
        (pilot_line(report) for report in shown),
        max_sections=MAX_MESSAGE_BLOCKS - _FRAME_BLOCKS,
    )
    blocks.extend(section(text) for text in texts)
    end = start + taken
    if pages > 1 or taken < len(shown):
        blocks.append(context(f"Showing {start + 1}\u2013{end} of {total}"))
    buttons = []
    if page > 1:
        buttons.append(button("Previous page", Action.LIST_PAGE, ListPage(page=page - 1).dump()))
    if page < pages:
        buttons.append(button("Next page", Action.LIST_PAGE, ListPage(page=page + 1).dump()))
    if buttons:
        blocks.append(actions(*buttons))
    return blocks
