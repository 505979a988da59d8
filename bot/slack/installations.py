"""Multi-workspace OAuth install: slack_sdk's store interfaces over pilotgate's own tables
(migrated with everything else), and the bot token for each workspace."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.settings import Settings
from bot.slack.client import web_client
from storage import installations
from storage.unit_of_work import UnitOfWork

STATE_LIFETIME = timedelta(minutes=10)


def _when(timestamp: float | int | None) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else datetime.now(UTC)


class _DatabaseStore:
    """What both of slack_sdk's stores need here: the sessions, and the logger they ask for."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._logger = logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        return self._logger


class DatabaseInstallationStore(_DatabaseStore, InstallationStore):
    """Keeps bot tokens only (pilotgate asks for no user scopes)."""

    def save(self, installation: Installation) -> None:
        self.save_bot(installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        token = installations.BotToken(
            enterprise_id=bot.enterprise_id or "",
            team_id="" if bot.is_enterprise_install else (bot.team_id or ""),
            is_enterprise_install=bool(bot.is_enterprise_install),
            app_id=bot.app_id,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=",".join(bot.bot_scopes or []),
            installer_user_id=getattr(bot, "installer_user_id", None),
            installed_at=_when(bot.installed_at),
        )
        with UnitOfWork(self._sessions, actor="slack") as uow:
            installations.save(uow.session, token)
            uow.commit()

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        team = "" if is_enterprise_install else (team_id or "")
        with UnitOfWork(self._sessions) as uow:
            found = installations.find(uow.session, enterprise_id or "", team)
        if found is None:
            return None
        return Bot(
            app_id=found.app_id,
            enterprise_id=found.enterprise_id or None,
            team_id=found.team_id or team_id,
            bot_token=found.bot_token,
            bot_id=found.bot_id or "",
            bot_user_id=found.bot_user_id or "",
            bot_scopes=found.bot_scopes or "",
            is_enterprise_install=found.is_enterprise_install,
            installed_at=found.installed_at.timestamp(),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return None  # bot tokens only: Bolt is told installation_store_bot_only

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        with UnitOfWork(self._sessions, actor="slack") as uow:
            installations.forget(uow.session, enterprise_id or "", team_id or "")
            uow.commit()

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class DatabaseStateStore(_DatabaseStore, OAuthStateStore):
    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = uuid.uuid4().hex
        with UnitOfWork(self._sessions) as uow:
            installations.issue_state(uow.session, state, datetime.now(UTC) + STATE_LIFETIME)
            uow.commit()
        return state

    def consume(self, state: str) -> bool:
        with UnitOfWork(self._sessions) as uow:
            fresh = installations.consume_state(uow.session, state, datetime.now(UTC))
            uow.commit()
        return fresh


def token_finder(sessions: sessionmaker[Session]) -> Callable[[str, str | None], str | None]:
    """(team_id, enterprise_id) -> its bot token. The enterprise id picks the org-wide install
    of an Enterprise Grid workspace when there are several; the scheduler has no request to
    read it from and passes None."""
    store = DatabaseInstallationStore(sessions)

    def token_for(team_id: str, enterprise_id: str | None = None) -> str | None:
        bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        return bot.bot_token if bot is not None else None

    return token_for


class Clients(Protocol):
    """The Web API client of a workspace's bot, or None when it has none (uninstalled)."""

    def __call__(self, team_id: str, enterprise_id: str | None = None) -> WebClient | None: ...


def clients_for(settings: Settings, sessions: sessionmaker[Session], default: WebClient) -> Clients:
    """The Web API client of a workspace: the one bot token, or that workspace's own from its
    OAuth install (None when it has none any more)."""
    if not settings.oauth:
        return lambda _team_id, _enterprise_id=None: default
    token_for = token_finder(sessions)
    clients: dict[tuple[str, str | None], WebClient] = {}

    def client_for(team_id: str, enterprise_id: str | None = None) -> WebClient | None:
        token = token_for(team_id, enterprise_id)
        if token is None:
            return None
        key = (team_id, enterprise_id)
        if key not in clients or clients[key].token != token:
            clients[key] = web_client(settings, token=token)
        return clients[key]

    return client_for
