"""The Record a reading and Record baseline forms."""

from __future__ import annotations

from collections.abc import Callable
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

Listener = Callable[[Ack, dict[str, Any], dict[str, Any], WebClient], None]


def register(app: App, deps: Deps) -> None:
    app.view(Callback.RECORD_READING.value)(_listener(deps, pilots.record_reading))
    app.view(Callback.RECORD_BASELINE.value)(_listener(deps, pilots.record_baseline))


def _listener(deps: Deps, record: Callable[..., pilots.PilotReport]) -> Listener:
    def use_case(
        uow: UnitOfWork, actor: Actor, origin: ModalContext, values: dict[str, str], now: datetime
    ) -> pilots.PilotReport:
        return record(uow, actor, origin.require_key(), values["value"], values["note"], now)

    @boundary
    def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        handle_submission(deps, ack, body, view, client, forms.measurement, use_case, replace=True)

    return submitted
