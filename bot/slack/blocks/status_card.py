"""The status card of one pilot: what `/pilot status` answers and what a DM links to."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.formatting import format_number
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import (
    MAX_CONTEXT_ELEMENTS,
    MAX_MODAL_TITLE,
    Blocks,
    actions,
    button,
    clip_mrkdwn,
    context,
    count_noun,
    decide_by_line,
    escape,
    fields_section,
    header,
    mention,
    metric_line,
    pack_lines,
    pilot_title,
    pilot_value,
    plain,
    section,
    verdict_text,
)
from bot.slack.ids import Action

STAGE_WORDS = {
    Stage.PROPOSED: "proposed",
    Stage.PILOTING: "piloting",
    Stage.EXTENDED: "extended",
    Stage.APPROVED: "approved (decided go)",
    Stage.STOPPED: "stopped (decided no-go)",
}


def status_card(report: PilotReport, now: datetime, tz: ZoneInfo, *, can_decide: bool) -> Blocks:
    facts, assessment = report.facts, report.assessment
    blocks: Blocks = [
        header(pilot_title(facts)),
        fields_section(
            [
                f"*Verdict*\n{verdict_text(assessment.verdict)}",
                f"*Stage*\n{STAGE_WORDS[report.stage]}",
                f"*Owner*\n{mention(facts.owner)}",
                f"*Sponsor*\n{mention(facts.sponsor)}",
            ]
        ),
        section(_numbers(report, now, tz)),
    ]
    blocks.extend(gap_sections(report))
    if report.warnings:
        shown = report.warnings[:MAX_CONTEXT_ELEMENTS]
        blocks.append(context(*(escape(warning) for warning in shown)))
    blocks.append(pilot_actions(report.key, can_decide=can_decide))
    return blocks


def _numbers(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    facts, assessment = report.facts, report.assessment
    lines = [metric_line(facts, assessment), decide_by_line(facts.decide_by, now, tz)]
    if assessment.monthly_net_value is not None:
        net = assessment.monthly_net_value
        word = "net value" if net >= 0 else "net loss"
        lines.append(f"at full scale: {word} of {format_number(abs(net))} a month")
    if facts.workflow:
        lines.append(f"writes into {clip_mrkdwn(facts.workflow, 100)}")
    return "\n".join(lines)


def gap_sections(report: PilotReport) -> Blocks:
    """Every open gap, bulleted; the list spills into a second section rather than lose one."""
    gaps = report.assessment.gaps
    if not gaps:
        return [section("*Every readiness check passes.*")]
    title = f"*{count_noun(len(gaps), 'open gap')}*"
    texts, _ = pack_lines([title, *(f"• {escape(gap)}" for gap in gaps)])
    return [section(text) for text in texts]


def pilot_actions(key: str, *, can_decide: bool) -> dict[str, Any]:
    value = pilot_value(key)
    elements = [
        button("Record a reading", Action.RECORD_READING, value, primary=True),
        button("Record baseline", Action.RECORD_BASELINE, value),
    ]
    if can_decide:
        elements.append(button("Decide", Action.DECIDE, value))
    return actions(*elements)


def status_text(report: PilotReport) -> str:
    """`P-3 Support drafting: Not ready (5 gaps)`: the notification fallback, escaped."""
    facts = report.facts
    gaps = len(report.assessment.gaps)
    text = f"{facts.key} {clip_mrkdwn(facts.name, 100)}: {report.assessment.verdict.label}"
    if gaps:
        text += f" ({count_noun(gaps, 'gap')})"
    return text


def status_reply(
    report: PilotReport, now: datetime, tz: ZoneInfo, viewer: str, lead: str = ""
) -> dict[str, Any]:
    """The status card as a message for `viewer`: Decide is offered to the owner and sponsor."""
    can_decide = viewer in {report.facts.owner, report.facts.sponsor}
    return {
        "blocks": status_card(report, now, tz, can_decide=can_decide),
        "text": lead + status_text(report),
    }


def status_modal(report: PilotReport, now: datetime, tz: ZoneInfo, viewer: str) -> dict[str, Any]:
    """The status card in a modal (Open, from the App Home or a reminder)."""
    return {
        "type": "modal",
        "title": plain(report.key, MAX_MODAL_TITLE),
        "close": plain("Close", MAX_MODAL_TITLE),
        "blocks": status_reply(report, now, tz, viewer)["blocks"],
    }
