"""Open, from the App Home: the pilot's status card in a modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack.blocks.common import truncate
from bot.slack.blocks.status_card import status_reply
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from bot.slack.views import open_view
from storage.unit_of_work import UnitOfWork


def register(app: App, deps: Deps) -> None:
    @app.action(Action.OPEN_PILOT.value)
    @boundary
    def open_pilot(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        ref = PilotRef.load(action.get("value"))
        team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
        now = deps.clock()
        tz = deps.directory.person(client, team_id, user_id, now).timezone
        with UnitOfWork(deps.sessions) as uow:
            report = pilots.pilot_report(uow, Actor(team_id, user_id), ref.key, now)
        card = status_reply(report, now, tz, user_id)["blocks"]
        view = {
            "type": "modal",
            "title": {"type": "plain_text", "text": truncate(report.key, 24)},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": card,
        }
        open_view(client, body, view)
