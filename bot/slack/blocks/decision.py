"""The decision-due DM: the one message that asks a sponsor for go, no-go or extend.

It reads top to bottom as the sponsor needs it on a phone: what is asked and by when, the
verdict, the go-live metric against its baseline and threshold, the money a month at
stake, the open gaps (one short line each) and three buttons that open the Decide form
with the choice made. The same case (verdict, metric, money, gaps) backs the override
approval DM in `outcome`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.cadence import days_until
from bot.governance.cadence import local_date
from bot.governance.checks import CheckId
from bot.governance.formatting import change_against_baseline
from bot.governance.formatting import format_number
from bot.governance.formatting import format_quantity
from bot.governance.formatting import spoken_day
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_SECTION_TEXT
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import plain
from bot.slack.blocks.common import section
from bot.slack.blocks.common import truncate
from bot.slack.blocks.common import verdict_text
from bot.slack.blocks.decided import pending_line
from bot.slack.blocks.evidence import evidence_lines
from bot.slack.blocks.gaps import gap_lines
from bot.slack.blocks.words import NBSP
from bot.slack.blocks.words import key_text
from bot.slack.blocks.words import money
from bot.slack.ids import Action
from bot.slack.metadata import DecideRef

Message = dict[str, Any]

DECISION_BUTTONS = (
    (Decision.GO, "Go", Action.DECIDE_GO),
    (Decision.NO_GO, "No-go", Action.DECIDE_NO_GO),
    (Decision.EXTEND, "Extend", Action.DECIDE_EXTEND),
)
# The name in the first line, which is also the notification: short enough to read at once.
NAME_LIMIT = 40


class Ask(StrEnum):
    """When the decision is asked for: the moment it turns Go, a week before the decide-by
    date, on it, and after it."""

    TURNED_GO = "turned_go"
    IN_7_DAYS = "in_7_days"
    TODAY = "today"
    OVERDUE = "overdue"


def decision_due_message(
    report: PilotReport,
    ask: Ask,
    now: datetime,
    tz: ZoneInfo,
    recipient: str | None = None,
) -> Message:
    """The DM for `recipient` (the sponsor, or the owner when there is none)."""
    facts = report.facts
    first = ask_line(report, ask, now, tz)
    # On the phone the key never wraps at its hyphen; the notification keeps the plain key,
    # which is what people search for.
    shown = ask_line(report, ask, now, tz, key=key_text(facts.key))
    blocks: Blocks = [
        section(f"*{shown}*\n{_occasion(report, ask, now, tz)}"),
        section("\n".join(case_lines(report))),
    ]
    # What the go rests on besides the metric: the guardrails hold (or which does not), and
    # the proof of the checks that pass, one tap away.
    evidence, _ = pack_lines(evidence_lines(report, now, tz, only_linked=True))
    blocks.extend(section(text) for text in evidence)
    sums = money_sums(report)
    if sums:
        blocks.append(context(sums))
    if report.assessment.gaps or report.assessment.verdict is not Verdict.GO:
        blocks.extend(gap_blocks(report, guardrails_above=bool(facts.guardrails)))
    notes = []
    if report.assessment.verdict is not Verdict.GO:
        notes.append(
            "A go while the verdict is not Go is an override: a second person approves it "
            "before it takes effect."
        )
    pending = pending_line(report)
    if pending:
        notes.append(pending)
    if notes:
        blocks.append(context(*notes))
    blocks.append(actions(*decision_buttons(facts.key, facts.name)))
    blocks.append(context(_because(report, recipient)))
    return {"text": first, "blocks": blocks}


def ask_line(
    report: PilotReport, ask: Ask, now: datetime, tz: ZoneInfo, key: str | None = None
) -> str:
    """`Decision due: go, no-go or extend P-3 Support drafting by 15 Dec`, escaped; `key` is
    how the key is written (the pilot's key as it is by default)."""
    facts = report.facts
    pilot = f"{key or facts.key} {clip_mrkdwn(facts.name, NAME_LIMIT)}"
    day = facts.decide_by
    if day is None:
        return f"Decision due: go, no-go or extend {pilot}"
    when = spoken_day(day, local_date(now, tz))
    if ask is Ask.OVERDUE or days_until(day, now, tz) < 0:
        return f"Decision overdue: go, no-go or extend {pilot}, due {when}"
    if days_until(day, now, tz) == 0:
        return f"Decision due today: go, no-go or extend {pilot}"
    return f"Decision due: go, no-go or extend {pilot} by {when}"


def _occasion(report: PilotReport, ask: Ask, now: datetime, tz: ZoneInfo) -> str:
    """The second line: why the question comes now."""
    day = report.facts.decide_by
    days = days_until(day, now, tz) if day is not None else None
    if ask is Ask.TURNED_GO:
        if days is not None and days > 0:
            return f"It has just turned Go, {format_number(days)} days before its decide-by date."
        return "It has just turned Go."
    if days is None:
        return "It has no decide-by date; decide when the numbers are in."
    if days < 0:
        late = "yesterday" if days == -1 else f"{format_number(-days)} days ago"
        return f"⚠️ The decide-by date passed {late}; the pilot waits on your decision."
    if days == 0:
        return "Today is its decide-by date."
    return f"Its decide-by date is {_in_days(days)}."


def _in_days(days: int) -> str:
    return "tomorrow" if days == 1 else f"in {format_number(days)} days"


def case_lines(report: PilotReport) -> list[str]:
    """The verdict, the metric against its baseline and threshold, and the money at stake."""
    return [verdict_line(report), decision_metric_line(report), money_line(report)]


def verdict_line(report: PilotReport) -> str:
    """`🟢 *Go*: every readiness check passes`, with the reason for every other verdict."""
    assessment = report.assessment
    gaps = len(assessment.gaps)
    verdict = assessment.verdict
    emoji, label = verdict_text(verdict).split(" ", 1)
    if verdict is Verdict.GO:
        why = "every readiness check passes and the latest reading clears the threshold"
    elif verdict is Verdict.NO_GO:
        why = (
            "the decide-by date passed and "
            + {
                False: "the latest reading does not clear the threshold",
                True: "a guardrail is outside its limit",
                None: "there is no reading to judge",
            }[assessment.clears]
        )
    elif verdict is Verdict.STALLED:
        why = "no reading or decision for two cadence periods"
    else:
        why = f"{count_noun(gaps, 'gap')} still open"
    return f"{emoji} *{label}*: {why}"


def decision_metric_line(report: PilotReport) -> str:
    """`*handle time* 9 min now, 35.7% better than the 14 min baseline · go at ≤ 9.8 min ✓`."""
    facts, assessment = report.facts, report.assessment
    reading, baseline, threshold = facts.latest_reading, facts.baseline, facts.threshold
    if facts.metric_name is None or reading is None or threshold is None:
        return metric_line(facts, assessment)
    name = f"*{clip_mrkdwn(facts.metric_name, 60)}*"
    now_text = f"{_quantity(reading.value, facts.unit)} now"
    change = (
        change_against_baseline(baseline.value, reading.value, facts.better) if baseline else None
    )
    if baseline is None:
        now_text += ", no baseline"
    elif change is not None:
        joint = "from" if change == "no change" else "than"
        now_text += f", {change} {joint} the {_quantity(baseline.value, facts.unit)} baseline"
    bound = {Better.LOWER: f"≤{NBSP}", Better.HIGHER: f"≥{NBSP}", None: ""}[facts.better]
    mark = {True: " ✓", False: " ✗", None: ""}[assessment.clears]
    return f"{name} {now_text} · go at {bound}{_quantity(threshold, facts.unit)}{mark}"


def _quantity(value: float, unit: str | None) -> str:
    """`9.8 min` whose number and unit no line wrap separates."""
    return clip_mrkdwn(format_quantity(value, unit), 40).replace(" ", NBSP, 1)


def money_line(report: PilotReport) -> str:
    """`💰 *USD 244,000 a month* at stake at full scale`, a loss, or break-even."""
    facts = report.facts
    net = report.assessment.monthly_net_value
    if net is None:
        return "💰 Money at stake unknown: no unit economics at full scale yet"
    if abs(net) < 0.005:
        return "⚖️ *Break-even* at full scale: a unit costs what it returns"
    if net < 0:
        return f"💸 *A loss of {money(-net, facts.currency)} a month* at full scale"
    return f"💰 *{money(net, facts.currency)} a month* at stake at full scale"


def money_sums(report: PilotReport) -> str:
    """How the money a month adds up: `USD 6.50 value less USD 0.40 cost a unit, 40,000 units
    a month`; empty without unit economics."""
    facts = report.facts
    cost, value, volume = facts.cost_per_unit, facts.value_per_unit, facts.volume
    if cost is None or value is None or volume is None:
        return ""
    return (
        f"{money(value, facts.currency)} value less {money(cost, facts.currency)} cost a unit, "
        f"{format_number(volume)} units a month"
    )


def gap_blocks(report: PilotReport, title: str = "", guardrails_above: bool = False) -> Blocks:
    """The open gaps, a short line each (the sponsor decides; the commands are the owner's),
    or that every check passes. With `guardrails_above`, the guardrails that do not hold are
    counted in one line, not said a second time."""
    lines = gap_lines(report)
    if not lines:
        return [section("✅ *Every readiness check passes.*")]
    heading = title or f"*{count_noun(len(lines), 'open gap')}*"
    shown = [line for line in lines if not (guardrails_above and line.check is CheckId.GUARDRAIL)]
    bullets = [f"• {line.with_evidence}" for line in shown]
    if len(shown) < len(lines):
        held = count_noun(len(lines) - len(shown), "guardrail")
        bullets.append(f"• {held} not holding, shown above")
    texts, _ = pack_lines([heading, *bullets], MAX_SECTION_TEXT)
    return [section(text) for text in texts]


def decision_buttons(key: str, name: str) -> list[dict[str, Any]]:
    """Go (primary), No-go (asks to confirm first) and Extend; each opens the Decide form
    with that choice made, where the reason (and for Extend the new date) is asked. `name`
    is the pilot's name as typed."""
    elements = []
    for decision, label, action_id in DECISION_BUTTONS:
        element = button(
            label,
            action_id,
            DecideRef(key=key, decision=decision).dump(),
            primary=decision is Decision.GO,
        )
        if decision is Decision.NO_GO:
            element["style"] = "danger"
            element["confirm"] = _confirm_no_go(key, name)
        elements.append(element)
    return elements


def _confirm_no_go(key: str, name: str) -> dict[str, Any]:
    # Plain text: the name is shown as typed, never parsed for mentions.
    typed = truncate(name, NAME_LIMIT)
    return {
        "title": plain(f"Stop {key}?", 100),
        "text": plain(
            f"A no-go stops {typed}. The next step asks for your reason; a later decision can "
            "still supersede it.",
            300,
        ),
        "confirm": plain("Yes, no-go", 30),
        "deny": plain("Not now", 30),
        "style": "danger",
    }


def _because(report: PilotReport, recipient: str | None) -> str:
    facts = report.facts
    if recipient is not None and recipient == facts.sponsor:
        role = "as its sponsor"
    elif recipient is not None and recipient == facts.owner:
        role = "as its owner, because it has no sponsor" if not facts.sponsor else "as its owner"
    else:
        role = "because the decision is yours"
    return f"You get this about {facts.key} {role}. Each button asks for your reason first."
