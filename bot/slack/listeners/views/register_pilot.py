"""The registration form: checked field by field before ack, registered after."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack import forms
from bot.slack.blocks.modals import submitted_values
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.replies import show_change
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

        def work() -> None:
            team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
            now = deps.clock()
            person = deps.directory.person(client, team_id, user_id, now)
            fields = dict(checked.values)
            name = fields.pop("name")
            with UnitOfWork(deps.sessions, actor=user_id) as uow:
                report = pilots.register(
                    uow, Actor(team_id, user_id, person.is_admin), name, now, fields
                )
            show_change(
                deps, client, user_id, person.timezone, report,
                response_url=origin.response_url, replace=False, lead="Registered ",
            )  # fmt: skip

        deps.work.submit(work, body=body, client=client)
