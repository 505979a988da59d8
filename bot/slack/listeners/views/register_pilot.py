"""The registration form: checked field by field before ack, registered after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.services.commands import Register
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import handle_submission

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _as_is(_origin: ModalContext, command: Register) -> Register:
    return command


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.REGISTER.value)
    def register_pilot(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        handle_submission(
            deps, ack, body, view, client, context, forms.registration, _as_is,
            replace=False, lead="Registered ",
        )  # fmt: skip
