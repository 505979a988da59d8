"""Requests from outside kept in the database: API tokens and their idempotent answers,
the server key, and the intake of acknowledged Slack requests."""

from __future__ import annotations

from datetime import datetime
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
