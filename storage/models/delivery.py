"""What pilotgate sends on its own: digest subscriptions, the outbox, snoozes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from storage.models.base import USER_ID
from storage.models.base import Audited
from storage.models.base import Base
from storage.types import UTCDateTime


class DigestSubscription(Audited, Base):
    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    channel_id: Mapped[str] = mapped_column(String(32))
    frequency: Mapped[str] = mapped_column(String(8))
    # 0 = Monday ... 6 = Sunday; None for a daily digest.
    weekday: Mapped[int | None] = mapped_column(Integer)
    time_of_day: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    subscribed_by: Mapped[str] = mapped_column(USER_ID)
    subscribed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when Slack said the channel can never be posted to (archived, bot removed);
    # subscribing again clears it.
    paused_reason: Mapped[str | None] = mapped_column(String(64))


class NotificationStatus(StrEnum):
    """Where an outbox row stands: pending until a deliverer claims it (sending, on a lease),
    then sent, failed for good, cancelled because it no longer applies, or pending again."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Notification(Base):
    """The outbox: one row per (recipient, reason, subject, period), delivered at least once
    and, thanks to the unique key, recorded at most once."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("team_id", "recipient", "reason", "subject", "period"),
        Index("ix_notifications_status_due", "status", "not_before"),
        Index("ix_notifications_pilot", "pilot_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    recipient: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    # What the message is about as people read it (a pilot key, a channel, or "" for a
    # digest); part of the unique key, so it is never parsed back into a pilot.
    subject: Mapped[str] = mapped_column(String(32), default="")
    # The pilot it is about (None for a digest); its messages go when it does.
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    # Long enough for an occasion named by its instant (`decision-go:2027-01-26T09:00:00+00:00`).
    period: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    # A claimed row is being delivered until then; a crashed deliverer's claim runs out.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Snooze(Audited, Base):
    """An owner asked not to be nudged about a pilot until `until`."""

    __tablename__ = "snoozes"

    pilot_id: Mapped[int] = mapped_column(
        ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
