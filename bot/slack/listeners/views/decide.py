"""The Decide form: go, no-go or extend, and why."""

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
    def record_decision(
        uow: UnitOfWork, actor: Actor, origin: ModalContext, values: dict[str, str], now: datetime
    ) -> pilots.PilotReport:
        key = origin.require_key()
        return pilots.decide(uow, actor, key, values["decision"], values["rationale"], now)

    @app.view(Callback.DECIDE.value)
    @boundary
    def decide(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        handle_submission(
            deps, ack, body, view, client, forms.decision, record_decision, replace=True
        )
