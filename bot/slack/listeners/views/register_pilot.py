"""The registration form: checked field by field before ack, registered after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import handle_submission
from storage.unit_of_work import UnitOfWork


def register(app: App, deps: Deps) -> None:
    def register_it(
        uow: UnitOfWork, actor: Actor, _origin: ModalContext, values: dict[str, str], now: datetime
    ) -> pilots.PilotReport:
        fields = dict(values)
        name = fields.pop("name")
        return pilots.register(uow, actor, name, now, fields)

    @app.view(Callback.REGISTER.value)
    @boundary
    def register_pilot(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        handle_submission(
            deps, ack, body, view, client, forms.registration, register_it,
            replace=False, lead="Registered ",
        )  # fmt: skip
