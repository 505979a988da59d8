"""The Complete the pilot form: what was filled in is set, and one Accountable named for
every RACI area, in one change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.services.commands import CompletePilot
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import handle_submission

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _complete(origin: ModalContext, value: forms.CompleteInput) -> CompletePilot:
    return CompletePilot(origin.require_key(), value.changes, value.accountable)


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.COMPLETE.value)
    def complete_pilot(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        handle_submission(
            deps, ack, body, view, client, context, forms.complete, _complete, replace=True
        )
