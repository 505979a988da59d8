"""Who a Slack user is to pilotgate: admin or not, and their time zone (users.info, cached).

The one place pilotgate asks Slack about a person; listeners hand it Bolt's client, the
scheduler the client of the workspace's bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.governance.zones import zone
from bot.slack.client import SLACK_FAILURES
from storage import people
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
CACHE_FOR = timedelta(hours=12)


@dataclass(frozen=True)
class PersonInfo:
    user_id: str
    is_admin: bool
    timezone: ZoneInfo


@dataclass(frozen=True)
class _Known:
    info: PersonInfo
    fetched_at: datetime


class Directory:
    """Asks Slack once per person per half day; the answer lives in the database so every
    process and replica shares it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def person(self, client: WebClient, team_id: str, user_id: str, now: datetime) -> PersonInfo:
        """The cached answer while it is fresh; otherwise Slack's, remembered.

        When Slack cannot say (an error answer of any kind, a timeout), the last zone known and
        no admin rights: whoever asked still gets an answer, and the next call asks again.
        """
        known = self._known(team_id, user_id)
        if known is not None and now - known.fetched_at < CACHE_FOR:
            return known.info
        answer = _ask(client, user_id)
        if answer is None:
            # Not knowing someone is an admin only withholds admin rights; don't remember it.
            return PersonInfo(user_id, False, known.info.timezone if known else zone(None))
        is_admin, timezone, deactivated = answer
        with UnitOfWork(self._sessions) as uow:
            people.remember_person(
                uow.session, team_id, user_id, timezone, is_admin, now, deactivated=deactivated
            )
            uow.commit()
        return PersonInfo(user_id, is_admin, zone(timezone))

    def cached(self, team_id: str, user_id: str) -> PersonInfo | None:
        """What is known already, however old; never asks Slack (for a three-second path)."""
        known = self._known(team_id, user_id)
        return known.info if known is not None else None

    def _known(self, team_id: str, user_id: str) -> _Known | None:
        with UnitOfWork(self._sessions) as uow:
            row = people.cached_person(uow.session, team_id, user_id)
            # Read while the session is open: leaving it expires the row's attributes.
            if row is None:
                return None
            return _Known(PersonInfo(user_id, row.is_admin, zone(row.timezone)), row.fetched_at)


def _ask(client: WebClient, user_id: str) -> tuple[bool, str | None, bool] | None:
    """(is_admin, time zone, deactivated) as Slack says, or None when it cannot say now."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
        return None
    except SLACK_FAILURES as error:
        log.warning("users.info for %s failed: %r", user_id, error)
        return None
    is_admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    return is_admin, user.get("tz"), bool(user.get("deleted"))
