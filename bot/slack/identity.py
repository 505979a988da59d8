"""Who is asking: the workspace and the person, read once per request by a Bolt middleware.

Slack puts them in different places by request type (a command's `team_id`/`user_id`, an
interaction's `team.id`/`user.team_id`/`user.id`, an event's `team_id`/`event.user`). In an
org-wide install the request's own workspace is the one it came from, not the install's.
Whether the person is an admin, and their time zone, are asked of Slack only after ack().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.errors import InvalidInput
from bot.services.actors import Actor
from bot.slack.directory import Directory

CONTEXT_KEY = "requester"
NO_WORKSPACE = "This request names no Slack workspace or person; nothing was changed."


@dataclass(frozen=True)
class Requester:
    team_id: str
    user_id: str

    @classmethod
    def of(cls, context: BoltContext) -> Requester:
        requester = context.get(CONTEXT_KEY)
        if not isinstance(requester, Requester):
            raise InvalidInput(NO_WORKSPACE)
        return requester

    @property
    def actor(self) -> Actor:
        """The person as far as the request itself tells: not an admin until Slack is asked,
        which only happens after ack()."""
        return Actor(self.team_id, self.user_id)


@dataclass(frozen=True)
class Asker:
    """The person as the use cases need them: their rights, and the clock they read dates on."""

    actor: Actor
    timezone: ZoneInfo


def ask_who(directory: Directory, client: WebClient, requester: Requester, now: datetime) -> Asker:
    person = directory.person(client, requester.team_id, requester.user_id, now)
    return Asker(Actor(requester.team_id, requester.user_id, person.is_admin), person.timezone)


def identify(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> None:
    team, user = _team(body, context), _user(body)
    if team and user:
        context[CONTEXT_KEY] = Requester(team, user)
    next()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _team(body: dict[str, Any], context: BoltContext) -> str | None:
    user, team = body.get("user"), body.get("team")
    return (
        _text(body.get("team_id"))
        or (_text(team.get("id")) if isinstance(team, dict) else None)
        or (_text(user.get("team_id")) if isinstance(user, dict) else None)
        or _text(context.team_id)
    )


def _user(body: dict[str, Any]) -> str | None:
    user, event = body.get("user"), body.get("event")
    return (
        _text(body.get("user_id"))
        or (_text(user.get("id")) if isinstance(user, dict) else None)
        or (_text(event.get("user")) if isinstance(event, dict) else None)
    )
