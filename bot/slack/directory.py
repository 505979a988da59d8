"""Who a Slack user is to pilotgate: admin or not, and their time zone (users.info, cached)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.governance.zones import zone
from storage import people
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
CACHE_FOR = timedelta(hours=12)
# Asks Slack about (team id, user id): (is_admin, time zone name), or None when it cannot
# say now.
Ask = Callable[[str, str], tuple[bool, str | None] | None]


@dataclass(frozen=True)
class PersonInfo:
    user_id: str
    is_admin: bool
    timezone: ZoneInfo


class Directory:
    """Asks Slack once per person per half day; the answer lives in the database so every
    process and replica shares it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def person(self, client: WebClient, team_id: str, user_id: str, now: datetime) -> PersonInfo:
        return self.person_asking(
            lambda _team, user: ask_slack(client, user), team_id, user_id, now
        )

    def cached(self, team_id: str, user_id: str) -> PersonInfo | None:
        """What is known already, however old; never asks Slack (for a three-second path)."""
        with UnitOfWork(self._sessions) as uow:
            known = people.cached_person(uow.session, team_id, user_id)
            if known is None:
                return None
            return PersonInfo(user_id, known.is_admin, zone(known.timezone))

    def person_asking(self, ask: Ask, team_id: str, user_id: str, now: datetime) -> PersonInfo:
        """The cached answer while it is fresh; otherwise `ask` (Slack) and remember."""
        with UnitOfWork(self._sessions) as uow:
            cached = people.cached_person(uow.session, team_id, user_id)
            if cached is not None and now - cached.fetched_at < CACHE_FOR:
                return PersonInfo(user_id, cached.is_admin, zone(cached.timezone))
        answer = ask(team_id, user_id)
        if answer is None:
            # Not knowing someone is an admin only withholds admin rights; don't remember it.
            return PersonInfo(user_id, False, zone(cached.timezone if cached else None))
        is_admin, timezone = answer
        with UnitOfWork(self._sessions) as uow:
            people.remember_person(uow.session, team_id, user_id, timezone, is_admin, now)
            uow.commit()
        return PersonInfo(user_id, is_admin, zone(timezone))


def ask_slack(client: WebClient, user_id: str) -> tuple[bool, str | None] | None:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
        return None
    is_admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    return is_admin, user.get("tz")
