"""Queries over workspace API tokens, the key they are hashed under, and the answers kept for
requests sent with an Idempotency-Key. Every lookup by a person is scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.dialects import insert_for
from storage.models import ApiToken
from storage.models import IdempotentRequest
from storage.models import ServerKey


def server_key(session: Session, name: str, candidate: str, now: datetime) -> str:
    """The key called `name`. The first caller's `candidate` becomes it; every caller,
    concurrent ones included, gets the same key back. Only the first call writes."""
    known = select(ServerKey.secret).where(ServerKey.name == name)
    secret = session.execute(known).scalar_one_or_none()
    if secret is not None:
        return secret
    session.execute(
        insert_for(session, ServerKey)
        .values(name=name, secret=candidate, created_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return session.execute(known).scalar_one()


# Built once: every API request runs it.
_BY_HASH = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalars(_BY_HASH, {"token_hash": token_hash}).one_or_none()


def workspace_token(
    session: Session, team_id: str, token_id: str, *, for_update: bool = False
) -> ApiToken | None:
    statement = select(ApiToken).where(ApiToken.team_id == team_id, ApiToken.id == token_id)
    if for_update:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def live_tokens(session: Session, team_id: str) -> Sequence[ApiToken]:
    """A workspace's tokens that still work, oldest first."""
    statement = (
        select(ApiToken)
        .where(ApiToken.team_id == team_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at, ApiToken.id)
    )
    return session.scalars(statement).all()


def mark_used(session: Session, token_id: str, now: datetime) -> None:
    # Bookkeeping, not a change anyone made: a plain UPDATE, which the audit log does not see.
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def remembered_request(
    session: Session, token_id: str, key: str, not_before: datetime
) -> IdempotentRequest | None:
    """What a request with this key got, if it came at or after `not_before`. Every older
    answer is forgotten on the way (few at a time, as each is forgotten once), so a key can
    be used afresh and the table holds about a day of requests."""
    session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < not_before))
    statement = select(IdempotentRequest).where(
        IdempotentRequest.token_id == token_id, IdempotentRequest.idempotency_key == key
    )
    return session.scalars(statement).one_or_none()


def remember_answer(
    session: Session, request_id: int, status: int, response: dict[str, Any]
) -> None:
    session.execute(
        update(IdempotentRequest)
        .where(IdempotentRequest.id == request_id)
        .values(status=status, response=response)
    )
