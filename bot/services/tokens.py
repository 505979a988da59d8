"""Workspace API tokens: issued, listed and revoked by workspace admins; presented by live
systems to the HTTP API.

A token is `pgt_` and 32 random bytes (URL-safe base64). Only its HMAC-SHA256 under a key this
installation made for itself is stored: with 256 random bits behind it, the hash cannot be
reversed or guessed, and the key makes it worthless outside this database (the same token
hashes differently anywhere else). A fast keyed hash, not a slow one such as scrypt: slowness
protects guessable secrets, and this one is checked on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import Connection
from sqlalchemy import Engine

from bot.errors import InvalidInput
from bot.errors import NotAllowed
from bot.governance.text import shown_text
from bot.services.actors import Actor
from storage import pilots as pilot_store
from storage import tokens as token_store
from storage.models import ApiToken
from storage.unit_of_work import UnitOfWork

PREFIX = "pgt_"
# `pgt_` and the 43 characters of 32 bytes in URL-safe base64 without padding.
TOKEN_SHAPE = re.compile(r"pgt_[A-Za-z0-9_-]{43}")
ID_SHAPE = re.compile(r"[0-9a-f]{8}")
MAX_LABEL = 100
HASH_KEY = "api-tokens"
# How stale "last used" may get: writing it at most once a minute keeps a busy token's
# requests from each writing a row.
USE_RECORDED_EVERY = timedelta(minutes=1)
_KEYS: WeakKeyDictionary[Engine | Connection, bytes] = WeakKeyDictionary()
ADMINS_ONLY = "Only workspace admins manage API tokens; ask one of them."


@dataclass(frozen=True)
class IssueToken:
    label: str


@dataclass(frozen=True)
class RevokeToken:
    token_id: str


@dataclass(frozen=True)
class ListTokens:
    pass


@dataclass(frozen=True)
class TokenInfo:
    id: str
    label: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class IssuedToken:
    info: TokenInfo
    # The token itself: shown once, never stored.
    secret: str


@dataclass(frozen=True)
class TokenHolder:
    """Whoever presented a live token: acts for its workspace, as the audit log names it."""

    team_id: str
    token_id: str

    @property
    def name(self) -> str:
        return f"token:{self.token_id}"

    @property
    def actor(self) -> Actor:
        # A token belongs to the workspace, not to a person: it may change any of its pilots,
        # as an admin may, and none of another workspace's.
        return Actor(self.team_id, self.name, is_admin=True)


def issue(uow: UnitOfWork, actor: Actor, command: IssueToken, now: datetime) -> IssuedToken:
    _require_admin(actor)
    label = _label(command.label)
    secret = PREFIX + secrets.token_urlsafe(32)
    pilot_store.ensure_workspace(uow.session, actor.team_id, now)
    token = ApiToken(
        id=secrets.token_hex(4),
        team_id=actor.team_id,
        label=label,
        token_hash=_hash(uow, secret, now),
        created_by=actor.user_id,
        created_at=now,
    )
    uow.session.add(token)
    uow.session.flush()
    info = _info(token)
    uow.commit()
    return IssuedToken(info, secret)


def revoke(uow: UnitOfWork, actor: Actor, command: RevokeToken, now: datetime) -> TokenInfo:
    """Revoking twice is harmless: the first time stands."""
    _require_admin(actor)
    token = token_store.workspace_token(
        uow.session, actor.team_id, command.token_id, for_update=True
    )
    if token is None:
        raise InvalidInput(
            f"No API token `{command.token_id}` in this workspace; `/pilot token list` shows them."
        )
    if token.revoked_at is None:
        token.revoked_at = now
    info = _info(token)
    uow.commit()
    return info


def list_tokens(uow: UnitOfWork, actor: Actor) -> list[TokenInfo]:
    """The workspace's tokens that still work, oldest first."""
    _require_admin(actor)
    return [_info(token) for token in token_store.live_tokens(uow.session, actor.team_id)]


def authenticate(uow: UnitOfWork, presented: str, now: datetime) -> TokenHolder | None:
    """The holder of a live token, or None for anything else (malformed, unknown, revoked):
    a caller learns no more than that it is refused."""
    if not TOKEN_SHAPE.fullmatch(presented):
        return None
    expected = _hash(uow, presented, now)
    token = token_store.token_by_hash(uow.session, expected)
    if token is None or not hmac.compare_digest(token.token_hash, expected):
        return None
    if token.revoked_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        token_store.mark_used(uow.session, token.id, now)
        # Committed now, whatever the request goes on to do: it was used.
        uow.commit()
    return TokenHolder(token.team_id, token.id)


def _hash(uow: UnitOfWork, token: str, now: datetime) -> str:
    return hmac.new(_key(uow, now), token.encode(), hashlib.sha256).hexdigest()


def _key(uow: UnitOfWork, now: datetime) -> bytes:
    """The installation's key, read once per database engine: it never changes once made.

    It is kept in the database beside the hashes, on purpose. Whoever reads the database
    learns the key too, and still cannot use a hash: a token is 256 random bits, so no key is
    needed to make its hash irreversible and unguessable (a key would protect guessable
    secrets such as passwords, which these are not). Whoever can write the database could add
    a token of their own, but could as well change any pilot directly, so a key kept elsewhere
    would not stop anything they can do. Kept elsewhere, in a setting, it would be one more
    secret to provision, and losing or changing it would silently revoke every token."""
    engine = uow.session.get_bind()
    key = _KEYS.get(engine)
    if key is None:
        candidate = secrets.token_hex(32)
        secret = token_store.server_key(uow.session, HASH_KEY, candidate, now)
        key = bytes.fromhex(secret)
        # A key this transaction wrote is not remembered: it is only real once committed.
        if secret != candidate:
            _KEYS[engine] = key
    return key


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed(ADMINS_ONLY)


def _label(label: str) -> str:
    return shown_text(
        label,
        limit=MAX_LABEL,
        blank="A token needs a label that shows what uses it, like `ticket router`.",
        whose="A token's label",
    )


def _info(token: ApiToken) -> TokenInfo:
    return TokenInfo(
        id=token.id,
        label=token.label,
        created_by=token.created_by,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )
