"""The vocabulary of what pilotgate sends on its own: reasons, buttons, and one due message.

The rules that decide when each reason is due live in bot/governance/reminders.py (and
decision_loop.py, evaluations.py); how the reasons due together become one DM lives in
direct_messages.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from enum import StrEnum


class Reason(StrEnum):
    # Owner nudges (DM)
    BASELINE_MISSING = "baseline_missing"
    READING_DUE = "reading_due"
    DECIDE_BY_IN_7_DAYS = "decide_by_7d"
    DECIDE_BY_TODAY = "decide_by_today"
    RACI_NO_ACCOUNTABLE = "raci_no_accountable"
    # Sponsor escalations (DM); the owner gets the decision ones when there is no sponsor.
    READINGS_MISSED = "readings_missed"
    DECISION_DUE = "decision_due"
    DECISION_OVERDUE = "decision_overdue"
    STOP_OR_EXTEND = "stop_or_extend"
    AMENDMENT_TOLD = "amendment_told"
    # To the owner and the sponsor who did not take the decision.
    DECISION_RECORDED = "decision_recorded"
    # To the person who may approve a go decision taken over open gaps.
    OVERRIDE_WAITING = "override_waiting"
    # To who took that go, and the owner: the second person rejected it.
    OVERRIDE_REJECTED = "override_rejected"
    # To the owner and the Accountable of evaluation: a run fell below the bar, or far below
    # the run before it (bot.governance.evaluations).
    EVAL_REGRESSION = "eval_regression"
    # Channel digest
    DIGEST = "digest"
    # To the owner or subscriber when a message could never be delivered
    DELIVERY_FAILED = "delivery_failed"

    @property
    def to_sponsor(self) -> bool:
        """Addressed to the sponsor (to the owner only when the pilot has no sponsor)."""
        return self in _TO_SPONSOR

    @property
    def polite(self) -> bool:
        """DMs wait for the recipient's working hours; digests go at their own set time."""
        return self is not Reason.DIGEST

    @property
    def recurring(self) -> bool:
        """A reminder that comes again each period while its cause stays: a newer occasion
        overtakes an older one not yet sent, and the third and later say so. The others
        (news of a decision or an amendment, an approval to give) are each sent once."""
        return self in _RECURRING


_TO_SPONSOR = frozenset(
    {
        Reason.READINGS_MISSED,
        Reason.DECISION_DUE,
        Reason.DECISION_OVERDUE,
        Reason.STOP_OR_EXTEND,
        Reason.AMENDMENT_TOLD,
    }
)
_RECURRING = frozenset(
    {
        Reason.BASELINE_MISSING,
        Reason.READING_DUE,
        Reason.RACI_NO_ACCOUNTABLE,
        Reason.READINGS_MISSED,
        Reason.STOP_OR_EXTEND,
        Reason.DECIDE_BY_IN_7_DAYS,
        Reason.DECIDE_BY_TODAY,
        Reason.DECISION_DUE,
        Reason.DECISION_OVERDUE,
    }
)


class ButtonKind(StrEnum):
    """What a DM's button does; the Slack layer draws each kind as its buttons."""

    RECORD_READING = "record_reading"
    RECORD_BASELINE = "record_baseline"
    # Opens the one form with every field a gap can ask for.
    COMPLETE_PILOT = "complete_pilot"
    # Go / No-go / Extend.
    DECIDE = "decide"
    # No-go / Extend: the stop-or-extend question.
    STOP_OR_EXTEND = "stop_or_extend"
    # Approve / Reject an override.
    APPROVE_OR_REJECT = "approve_or_reject"
    OPEN_PILOT = "open_pilot"


@dataclass(frozen=True)
class Due:
    """One message that is due: to whom, why, and for which period.

    (recipient, reason, subject, period) is the outbox's unique key, so the same Due
    computed on every tick, by every replica, is recorded once and sent once. `period` is a
    stable string naming the occasion (the date a reading fell due, the decide-by date, ...).
    """

    recipient: str
    reason: Reason
    subject: str
    period: str
    # The instant the occasion arose; delivery may wait later for working hours or a snooze.
    since: datetime
    # When the unanswered run this occasion belongs to began (the last reading, decision or
    # registration; for one-off news, the news itself). The sends of the same reason to the
    # same recipient about the same pilot since then are what `direct_messages` counts as
    # "already sent". Not part of the message's identity.
    run_since: datetime | None = field(default=None, compare=False)
