"""The DM that tells an owner or subscriber a message could never be delivered, and the
snooze choices every owner's reminder offers. (The reminders themselves are worded in
bot.governance.direct_messages and built in bot.slack.blocks.asks.)
"""

from __future__ import annotations

import re
from typing import Any
from typing import Literal

from bot.governance.notices import Reason
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import section
from bot.slack.ids import Action

Message = dict[str, Any]

SNOOZES: tuple[tuple[Literal[1, 7], str, Action], ...] = (
    (1, "Snooze 1 day", Action.SNOOZE_DAY),
    (7, "Snooze 1 week", Action.SNOOZE_WEEK),
)
DIGEST_FORM = "/pilot digest #channel daily|weekly [mon…sun] [HH:MM]"

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{1,20}$")
_PILOT_KEY = re.compile(r"^P-[0-9]{1,9}$")


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
