"""The App Home is drawn fresh each time a person opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.events import first_delivery
from bot.slack.home import publish_home


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    @boundary
    def app_home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not first_delivery(deps, body):
            return
        team_id, user_id = str(body["team_id"]), str(event["user"])
        deps.work.submit(
            lambda: publish_home(deps, client, team_id, user_id), body=body, client=client
        )
