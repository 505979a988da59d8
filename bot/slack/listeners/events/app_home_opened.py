"""The App Home is drawn fresh each time a person opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot.slack.deps import Deps
from bot.slack.events import first_delivery
from bot.slack.home import publish_home

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.event("app_home_opened")
    def app_home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not first_delivery(deps, body):
            return
        team_id, user_id = str(body["team_id"]), str(event["user"])
        deps.work.submit(
            lambda: publish_home(deps, client, team_id, user_id), body=body, client=client
        )
