"""What people are told once a decision is taken: the DM to the owner and sponsor, the
one-line channel announcement, and the DM asking a second person to approve a go that
went over open gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance.cadence import days_until
from bot.governance.cadence import local_date
from bot.governance.decided import decision_words
from bot.governance.facts import DecisionRecord
from bot.governance.formatting import spoken_day
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_SECTION_TEXT
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import section
from bot.slack.blocks.common import shorten_mrkdwn
from bot.slack.blocks.common import verdict_text
from bot.slack.blocks.decided import DECISION_EMOJI
from bot.slack.blocks.decision import case_lines
from bot.slack.blocks.decision import gap_blocks
from bot.slack.ids import Action
from bot.slack.metadata import OverrideRef

Message = dict[str, Any]

RATIONALE_LIMIT = 600
_NEXT = {
    Decision.GO: "Next: take it into production; readings and reminders carry on as it runs.",
    Decision.NO_GO: "Nothing more will be asked about it. A later decision can still revive it.",
    Decision.EXTEND: "Readings stay due on its cadence; the decision is asked again by then.",
}


def decision_outcome_message(
    report: PilotReport,
    recipient: str,
    now: datetime,
    tz: ZoneInfo,
    record: DecisionRecord | None = None,
) -> Message:
    """The DM telling the owner (and the sponsor who did not decide) what was decided.

    `record` defaults to the pilot's latest decision in force; a pending or rejected go over
    open gaps is told as such.
    """
    facts = report.facts
    record = record or facts.latest_decision
    if record is None:
        raise ValueError(f"{facts.key} has no decision to tell")
    pilot = f"{facts.key} {clip_mrkdwn(facts.name, 80)}"
    today = local_date(now, tz)
    first = _first_line(record, pilot, today)
    who = f"{mention(record.by)} decided {record.decision.value} on {_day(record, tz, today)}"
    if record.approved_by and record.status is DecisionStatus.APPROVED:
        who += f"; {mention(record.approved_by)} approved it"
    lines = [f"*{first}*", who]
    if record.decision is Decision.EXTEND and record.status.in_force:
        until = record.until or facts.decide_by
        if until is not None:
            when = days_until(until, now, tz)
            lines.append(f"New decide-by date: *{spoken_day(until, today)}* ({_in(when)})")
    lines.append(_verdict_at(report, record))
    blocks: Blocks = [section("\n".join(lines)), section(quote(record.rationale))]
    if record.status.in_force:
        blocks.append(context(_NEXT[record.decision]))
    blocks.append(actions(button("Open the pilot", Action.OPEN_PILOT, pilot_value(facts.key))))
    blocks.append(context(_because(report, recipient)))
    return {"text": first, "blocks": blocks}


def _first_line(record: DecisionRecord, pilot: str, today: date) -> str:
    if record.status is DecisionStatus.PENDING:
        return f"⏳ A go for {pilot} waits for a second approval"
    if record.status is DecisionStatus.REJECTED:
        return f"↩️ The go for {pilot} was not approved; it stays as it was"
    emoji = DECISION_EMOJI[record.decision]
    words = decision_words(record.decision, record.until, today)
    return f"{emoji} {pilot}: {words[0].lower()}{words[1:]}"


def _verdict_at(report: PilotReport, record: DecisionRecord) -> str:
    verdict = verdict_text(report.assessment.verdict)
    if record.decision is Decision.EXTEND:
        return f"Verdict now: {verdict}"
    return f"Verdict when decided: {verdict}"


def decision_announcement(
    report: PilotReport, tz: ZoneInfo, record: DecisionRecord | None = None
) -> Message:
    """One line for every channel subscribed to the digest:
    `⛔ *P-3* Support drafting stopped by <@U0SPO> on 15 Nov · 🟢 Go when decided: “…”`."""
    facts = report.facts
    record = record or facts.latest_decision
    if record is None:
        raise ValueError(f"{facts.key} has no decision to announce")
    # Told as it is taken: its own day is the reader's today.
    today = record.at.astimezone(tz).date()
    words = decision_words(record.decision, record.until or facts.decide_by, today)
    what = words[0].lower() + words[1:]
    by = mention(record.by)
    if record.approved_by:
        by += f" and {mention(record.approved_by)}"
    beside = (
        f"now {verdict_text(report.assessment.verdict)}"
        if record.decision is Decision.EXTEND
        else f"{verdict_text(report.assessment.verdict)} when decided"
    )
    line = (
        f"{DECISION_EMOJI[record.decision]} *{facts.key}* {clip_mrkdwn(facts.name, 80)} {what} "
        f"by {by} on {_day(record, tz, today)} · {beside}"
    )
    reason = " ".join(record.rationale.split())
    if reason:
        line += f": “{clip_mrkdwn(reason, 140)}”"
    text = f"{facts.key} {clip_mrkdwn(facts.name, 80)}: {what}"
    return {"text": text, "blocks": [section(line)]}


def override_approval_message(
    report: PilotReport,
    approver: str,
    now: datetime,
    tz: ZoneInfo,
    gaps: Sequence[str] | None = None,
) -> Message:
    """Asks `approver` to approve or reject the pending go of `report`.

    `gaps` are the gap sentences recorded when the go was made; by default the open gaps now.
    """
    facts = report.facts
    pending = facts.pending_decision
    if pending is None:
        raise ValueError(f"{facts.key} has no go waiting for approval")
    pilot = f"{facts.key} {clip_mrkdwn(facts.name, 80)}"
    first = f"Approve a go over open gaps? {pilot}"
    day = _day(pending, tz, local_date(now, tz))
    lines = [
        f"*{first}*",
        f"{mention(pending.by)} decided go on {day} while the verdict is "
        f"{verdict_text(report.assessment.verdict)}. It takes effect only if you approve.",
    ]
    blocks: Blocks = [section("\n".join(lines)), section(quote(pending.rationale))]
    blocks.append(section("\n".join(case_lines(report)[1:])))
    if gaps is None:
        blocks.extend(gap_blocks(report, _went_over(len(report.assessment.gaps))))
    else:
        texts, _ = pack_lines(
            [_went_over(len(gaps)), *(f"• {headline(gap)}" for gap in gaps)], MAX_SECTION_TEXT
        )
        blocks.extend(section(text) for text in texts)
    ref = OverrideRef(key=facts.key, decided_at=pending.at).dump()
    approve = button("Approve", Action.APPROVE_OVERRIDE, ref, primary=True)
    reject = button("Reject", Action.REJECT_OVERRIDE, ref)
    reject["style"] = "danger"
    blocks.append(actions(approve, reject))
    blocks.append(
        context(
            f"You get this {_role(report, approver)}; the one who decided cannot approve their "
            "own go. Reject leaves the pilot as it was."
        )
    )
    return {"text": first, "blocks": blocks}


def _went_over(count: int) -> str:
    return f"*The {count_noun(count, 'open gap')} this go goes over*"


def quote(text: str) -> str:
    """The person's words as a quote, escaped, on one paragraph."""
    flat = " ".join(text.split())
    if not flat:
        return "_No reason given._"
    return "> " + shorten_mrkdwn(clip_mrkdwn(flat, RATIONALE_LIMIT), RATIONALE_LIMIT)


def _day(record: DecisionRecord, tz: ZoneInfo, today: date) -> str:
    return spoken_day(record.at.astimezone(tz).date(), today)


def _in(days: int) -> str:
    if days > 1:
        return f"in {days} days"
    return {1: "tomorrow", 0: "today"}.get(days, "already passed")


def _role(report: PilotReport, person: str) -> str:
    facts = report.facts
    if person == facts.sponsor:
        return "as its sponsor"
    return "as the Accountable for reporting"


def _because(report: PilotReport, recipient: str) -> str:
    facts = report.facts
    role = (
        "its owner"
        if recipient == facts.owner
        else "its sponsor"
        if recipient == facts.sponsor
        else "someone it concerns"
    )
    return f"You get this about {facts.key} as {role}."
