"""The DMs pilotgate sends on its own: nudges to owners, escalations to sponsors, and the
notice that a message could never be delivered.

Every DM opens with one plain sentence saying why it came, shows the pilot's verdict and
metric line, and carries the button that does the job.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from typing import Literal
from zoneinfo import ZoneInfo

from bot.governance.cadence import days_until
from bot.governance.cadence import local_date
from bot.governance.formatting import format_day
from bot.governance.formatting import format_number
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import decide_by_line
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import section
from bot.slack.blocks.common import verdict_text
from bot.slack.blocks.decision import decision_buttons
from bot.slack.blocks.guardrails import rail_lines
from bot.slack.blocks.guardrails import rail_views
from bot.slack.blocks.guardrails import rails_heading
from bot.slack.ids import Action
from bot.slack.metadata import SnoozeRef

Message = dict[str, Any]

# A DM about one pilot; the digest and the failure notice have builders of their own.
NUDGE_REASONS = frozenset(Reason) - {Reason.DIGEST, Reason.DELIVERY_FAILED}
SNOOZES: tuple[tuple[Literal[1, 7], str, Action], ...] = (
    (1, "Snooze 1 day", Action.SNOOZE_DAY),
    (7, "Snooze 1 week", Action.SNOOZE_WEEK),
)
DIGEST_FORM = "/pilot digest #channel daily|weekly [mon…sun] [HH:MM]"

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{1,20}$")
_PILOT_KEY = re.compile(r"^P-[0-9]{1,9}$")


def nudge_message(due: Due, report: PilotReport, now: datetime, tz: ZoneInfo) -> Message:
    """The DM for one due nudge or escalation: `{"text": ..., "blocks": [...]}`."""
    if due.reason not in NUDGE_REASONS:
        raise ValueError(f"{due.reason.value} is not a DM about one pilot")
    facts, assessment = report.facts, report.assessment
    summary = [
        f"*{facts.key}* {pilot_name(facts)} · {verdict_text(assessment.verdict)}",
        metric_line(facts, assessment),
        decide_by_line(facts.decide_by, now, tz),
    ]
    views = rail_views(report)
    if views:
        summary.extend([rails_heading(views), *rail_lines(views, now, tz)])
    blocks: Blocks = [section(_why(due, report, now, tz)), section("\n".join(summary))]
    gaps = assessment.gaps
    if gaps and not due.reason.to_sponsor:
        blocks.append(context(f"{count_noun(len(gaps), 'open gap')}; first: {headline(gaps[0])}"))
    blocks.append(actions(*_buttons(due.reason, facts.key, facts.name)))
    blocks.append(context(_because(due, report)))
    return {"text": _summary_text(due.reason, report, now, tz), "blocks": blocks}


def _why(due: Due, report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """One plain sentence per reason, escaped; a mention of the owner is the only markup."""
    facts = report.facts
    pilot = f"{facts.key} {pilot_name(facts)}"
    metric = f"*{clip_mrkdwn(facts.metric_name, 100)}*" if facts.metric_name else "the metric"
    last = (
        f"last one {format_day(local_date(facts.latest_reading.at, tz))}"
        if facts.latest_reading is not None
        else "none recorded yet"
    )
    cadence = f"{facts.cadence.value} cadence; {last}"
    reason = due.reason
    if reason is Reason.READING_DUE:
        return f"A reading of {metric} for {pilot} is due ({cadence})."
    if reason is Reason.BASELINE_MISSING:
        return (
            f"{pilot} has no baseline yet: the before-state has to be measured before the "
            "pilot changes the work."
        )
    if reason in (Reason.DECIDE_BY_IN_7_DAYS, Reason.DECIDE_BY_TODAY, Reason.DECISION_OVERDUE):
        return _decide_by_sentence(reason, pilot, report, now, tz)
    if reason is Reason.RACI_NO_ACCOUNTABLE:
        areas = _areas_without_accountable(report)
        if not areas:
            return f"The RACI of {pilot} needs exactly one Accountable person in every area."
        return (
            f"{pilot} has no Accountable person for {_and(areas)}: each area needs exactly "
            "one, so someone answers when it breaks."
        )
    who = f"{mention(facts.owner)}, the owner," if facts.owner else "Nobody (it has no owner)"
    return f"{who} has missed two due readings of {metric} for {pilot} ({cadence})."


def _decide_by_sentence(
    reason: Reason, pilot: str, report: PilotReport, now: datetime, tz: ZoneInfo
) -> str:
    verdict = verdict_text(report.assessment.verdict)
    day = report.facts.decide_by
    if day is None:
        return f"{pilot} no longer has a decide-by date; its verdict is {verdict}."
    days = days_until(day, now, tz)
    if days < 0:
        ago = "yesterday" if days == -1 else f"{format_number(-days)} days ago"
        return (
            f"The decide-by date of {pilot}, {format_day(day)}, passed {ago} without a go/no-go "
            f"decision; its verdict is {verdict}."
        )
    if days == 0:
        return (
            f"Today, {format_day(day)}, is the decide-by date of {pilot}; its verdict is {verdict}."
        )
    when = "tomorrow" if days == 1 else f"in {format_number(days)} days"
    return (
        f"{pilot} is due for its go/no-go decision on {format_day(day)}, {when}; its verdict "
        f"today is {verdict}."
    )


def _areas_without_accountable(report: PilotReport) -> list[str]:
    raci = report.facts.raci
    return [area.value for area in RaciArea if not raci.get(area, {}).get(RaciRole.ACCOUNTABLE)]


def _and(words: list[str]) -> str:
    """`incidents`, `incidents and changes`, `incidents, changes and reporting`."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _buttons(reason: Reason, key: str, name: str) -> list[dict[str, Any]]:
    value = pilot_value(key)
    elements: list[dict[str, Any]] = []
    if reason is Reason.READING_DUE:
        elements.append(button("Record a reading", Action.RECORD_READING, value, primary=True))
    elif reason is Reason.BASELINE_MISSING:
        elements.append(button("Record baseline", Action.RECORD_BASELINE, value, primary=True))
    elif reason is Reason.DECISION_OVERDUE:
        elements.extend(decision_buttons(key, name))
    primary = reason not in (Reason.READING_DUE, Reason.BASELINE_MISSING, Reason.DECISION_OVERDUE)
    elements.append(button("Open the pilot", Action.OPEN_PILOT, value, primary=primary))
    if not reason.to_sponsor:
        for days, label, action_id in SNOOZES:
            elements.append(button(label, action_id, SnoozeRef(key=key, days=days).dump()))
    return elements


