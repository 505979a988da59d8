"""Next page / Previous page of `/pilot list`, replacing the list in place."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.ids import Action
from bot.slack.metadata import ListPage
from storage.unit_of_work import UnitOfWork


def register(app: App, deps: Deps) -> None:
    @app.action(Action.LIST_PAGE.value)
    @boundary
    def list_page(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        page = ListPage.load(action.get("value")).page
        actor = Actor(str(body["team"]["id"]), str(body["user"]["id"]))
        with UnitOfWork(deps.sessions) as uow:
            reports = pilots.list_reports(uow, actor, deps.clock())
        respond(
            blocks=pilot_list(reports, page=page),
            text=f"{len(reports)} pilots",
            replace_original=True,
            response_type="ephemeral",
        )
