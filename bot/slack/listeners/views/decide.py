"""The Decide form: go, no-go or extend, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.services.commands import Decide
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import handle_submission

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _decide(origin: ModalContext, value: forms.DecisionInput) -> Decide:
    return Decide(origin.require_key(), value.decision, value.rationale)


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.DECIDE.value)
    def decide(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        handle_submission(
            deps, ack, body, view, client, context, forms.decision, _decide, replace=True
        )
