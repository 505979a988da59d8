"""Bot tokens from the OAuth install, and the one-time `state` of installs in progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.dialects import insert_for
from storage.models import Installation
from storage.models import OAuthState


@dataclass(frozen=True)
class BotToken:
    enterprise_id: str
    team_id: str
    is_enterprise_install: bool
    app_id: str | None
    bot_token: str
    bot_id: str | None
    bot_user_id: str | None
    bot_scopes: str | None
    installer_user_id: str | None
    installed_at: datetime


def save(session: Session, token: BotToken) -> None:
    """The newest install of a workspace (or enterprise) replaces the one before."""
    values = {
        "enterprise_id": token.enterprise_id,
        "team_id": token.team_id,
        "is_enterprise_install": token.is_enterprise_install,
        "app_id": token.app_id,
        "bot_token": token.bot_token,
        "bot_id": token.bot_id,
        "bot_user_id": token.bot_user_id,
        "bot_scopes": token.bot_scopes,
        "installer_user_id": token.installer_user_id,
        "installed_at": token.installed_at,
    }
    session.execute(
        insert_for(session, Installation)
        .values(values)
        .on_conflict_do_update(index_elements=["enterprise_id", "team_id"], set_=values)
    )


def find(session: Session, enterprise_id: str, team_id: str) -> BotToken | None:
    """A workspace's own install, else its enterprise's org-wide install. Without an
    enterprise id (the scheduler has no request to read it from), a deployment with a
    single org-wide install uses that one."""
    candidates = [
        select(Installation).where(Installation.team_id == team_id, Installation.team_id != ""),
        select(Installation).where(
            Installation.enterprise_id == enterprise_id,
            Installation.enterprise_id != "",
            Installation.team_id == "",
        ),
    ]
    if not enterprise_id:
        candidates.append(select(Installation).where(Installation.is_enterprise_install))
    for query in candidates:
        rows = session.scalars(query.order_by(Installation.installed_at.desc()).limit(2)).all()
        row = rows[0] if len(rows) == 1 else None
        if row is not None:
            return BotToken(
                row.enterprise_id, row.team_id, row.is_enterprise_install, row.app_id,
                row.bot_token, row.bot_id, row.bot_user_id, row.bot_scopes,
                row.installer_user_id, row.installed_at,
            )  # fmt: skip
    return None


def forget(session: Session, enterprise_id: str, team_id: str) -> None:
    session.execute(
        delete(Installation).where(
            Installation.enterprise_id == enterprise_id, Installation.team_id == team_id
        )
    )


def issue_state(session: Session, state: str, expires_at: datetime) -> None:
    session.add(OAuthState(state=state, expires_at=expires_at))


def consume_state(session: Session, state: str, now: datetime) -> bool:
    """True once for a state issued here that has not expired."""
    found = session.execute(
        delete(OAuthState).where(OAuthState.state == state).returning(OAuthState.expires_at)
    ).first()
    return found is not None and found[0] > now
