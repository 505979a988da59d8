"""The programme office's App Home (workspace admins): the whole portfolio at a glance.

Counts by verdict and by decision, the money waiting on decisions, the decisions due with
the sponsors who must take them, the stalled pilots, and the gaps most pilots share; then
the admin's own pilots, as everyone's Home shows them. A summary, not a list: it stays well
inside Slack's 100 blocks for any number of pilots and points at `/pilot list` for the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.facts import last_activity
from bot.governance.formatting import format_number
from bot.governance.formatting import spoken_day
from bot.governance.portfolio import ready_for_decision
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_VIEW_BLOCKS
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import divider
from bot.slack.blocks.common import due_words
from bot.slack.blocks.common import header
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import section
from bot.slack.blocks.decided import is_final
from bot.slack.blocks.decided import standing
from bot.slack.blocks.digest_lines import portfolio_summary
from bot.slack.blocks.home import HomeItem
from bot.slack.blocks.home import your_pilots

# Lines each list shows before pointing at `/pilot list`.
TOP = 8
COMMON_GAPS = 5
NAME_LIMIT = 50

GAP_WORDS = {
    CheckId.OWNER: "No owner",
    CheckId.SPONSOR: "No sponsor",
    CheckId.METRIC: "No agreed go-live metric or threshold",
    CheckId.BASELINE: "Baseline missing or recorded late",
    CheckId.READING_CURRENT: "No current reading",
    CheckId.THRESHOLD_CLEARED: "Latest reading misses the threshold",
    CheckId.EVALUATION: "Evaluation bar not met",
    CheckId.WORKFLOW: "No live workflow named",
    CheckId.MONITORING: "No monitoring in production",
    CheckId.ROLLBACK: "No rollback or kill switch",
    CheckId.ECONOMICS: "Unit economics missing or at a loss",
    CheckId.RACI: "RACI without one Accountable per area",
}


def programme_home(
    user_id: str,
    reports: Sequence[PilotReport],
    items: Sequence[HomeItem],
    now: datetime,
    tz: ZoneInfo,
    *,
    complete: bool = False,
) -> dict[str, Any]:
    """The Home of a workspace admin: the portfolio of `reports` (every pilot of the
    workspace), then `items`, the admin's own pilots, in the blocks that are left."""
    blocks: Blocks = [header("AI pilot portfolio")]
    if not reports:
        blocks.append(
            section(
                "No pilots in this workspace yet. Register the first with "
                f"{code('/pilot new <name>')}; every pilot then shows up here."
            )
        )
        return {"type": "home", "blocks": blocks}
    open_ = [report for report in reports if not is_final(report)]
    blocks.append(section(portfolio_summary(reports, now, tz, waiting="waits on decisions")))
    due = sorted((r for r in open_ if _decision_due(r, now, tz)), key=_by_date)
    due_keys = {r.key for r in due}
    stalled = sorted(
        (r for r in open_ if r.assessment.verdict is Verdict.STALLED and r.key not in due_keys),
        key=lambda r: last_activity(r.facts, now),
    )
    for title, group, line in (
        ("Decisions due", due, lambda r: _due_line(r, now, tz)),
        ("Stalled", stalled, lambda r: _stalled_line(r, now, tz)),
    ):
        if group:
            blocks.append(section(_listing(title, group, line)))
    gaps = _common_gaps(open_)
    if gaps:
        blocks.append(section(gaps))
    blocks.append(
        context(
            f"{code('/pilot list')} lists every pilot with its verdict; "
            f"{code('/pilot status <key>')} shows one in full."
        )
    )
    if items:
        blocks.append(divider())
        room = MAX_VIEW_BLOCKS - len(blocks)
        blocks.extend(your_pilots(items, now, tz, room, complete=complete))
    return {"type": "home", "blocks": blocks}


def _decision_due(report: PilotReport, now: datetime, tz: ZoneInfo) -> bool:
    """Ready for a decision by the rules (Go, due within the week, or a go waiting for its
    approval), or past its date undecided."""
    facts, assessment = report.facts, report.assessment
    return assessment.decision_overdue or ready_for_decision(facts, assessment, now, tz)


def _by_date(report: PilotReport) -> tuple[date, str]:
    return (report.facts.decide_by or date.max, report.key)


def _due_line(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """`*P-3* Support drafting — 🟢 Go · <@U0SPO> to decide by 15 Dec (in 29 days)`."""
    facts = report.facts
    who = f"{mention(facts.sponsor)} to decide" if facts.sponsor else "⚠️ no sponsor to decide"
    when = due_words(facts.decide_by, now, tz)
    joined = f"{who} {when}" if when.startswith("by ") else f"{who}, {when}"
    return f"*{facts.key}* {pilot_name(facts, NAME_LIMIT)} — {standing(report)} · {joined}"


def _stalled_line(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """`*P-9* Contract review — silent since 26 Oct · owner <@U0ANN> · sponsor <@U0SPO>`."""
    facts = report.facts
    since = spoken_day(last_activity(facts, now).astimezone(tz).date(), local_date(now, tz))
    return (
        f"*{facts.key}* {pilot_name(facts, NAME_LIMIT)} — silent since {since} · "
        f"owner {mention(facts.owner)} · sponsor {mention(facts.sponsor)}"
    )


def _listing(title: str, group: Sequence[PilotReport], line: Callable[[PilotReport], str]) -> str:
    shown = group[:TOP]
    more = len(group) - len(shown)
    tail = [f"…and {format_number(more)} more: {code('/pilot list')}"] if more else []
    texts, _ = pack_lines(
        [f"*{title}* ({format_number(len(group))})", *(line(r) for r in shown), *tail],
        max_sections=1,
    )
    return texts[0]


def _common_gaps(reports: Iterable[PilotReport]) -> str:
    """`*Most common gaps*` and the five checks most pilots fail, with how many fail each."""
    counts: Counter[CheckId] = Counter()
    example: dict[CheckId, str] = {}
    for report in reports:
        for check in report.assessment.checks:
            if not check.passed and check.gap:
                counts[check.id] += 1
                example.setdefault(check.id, check.gap)
    if not counts:
        return ""
    lines = ["*Most common gaps*"]
    for check_id, count in counts.most_common(COMMON_GAPS):
        words = GAP_WORDS.get(check_id) or headline(example[check_id], 60)
        lines.append(f"• {words} — {count_noun(count, 'pilot')}")
    return "\n".join(lines)
