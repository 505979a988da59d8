"""Open, from the App Home: the pilot's status card in a modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.governance.zones import zone
from bot.services import pilots
from bot.services.actors import Actor
from bot.slack.blocks.status_card import status_modal
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
        # No users.info here: the trigger_id lasts three seconds. A zone not known yet
        # only shows dates in UTC.
        known = deps.directory.cached(team_id, user_id)
        tz = known.timezone if known else zone(None)
        with UnitOfWork(deps.sessions) as uow:
            report = pilots.pilot_report(uow, Actor(team_id, user_id), ref.key, now)
        open_view(client, body, status_modal(report, now, tz, user_id))
