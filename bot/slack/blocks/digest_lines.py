"""The lines of the sponsor digest: which section each pilot belongs in, and its one line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.charts.sparkline import sparkline
from bot.governance.cadence import local_date
from bot.governance.formatting import change_against_baseline
from bot.governance.formatting import format_quantity
from bot.governance.portfolio import ready_for_decision
from bot.governance.portfolio import value_waiting_on_decisions
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import due_words
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.decided import decided_by_line
from bot.slack.blocks.decided import is_final
from bot.slack.blocks.decided import standing
from bot.slack.blocks.guardrails import digest_summary
from bot.slack.blocks.guardrails import rail_views
from bot.slack.blocks.guardrails import summarised
from bot.slack.blocks.pilot_list import verdict_counts
from bot.slack.blocks.words import NBSP
from bot.slack.blocks.words import money
from bot.slack.blocks.words import money_totals

READY, DUE, OVERDUE, STALLED, NOT_READY, DECIDED = (
    "Ready for a go decision",
    "Decision due this week",
    "Decision overdue",
    "Stalled",
    "Not ready",
    "Decided this week",
)
SECTION_ORDER = (READY, DUE, OVERDUE, STALLED, NOT_READY, DECIDED)
# The sections whose pilots wait on a sponsor: each line offers a Decide button.
DECIDING = (READY, DUE, OVERDUE)
# A final decision is news in the digest for this long, then only counted.
RECENT = timedelta(days=7)
NAME_LIMIT = 40


def section_of(report: PilotReport, now: datetime, tz: ZoneInfo) -> str | None:
    """Where the pilot is listed; None for a final decision older than a week. A pilot the
    rules call ready for a decision (`portfolio.ready_for_decision`) that is not Go yet has
    its decide-by date within the week, or a go waiting for approval."""
    assessment = report.assessment
    if is_final(report):
        decision = report.facts.latest_decision
        recent = decision is not None and now - decision.at <= RECENT
        return DECIDED if recent else None
    if assessment.decision_overdue:
        return OVERDUE
    if assessment.verdict is Verdict.GO:
        return READY
    if ready_for_decision(report.facts, assessment, now, tz):
        return DUE
    if assessment.verdict is Verdict.STALLED:
        return STALLED
    return NOT_READY


def digest_line(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """One pilot on one line, led by its verdict (or its decision):

    `*P-3* Support drafting — 🟢 Go · 9 min, 35.7% better than 14 min (go at ≤ 9.8 min) ·
    guardrails 3/3 within · 💰 USD 244,000 a month · <@U0SPO> to decide by 15 Dec (in 29
    days)`.
    A pilot waiting on a decision names the sponsor who must take it; the others name the
    owner and the first thing they need.
    """
    facts, assessment = report.facts, report.assessment
    where = section_of(report, now, tz)
    lead = f"*{facts.key}* {pilot_name(facts, NAME_LIMIT)} — {standing(report)}"
    if where == DECIDED and facts.latest_decision is not None:
        return f"{lead} · {decided_by_line(facts.latest_decision, tz, local_date(now, tz))}"
    parts = [_metric_short(report)]
    if len(facts.recent_values) > 1:
        parts[0] = f"{sparkline(facts.recent_values)} {parts[0]}"
    views = rail_views(report)
    rails = digest_summary(views)
    if rails:
        parts.append(rails)
    if where in DECIDING:
        net = assessment.monthly_net_value
        if net is not None and assessment.verdict is Verdict.GO:
            parts.append(f"💰 {money(net, facts.currency)} a month" if net > 0 else "no net value")
        who = f"{mention(facts.sponsor)} to decide" if facts.sponsor else "no sponsor to decide"
        if facts.decide_by is not None:
            when = due_words(facts.decide_by, now, tz)
            who += f" {when}" if when.startswith("by ") else f", {when}"
        parts.append(who)
    else:
        parts.append(mention(facts.owner) if facts.owner else "no owner")
    # The line already shows a missing owner, a reading that misses the threshold and the
    # guardrails that do not hold.
    top = [
        check.gap
        for check in assessment.checks
        if not check.passed and check.gap and check.id not in _SHOWN_CHECKS
    ]
    others = len(assessment.gaps) - summarised(views) - (1 if top else 0)
    more = f" (+{others} more)" if others > 0 else ""
    if top:
        parts.append(headline(top[0], 72) + more)
    elif rails and more:
        parts[parts.index(rails)] += more
    return f"{lead} · {' · '.join(parts)}"


_SHOWN_CHECKS = (CheckId.OWNER, CheckId.THRESHOLD_CLEARED, CheckId.GUARDRAIL)


def _metric_short(report: PilotReport) -> str:
    """`9 min, 35.7% better than 14 min (go at ≤ 9.8 min)`: a unit with every number."""
    facts = report.facts
    reading, baseline, threshold = facts.latest_reading, facts.baseline, facts.threshold
    if reading is None and baseline is None and threshold is None:
        return "no metric yet"
    text = _quantity(reading.value, facts.unit) if reading else "no reading"
    if baseline is None:
        text += ", no baseline"
    elif reading is not None and (
        change := change_against_baseline(baseline.value, reading.value, facts.better)
    ):
        joint = "from" if change == "no change" else "than"
        text += f", {change} {joint} {_quantity(baseline.value, facts.unit)}"
    else:
        text += f", baseline {_quantity(baseline.value, facts.unit)}"
    if threshold is None:
        return f"{text} (no threshold)"
    bound = {Better.LOWER: f"≤{NBSP}", Better.HIGHER: f"≥{NBSP}", None: ""}[facts.better]
    return f"{text} (go at {bound}{_quantity(threshold, facts.unit)})"


def _quantity(value: float, unit: str | None) -> str:
    """`9.8 min` whose number and unit no line wrap separates."""
    return clip_mrkdwn(format_quantity(value, unit), 30).replace(" ", NBSP, 1)


def value_waiting(
    reports: Sequence[PilotReport], now: datetime, tz: ZoneInfo
) -> tuple[dict[str, float], int]:
    """The rules' net value a month waiting on decisions, per currency, and how many pilots
    with unit economics it comes from."""
    pairs = [(report.facts, report.assessment) for report in reports]
    counted = sum(
        1
        for facts, assessment in pairs
        if assessment.monthly_net_value is not None
        and ready_for_decision(facts, assessment, now, tz)
    )
    return value_waiting_on_decisions(pairs, now, tz), counted


def portfolio_summary(
    reports: Sequence[PilotReport], now: datetime, tz: ZoneInfo, *, waiting: str
) -> str:
    """How many pilots and their verdicts, then the money `waiting` on decisions, if any."""
    lines = [f"*{count_noun(len(reports), 'pilot')}*: {verdict_counts(reports)}"]
    totals, counted = value_waiting(reports, now, tz)
    if totals:
        lines.append(
            f"💰 *{money_totals(totals)} a month* {waiting} "
            f"({count_noun(counted, 'pilot')} at full scale)"
        )
    return "\n".join(lines)
