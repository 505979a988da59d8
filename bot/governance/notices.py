"""The vocabulary of what pilotgate sends on its own: reasons, and one due message.

The rules that decide when each reason is due live in bot/governance/reminders.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Reason(StrEnum):
    # Owner nudges (DM)
    BASELINE_MISSING = "baseline_missing"
    READING_DUE = "reading_due"
    DECIDE_BY_IN_7_DAYS = "decide_by_7d"
    DECIDE_BY_TODAY = "decide_by_today"
    RACI_NO_ACCOUNTABLE = "raci_no_accountable"
    # Sponsor escalations (DM)
    READINGS_MISSED = "readings_missed"
    DECISION_OVERDUE = "decision_overdue"
    # Channel digest
    DIGEST = "digest"
    # To the owner or subscriber when a message could never be delivered
    DELIVERY_FAILED = "delivery_failed"

    @property
    def to_sponsor(self) -> bool:
        return self in (Reason.READINGS_MISSED, Reason.DECISION_OVERDUE)

    @property
    def polite(self) -> bool:
        """DMs wait for the recipient's working hours; digests go at their own set time."""
        return self is not Reason.DIGEST


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
