"""The status card of one pilot: what `/pilot status` answers and what a DM links to."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.facts import DecisionRecord
from bot.governance.formatting import spoken_day
from bot.governance.locks import metric_to_agree
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.governance.vocabulary import Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_CONTEXT_ELEMENTS
from bot.slack.blocks.common import MAX_MODAL_TITLE
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import decide_by_line
from bot.slack.blocks.common import escape_keeping_mentions
from bot.slack.blocks.common import fields_section
from bot.slack.blocks.common import header
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_title
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import plain
from bot.slack.blocks.common import section
from bot.slack.blocks.common import verdict_text
from bot.slack.blocks.decided import DECISION_EMOJI
from bot.slack.blocks.decided import decided_headline
from bot.slack.blocks.decided import decision_in_force
from bot.slack.blocks.decided import is_final
from bot.slack.blocks.decided import pending_line
from bot.slack.blocks.decided import standing_text
from bot.slack.blocks.evidence import evidence_lines
from bot.slack.blocks.gaps import buttons_block
from bot.slack.blocks.gaps import fixing_buttons
from bot.slack.blocks.gaps import gap_lines
from bot.slack.blocks.gaps import gap_list
from bot.slack.blocks.words import net_value_words
from bot.slack.ids import Action

STAGE_WORDS = {
    Stage.PROPOSED: "proposed",
    Stage.PILOTING: "piloting",
    Stage.EXTENDED: "extended",
    Stage.APPROVED: "approved (decided go)",
    Stage.STOPPED: "stopped (decided no-go)",
}


def status_card(
    report: PilotReport,
    now: datetime,
    tz: ZoneInfo,
    *,
    can_decide: bool,
    complete: bool = False,
) -> Blocks:
    """The card; `complete` offers the "Complete the pilot" button (once its form is wired),
    and the gaps it closes then point at it instead of showing their commands."""
    facts = report.facts
    offered = card_buttons(report, can_decide=can_decide, complete=complete)
    blocks: Blocks = [
        header(pilot_title(facts)),
        fields_section(
            [*_standing_fields(report), f"*Owner*\n{mention(facts.owner)}",
             f"*Sponsor*\n{mention(facts.sponsor)}"]
        ),
    ]  # fmt: skip
    record = facts.latest_decision
    if record is not None and decision_in_force(report) is not None:
        blocks.append(context(_decision_record(record, tz, local_date(now, tz))))
    pending = pending_line(report)
    if pending:
        blocks.append(context(pending))
    blocks.append(section(_numbers(report, now, tz)))
    blocks.extend(evidence_sections(report, now, tz))
    blocks.extend(gap_sections(report, offered))
    notes = [
        *_amendment_notes(report, tz, local_date(now, tz)),
        *(escape_keeping_mentions(warning) for warning in report.warnings),
    ]
    if notes:
        blocks.append(context(*notes[:MAX_CONTEXT_ELEMENTS]))
    primary = _primary(report, offered)
    ordered = sorted(offered, key=lambda action: action is not primary)
    block = buttons_block(report.key, ordered, primary)
    if block is not None:
        blocks.append(block)
    value = pilot_value(report.key)
    blocks.append(
        actions(
            button("Chart", Action.CHART, value),
            button("History", Action.HISTORY, value),
            block_id="evidence",
        )
    )
    return blocks


def _standing_fields(report: PilotReport) -> list[str]:
    decision = decision_in_force(report)
    verdict = verdict_text(report.assessment.verdict)
    if decision is None:
        return [f"*Verdict*\n{verdict}", f"*Stage*\n{STAGE_WORDS[report.stage]}"]
    label = "Verdict now" if decision is Decision.EXTEND else "Verdict when decided"
    return [f"*Decision*\n{decided_headline(report)}", f"*{label}*\n{verdict}"]


def _decision_record(record: DecisionRecord, tz: ZoneInfo, today: date) -> str:
    """`⛔ no-go 15 Nov by <@U0SPO>: numbers are in`."""
    day = spoken_day(record.at.astimezone(tz).date(), today)
    line = (
        f"{DECISION_EMOJI[record.decision]} {record.decision.value} {day} by {mention(record.by)}"
    )
    if record.approved_by:
        line += f", approved by {mention(record.approved_by)}"
    rationale = clip_mrkdwn(" ".join(record.rationale.split()), 300)
    return f"{line}: {rationale}" if rationale else line


def _amendment_notes(report: PilotReport, tz: ZoneInfo, today: date) -> list[str]:
    """`✏️ baseline amended 10 Nov by <@U0ANN>: re-measured on the full queue`."""
    notes = []
    for amendment in report.facts.amendments[-3:]:
        day = spoken_day(amendment.at.astimezone(tz).date(), today)
        what = (
            "late baseline accepted"
            if amendment.field == "baseline-accepted"
            else f"{clip_mrkdwn(amendment.field, 40)} amended"
        )
        reason = clip_mrkdwn(" ".join(amendment.reason.split()), 200)
        notes.append(f"✏️ {what} {day} by {mention(amendment.by)}: {reason}")
    return notes


def _numbers(report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    facts, assessment = report.facts, report.assessment
    lines = [metric_line(facts, assessment)]
    if not is_final(report):
        lines.append(decide_by_line(facts.decide_by, now, tz))
    if assessment.monthly_net_value is not None:
        lines.append(
            f"at full scale: {net_value_words(assessment.monthly_net_value, facts.currency)}"
        )
    if facts.workflow:
        lines.append(f"writes into {clip_mrkdwn(facts.workflow, 100)}")
    return "\n".join(lines)


def evidence_sections(report: PilotReport, now: datetime, tz: ZoneInfo) -> Blocks:
    """The guardrails, each against its limit, and the production-path checks that pass with
    the links that prove them; the failing ones are gaps, their links beside them."""
    texts, _ = pack_lines(evidence_lines(report, now, tz))
    return [section(text) for text in texts]


def gap_sections(report: PilotReport, offered: Collection[Action] = ()) -> Blocks:
    """Every open gap on a short line of its own; the list spills into a second section rather
    than lose one. A gap a button in `offered` closes names the button, not its command."""
    gaps = gap_lines(report)
    if not gaps:
        return [section("*Every readiness check passes.*")]
    count = count_noun(len(gaps), "open gap")
    title = f"*{count} when decided*" if is_final(report) else f"*{count}*"
    if is_final(report):
        offered = ()
    texts, _ = pack_lines([title, *gap_list(gaps, offered)])
    return [section(text) for text in texts]


def card_buttons(report: PilotReport, *, can_decide: bool, complete: bool = False) -> list[Action]:
    """The buttons that do the job: a reading while piloting, the baseline while it is
    missing, the form while a gap it closes is open, and Decide for those who may decide."""
    offered = []
    if not is_final(report):
        offered.extend(fixing_buttons(report, complete=complete))
        if Action.RECORD_READING not in offered:
            offered.append(Action.RECORD_READING)
    if can_decide:
        offered.append(Action.DECIDE)
    return offered


def _primary(report: PilotReport, offered: Collection[Action]) -> Action | None:
    assessment = report.assessment
    ready = assessment.verdict is Verdict.GO or assessment.decision_overdue
    if Action.DECIDE in offered and ready and not is_final(report):
        return Action.DECIDE
    # Nothing can be measured before the metric is agreed: the form that agrees it leads.
    agree_first: tuple[Action, ...] = (
        (Action.COMPLETE_PILOT,) if metric_to_agree(report.facts) else ()
    )
    for action in (*agree_first, Action.RECORD_BASELINE, Action.RECORD_READING,
                   Action.COMPLETE_PILOT):  # fmt: skip
        if action in offered:
            return action
    return None


def status_text(report: PilotReport) -> str:
    """`P-3 Support drafting: Not ready (5 gaps)`: the notification fallback, escaped."""
    facts = report.facts
    gaps = len(report.assessment.gaps)
    text = f"{facts.key} {clip_mrkdwn(facts.name, 100)}: {standing_text(report)}"
    if gaps and not is_final(report):
        text += f" ({count_noun(gaps, 'gap')})"
    return text


def status_reply(
    report: PilotReport,
    now: datetime,
    tz: ZoneInfo,
    viewer: str,
    lead: str = "",
    *,
    complete: bool = False,
) -> dict[str, Any]:
    """The status card as a message for `viewer`: Decide is offered to the owner and sponsor."""
    can_decide = viewer in {report.facts.owner, report.facts.sponsor}
    return {
        "blocks": status_card(report, now, tz, can_decide=can_decide, complete=complete),
        "text": lead + status_text(report),
    }


def status_modal(
    report: PilotReport,
    now: datetime,
    tz: ZoneInfo,
    viewer: str,
    *,
    complete: bool = False,
) -> dict[str, Any]:
    """The status card in a modal (Open, from the App Home or a reminder)."""
    return {
        "type": "modal",
        "title": plain(report.key, MAX_MODAL_TITLE),
        "close": plain("Close", MAX_MODAL_TITLE),
        "blocks": status_reply(report, now, tz, viewer, complete=complete)["blocks"],
    }