def _because(due: Due, report: PilotReport) -> str:
    facts = report.facts
    if due.recipient == facts.owner:
        role = "as its owner"
    elif due.recipient == facts.sponsor:
        role = "as its sponsor"
    else:
        role = "for your role in it"
    tail = "; snooze to hear again later." if not due.reason.to_sponsor else "."
    return f"You get this about {facts.key} {role}{tail}"


def _summary_text(reason: Reason, report: PilotReport, now: datetime, tz: ZoneInfo) -> str:
    """The one-line notification fallback: `P-3 Support drafting (Go): no baseline yet`."""
    facts = report.facts
    metric = clip_mrkdwn(facts.metric_name, 60) if facts.metric_name else "the metric"
    what = {
        Reason.READING_DUE: f"a reading of {metric} is due",
        Reason.BASELINE_MISSING: "no baseline yet",
        Reason.DECIDE_BY_IN_7_DAYS: decide_by_line(facts.decide_by, now, tz),
        Reason.DECIDE_BY_TODAY: decide_by_line(facts.decide_by, now, tz),
        Reason.RACI_NO_ACCOUNTABLE: "a RACI area has no Accountable",
        Reason.READINGS_MISSED: "two due readings missed",
        Reason.DECISION_OVERDUE: "the go/no-go decision is overdue",
    }[reason]
    label = report.assessment.verdict.label
    return f"{facts.key} {clip_mrkdwn(facts.name, 100)} ({label}): {what}"


# ---- a message that could never be delivered ----------------------------------------------

