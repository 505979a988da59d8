"""The Decide form: go, no-go or extend, and why."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.errors import InvalidInput
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
    @app.view(Callback.DECIDE.value)
    @boundary
    def decide(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        checked = forms.decision(submitted_values(view.get("state", {}).get("values", {})))
        if checked.errors:
            ack(response_action="errors", errors=checked.errors)
            return
        origin = ModalContext.load(view.get("private_metadata"))
        ack()

        def work() -> None:
            if origin.key is None:
                raise InvalidInput("That form is out of date; run the command again.")
            team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
            now = deps.clock()
            person = deps.directory.person(client, team_id, user_id, now)
            actor = Actor(team_id, user_id, person.is_admin)
            with UnitOfWork(deps.sessions, actor=user_id) as uow:
                report = pilots.decide(
                    uow,
                    actor,
                    origin.key,
                    checked.values["decision"],
                    checked.values["rationale"],
                    now,
                )
            show_change(deps, client, user_id, person.timezone, report,
                        response_url=origin.response_url, replace=True)  # fmt: skip

        deps.work.submit(work, body=body, client=client)
