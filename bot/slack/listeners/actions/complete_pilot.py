"""Complete the pilot: the one form with every field a gap can ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import Ack
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.blocks.complete import complete_modal
from bot.slack.deps import Deps
from bot.slack.identity import Requester
from bot.slack.ids import Action
from bot.slack.metadata import ModalContext
from bot.slack.metadata import PilotRef
from bot.slack.views import open_view
from bot.slack.views import report_for_modal

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.action(Action.COMPLETE_PILOT.value)
    def open_complete(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        ack()
        key = PilotRef.load(action.get("value")).pilot
        report = report_for_modal(deps, Requester.of(context), key, deps.clock())
        view = complete_modal(report)
        view["private_metadata"] = ModalContext(
            key=report.key, response_url=body.get("response_url")
        ).dump()
        open_view(client, body, view)
