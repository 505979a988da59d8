"""The registration form: checked field by field before ack, registered after."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack import forms
from bot.slack.blocks.modals import submitted_values
from bot.slack.blocks.status_card import status_card, status_text
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.home import refresh_homes
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.replies import deliver
from storage.unit_of_work import UnitOfWork


def register(app: App, deps: Deps) -> None:
    @app.view(Callback.REGISTER.value)
    @boundary
    def register_pilot(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        checked = forms.registration(submitted_values(view.get("state", {}).get("values", {})))
        if checked.errors:
            ack(response_action="errors", errors=checked.errors)
            return
        origin = ModalContext.load(view.get("private_metadata"))
        ack()
        team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
        now = deps.clock()
        person = deps.directory.person(client, team_id, user_id, now)
        fields = dict(checked.values)
        name = fields.pop("name")
        with UnitOfWork(deps.sessions, actor=user_id) as uow:
            report = pilots.register(
                uow, Actor(team_id, user_id, person.is_admin), name, now, fields
            )
        card = status_card(report, now, person.timezone, can_decide=True)
        deliver(
            client,
            user_id,
            {"blocks": card, "text": f"Registered {status_text(report)}"},
            response_url=origin.response_url,
        )
        refresh_homes(deps, client, report, also=user_id)
