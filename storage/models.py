"""The tables. Instants are UTC; users and channels are bare Slack ids."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

# Named constraints let Alembic alter them on PostgreSQL and in SQLite batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

USER_ID = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Audited:
    """A table whose every insert, update and delete lands in the audit log (storage.audit)."""


class Workspace(Audited, Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tokens_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last P-n handed out; bumped atomically so two registrations never share a key.
    pilot_counter: Mapped[int] = mapped_column(Integer, default=0)


class Pilot(Audited, Base):
    __tablename__ = "pilots"
    __table_args__ = (
        UniqueConstraint("team_id", "number"),
        Index("ix_pilots_team_owner", "team_id", "owner_id"),
        Index("ix_pilots_team_sponsor", "team_id", "sponsor_id"),
        Index("ix_pilots_decide_by", "decide_by"),
        Index("ix_pilots_next_check", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(USER_ID)
    owner_id: Mapped[str | None] = mapped_column(USER_ID)
    sponsor_id: Mapped[str | None] = mapped_column(USER_ID)
    workflow: Mapped[str | None] = mapped_column(String(200))
    decide_by: Mapped[date | None] = mapped_column(Date)
    cadence: Mapped[str] = mapped_column(String(16))
    metric_name: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200))
    better: Mapped[str | None] = mapped_column(String(8))
    threshold: Mapped[float | None] = mapped_column(Float)
    eval_bar: Mapped[float | None] = mapped_column(Float)
    monitoring: Mapped[str | None] = mapped_column(String(200))
    rollback: Mapped[bool | None] = mapped_column(Boolean)
    cost_per_unit: Mapped[float | None] = mapped_column(Float)
    value_per_unit: Mapped[float | None] = mapped_column(Float)
    volume: Mapped[float | None] = mapped_column(Float)
    # Evidence links (https URLs), each shown beside the check it supports.
    eval_report: Mapped[str | None] = mapped_column(String(500))
    dashboard: Mapped[str | None] = mapped_column(String(500))
    runbook: Mapped[str | None] = mapped_column(String(500))
    # ISO 4217: every amount of this pilot's money is shown with it.
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # When the scheduler should look at this pilot again (None: nothing can become due).
    # Every change sets it to "now", so a tick reads only the pilots that have work.
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Measurement.id"
    )
    raci: Mapped[list[RaciAssignment]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="RaciAssignment.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Decision.id"
    )
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Amendment.id"
    )
    guardrails: Mapped[list[Guardrail]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Guardrail.id"
    )
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Evaluation.id"
    )

    @property
    def key(self) -> str:
        return f"P-{self.number}"


class MeasurementKind(StrEnum):
    BASELINE = "baseline"  # the before-state, measured before the pilot changes the work
    READING = "reading"  # a dated value of the go-live metric while the pilot runs
    GUARDRAIL = "guardrail"  # a dated value of one guardrail, named in `metric`


class Measurement(Audited, Base):
    """A baseline (the before-state) or a reading of the go-live metric, or a reading of one
    of the pilot's guardrails (kind "guardrail", `metric` naming it)."""

    __tablename__ = "measurements"
    __table_args__ = (
        # One series per (kind, metric): the go-live metric's has no metric name.
        Index("ix_measurements_pilot_series_at", "pilot_id", "kind", "metric", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # a MeasurementKind
    # The guardrail's name for a guardrail reading; None for the go-live metric.
    metric: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(USER_ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="measurements")


class Guardrail(Audited, Base):
    """A metric that must stay on the right side of its limit while the pilot runs; its
    readings are measurements of kind "guardrail" carrying its name."""

    __tablename__ = "guardrails"
    __table_args__ = (UniqueConstraint("pilot_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    better: Mapped[str] = mapped_column(String(8))
    limit: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(200))
    # A verdict replayed as of an earlier instant leaves out guardrails added after it.
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="guardrails")


class Evaluation(Audited, Base):
    """One dated evaluation run: its score in percent on a set of `size` labelled examples.
    Never edited; the latest run is the one the evaluation check reads."""

    __tablename__ = "evaluations"
    __table_args__ = (Index("ix_evaluations_pilot_at", "pilot_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(USER_ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="evaluations")


class RaciAssignment(Audited, Base):
    __tablename__ = "raci_assignments"
    __table_args__ = (
        UniqueConstraint("pilot_id", "area", "role", "user_id"),
        Index("ix_raci_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(1))
    user_id: Mapped[str] = mapped_column(USER_ID)

    pilot: Mapped[Pilot] = relationship(back_populates="raci")


class Decision(Audited, Base):
    """A go / no-go / extend decision. Never edited: a newer one supersedes it."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_pilot_at", "pilot_id", "decided_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(8))
    decided_by: Mapped[str] = mapped_column(USER_ID)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rationale: Mapped[str] = mapped_column(Text)
    # recorded, or for a go over open gaps: pending until a second person approves or
    # rejects it.
    status: Mapped[str] = mapped_column(String(16), default="recorded")
    approved_by: Mapped[str | None] = mapped_column(USER_ID)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The decide-by date an extension set.
    until: Mapped[date | None] = mapped_column(Date)
    # What was still open when the decision was taken (an override goes over these).
    open_gaps: Mapped[list[str] | None] = mapped_column(JSON)

    pilot: Mapped[Pilot] = relationship(back_populates="decisions")


class Amendment(Audited, Base):
    """A locked fact changed after readings began, with its reason; or a late baseline the
    sponsor accepted (field "baseline-accepted"). Never edited."""

    __tablename__ = "amendments"
    __table_args__ = (Index("ix_amendments_pilot", "pilot_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(String(200))
    after: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    amended_by: Mapped[str] = mapped_column(USER_ID)
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="amendments")


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


class AuditEntry(Base):
    """Who changed what, from what to what, and when. Written by storage.audit, never edited."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_team_entity", "team_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Person(Base):
    """What Slack said about a person (users.info), cached: time zone and admin flag."""

    __tablename__ = "people"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Slack said the account is deactivated (users.info `deleted`, or a user_change event).
    deactivated: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProcessedEvent(Base):
    """Events API deliveries already handled; Slack retries, and a retry must be a no-op."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Snooze(Audited, Base):
    """An owner asked not to be nudged about a pilot until `until`."""

    __tablename__ = "snoozes"

    pilot_id: Mapped[int] = mapped_column(
        ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime())


class Installation(Base):
    """A workspace's (or, for an org-wide install, an enterprise's) bot token from the OAuth
    install. Empty strings stand for "none" so the unique key works on every database."""

    __tablename__ = "installations"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_token: Mapped[str] = mapped_column(String(200))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OAuthState(Base):
    """The `state` of an install in progress, good once and for a few minutes."""

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Audited, Base):
    """A workspace's key to the HTTP API. Only a keyed hash of the token is kept: the token
    itself is shown once, to the admin who made it, and cannot be read back."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash"), Index("ix_api_tokens_team", "team_id"))

    # Short and random, shown to people (`token list`, `token revoke <id>`, `token:<id>` in
    # the audit log); it says nothing about the token.
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(USER_ID)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IdempotentRequest(Base):
    """A POST sent with an Idempotency-Key, and the answer it got: a retry within a day gets
    that answer again and records nothing twice. The row is written in the transaction of the
    change itself, so a change and its key are kept together or not at all."""

    __tablename__ = "idempotent_requests"
    __table_args__ = (
        UniqueConstraint("token_id", "idempotency_key"),
        Index("ix_idempotent_requests_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[str] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the method, the path and the body: the same key with another request is an
    # error, not a replay.
    request_hash: Mapped[str] = mapped_column(String(64))
    # The answer, once given (None only if the process died between the change and storing
    # its answer).
    status: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ServerKey(Base):
    """A random key this installation made for itself, under which API tokens are hashed
    (HMAC-SHA256), so a stored hash is worth nothing outside it."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IntakeRequest(Base):
    """What Slack was told was received: one row per acknowledged command, button, form or
    event, written before (or, for an event, with) its ack and carried out by a worker.
    The payload is the verified request as Slack sent it; it is never logged."""

    __tablename__ = "intake"
    __table_args__ = (
        # A replay, Slack's retry and a double click carry the same key: carried out once.
        UniqueConstraint("dedupe_key"),
        Index("ix_intake_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(USER_ID)
    # command | action | view_submission | event
    kind: Mapped[str] = mapped_column(String(16))
    # The trigger_id, or the event id.
    dedupe_key: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    response_url: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # pending | running | done | failed | expired
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A running row belongs to `claimed_by` until then; a dead worker's claim runs out.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # Set in the same transaction as the change the request made, so a worker that takes the
    # row over after a crash knows not to make it again; then when the person was answered.
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The one line the person was told when the request failed.
    last_error: Mapped[str | None] = mapped_column(Text)
