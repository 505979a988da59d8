"""The Decide form: go, no-go or extend, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import InvalidInput
from bot.governance.zones import zone
from bot.services.commands import Decide
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import handle_submission

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _decide(origin: ModalContext, value: forms.DecisionInput) -> Decide:
    return Decide(origin.require_key(), value.decision, value.rationale, value.until)


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.DECIDE.value)
    def decide(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        try:
            owner_zone = zone(ModalContext.load(view.get("private_metadata")).owner_zone)
        except InvalidInput:
            owner_zone = zone(None)  # told as stale once the form is read after the ack
        today = deps.clock().astimezone(owner_zone).date()
        handle_submission(
            deps, ack, body, view, client, context,
            lambda values: forms.decision(values, today=today), _decide, replace=True,
        )  # fmt: skip
