"""A reminder DM as the rules word it (bot.governance.direct_messages): what is asked on its
first line, every other ask of the same pilot on a line of its own, the pilot's verdict and
metric line, and the buttons that do them. One DM per person per pilot per tick."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.direct_messages import DirectMessage
from bot.governance.notices import ButtonKind
from bot.governance.people import plain_people
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_SECTION_TEXT
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import context
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import section
from bot.slack.blocks.common import verdict_text
from bot.slack.blocks.decision import decision_buttons
from bot.slack.blocks.guardrails import rail_lines
from bot.slack.blocks.guardrails import rail_views
from bot.slack.blocks.guardrails import rails_heading
from bot.slack.blocks.nudges import SNOOZES
from bot.slack.ids import Action
from bot.slack.metadata import OverrideRef
from bot.slack.metadata import SnoozeRef

Message = dict[str, Any]
# Buttons that do a job; the owner's two snoozes come after them.
MAX_JOB_BUTTONS = 6


def asks_message(
    dm: DirectMessage,
    report: PilotReport,
    tz: ZoneInfo,
    now: datetime,
    *,
    guardrails: bool = True,
) -> Message:
    """The DM for `dm`; `tz` is the recipient's (the rules already wrote the dates). With
    `guardrails`, the pilot's verdict, its metric line and each guardrail against its limit,
    below the asks (a message that shows them already, like the decision DM these asks may
    follow, leaves them out)."""
    facts, assessment = report.facts, report.assessment
    first, *others = dm.asks
    lines = [f"*{clip_mrkdwn(first.line, 600)}*"]
    if first.detail:
        lines.append(f"> {clip_mrkdwn(first.detail, 400)}")
    if others:
        lines.append("Also:")
        for ask in others:
            lines.append(f"• {clip_mrkdwn(ask.line, 400)}")
            if ask.detail:
                lines.append(f"> {clip_mrkdwn(ask.detail, 300)}")
    texts, _ = pack_lines(lines, MAX_SECTION_TEXT)
    blocks: Blocks = [section(text) for text in texts]
    if guardrails:
        summary = [
            f"*{facts.key}* {pilot_name(facts)} · {verdict_text(assessment.verdict)}",
            metric_line(facts, assessment),
        ]
        views = rail_views(report)
        if views:
            summary.extend([rails_heading(views), *rail_lines(views, now, tz)])
        blocks.append(section("\n".join(summary)))
    blocks.append(actions(*_buttons(dm, report)))
    role = _role(report, dm.recipient)
    # Only the owner's reminders can be snoozed; an escalation to the sponsor cannot.
    tail = "; snooze to hear again later." if dm.recipient == facts.owner else "."
    blocks.append(context(f"You get this about {facts.key} {role}{tail}"))
    # The notification preview is mrkdwn too: a typed `<!channel>` stays text there as well.
    return {"text": clip_mrkdwn(plain_people(first.line), 300), "blocks": blocks}


def _buttons(dm: DirectMessage, report: PilotReport) -> list[dict[str, Any]]:
    facts = report.facts
    key, value = facts.key, pilot_value(facts.key)
    elements: list[dict[str, Any]] = []
    simple = {
        ButtonKind.RECORD_READING: ("Record a reading", Action.RECORD_READING),
        ButtonKind.RECORD_BASELINE: ("Record baseline", Action.RECORD_BASELINE),
        ButtonKind.COMPLETE_PILOT: ("Complete the pilot", Action.COMPLETE_PILOT),
        ButtonKind.OPEN_PILOT: ("Open the pilot", Action.OPEN_PILOT),
    }
    for kind in dm.buttons:
        if kind in simple:
            label, action_id = simple[kind]
            elements.append(button(label, action_id, value, primary=not elements))
        elif kind is ButtonKind.DECIDE:
            elements.extend(decision_buttons(key, facts.name))
        elif kind is ButtonKind.STOP_OR_EXTEND:
            # Stalled: the question is whether to stop or to give it more time.
            elements.extend(
                b for b in decision_buttons(key, facts.name) if b["action_id"] != Action.DECIDE_GO
            )
        elif kind is ButtonKind.APPROVE_OR_REJECT and facts.pending_decision is not None:
            ref = OverrideRef(key=key, decided_at=facts.pending_decision.at).dump()
            elements.append(button("Approve", Action.APPROVE_OVERRIDE, ref, primary=True))
            elements.append(button("Reject", Action.REJECT_OVERRIDE, ref))
    unique = list({element["action_id"]: element for element in elements}.values())
    jobs = unique[:MAX_JOB_BUTTONS]
    if dm.recipient == facts.owner:
        # The owner may quiet the pilot's reminders for a day or a week.
        jobs.extend(
            button(label, action_id, SnoozeRef(key=key, days=days).dump())
            for days, label, action_id in SNOOZES
        )
    return jobs


def _role(report: PilotReport, recipient: str) -> str:
    facts = report.facts
    if recipient == facts.owner:
        return "as its owner"
    if recipient == facts.sponsor:
        return "as its sponsor"
    return "for your role in it"