_WHAT = {
    Reason.BASELINE_MISSING: "the reminder to record a baseline",
    Reason.READING_DUE: "the reminder that a reading is due",
    Reason.DECIDE_BY_IN_7_DAYS: "the reminder of the decide-by date",
    Reason.DECIDE_BY_TODAY: "the reminder of the decide-by date",
    Reason.RACI_NO_ACCOUNTABLE: "the reminder to name an Accountable",
    Reason.READINGS_MISSED: "the note about missed readings",
    Reason.DECISION_OVERDUE: "the note that the decision is overdue",
    Reason.DIGEST: "the pilot digest",
    Reason.DELIVERY_FAILED: "a delivery notice",
}
_CHANNEL_CAUSES = {
    "is_archived": "the channel is archived",
    "channel_not_found": "pilotgate cannot see the channel (it is private or was deleted)",
    "not_in_channel": "pilotgate is not a member of the channel",
    "restricted_action": "the channel does not let pilotgate post",
    "restricted_action_read_only_channel": "the channel is read-only",
    "restricted_action_thread_only_channel": "the channel only takes replies in threads",
}
_PERSON_CAUSES = {
    "user_not_found": "Slack no longer knows that person",
    "user_disabled": "their account is deactivated",
    "account_inactive": "the account is deactivated",
    "user_not_visible": "pilotgate may not message that person",
    "cannot_dm_bot": "that account is a bot",
}
_APP_CAUSES = {
    "not_authed": "pilotgate's access to Slack is missing",
    "invalid_auth": "pilotgate's access to Slack is no longer valid",
    "token_revoked": "pilotgate's access to Slack was revoked",
    "missing_scope": "pilotgate lacks a Slack permission it needs",
    "not_allowed_token_type": "pilotgate's access to Slack is of the wrong kind",
}


def failure_notice(reason: Reason, subject: str, recipient: str, error: str) -> Message:
    """Tells an owner or subscriber that a message could never be delivered, and the fix.

    `reason` is the reason of the message that failed, `subject` its pilot key (empty for a
    digest), `recipient` the channel or person it was for, `error` Slack's error code.
    """
    where = _where(recipient)
    what = _WHAT[reason]
    about = f" about {escape(subject)}" if _PILOT_KEY.match(subject) else ""
    cause = (
        _APP_CAUSES.get(error)
        or (_CHANNEL_CAUSES.get(error) if reason is Reason.DIGEST else _PERSON_CAUSES.get(error))
        or "Slack refused it every time pilotgate tried"
    )
    blocks: Blocks = [
        section(f"⚠️ pilotgate could not deliver {what}{about} to {where}: {cause}."),
        section(f"*To fix it:* {_fix(reason, subject, where, error)}"),
        context(f"Slack answered {code(error[:100] or 'nothing')}; pilotgate will not try again."),
    ]
    return {"text": f"Could not deliver {what}{about} to {where}", "blocks": blocks}


def _where(recipient: str) -> str:
    if _CHANNEL_ID.match(recipient):
        return f"<#{recipient}>"
    return mention(recipient) if recipient else "its recipient"


def _fix(reason: Reason, subject: str, where: str, error: str) -> str:
    if error in _APP_CAUSES:
        return "ask a workspace admin to reinstall pilotgate, which grants its access again."
    if reason is Reason.DIGEST:
        again = f"subscribe it again with {code(DIGEST_FORM)}"
        if error == "is_archived":
            return f"unarchive {where} and {again}, or subscribe another channel the same way."
        if error in ("not_in_channel", "channel_not_found"):
            return f"invite pilotgate to {where} with {code('/invite @pilotgate')}, then {again}."
        return f"check that pilotgate may post in {where}, then {again}."
    role = "sponsor" if reason.to_sponsor else "owner"
    key = subject if _PILOT_KEY.match(subject) else "<key>"
    form = f"/pilot set {key} {role}:@name"
    if error in _PERSON_CAUSES:
        return f"if {where} has left, name who takes over as {role} with {code(form)}."
    return (
        f"check that {where} can receive messages from pilotgate, or name another {role} "
        f"with {code(form)}."
    )
