"""`/pilot`: parse, ack within Slack's 3 seconds, then do the work and answer ephemerally."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import UserError
from bot.slack import grammar
from bot.slack.commands import execute, open_registration
from bot.slack.deps import Deps
from bot.slack.home import refresh_homes
from bot.slack.identity import Requester
from bot.slack.work import BUSY

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.command("/pilot")
    def pilot_command(
        ack: Ack,
        body: dict[str, Any],
        command: dict[str, Any],
        respond: Respond,
        client: WebClient,
        context: BoltContext,
    ) -> None:
        try:
            parsed = grammar.parse(command.get("text") or "")
            requester = Requester.of(context)
        except UserError as error:
            # Parsing is pure and fast: a malformed command is answered in the ack itself.
            ack(response_type="ephemeral", text=error.message)
            return
        if not deps.work.has_room():
            ack(response_type="ephemeral", text=BUSY)
            return
        ack()
        if isinstance(parsed, grammar.OpenRegistration):
            # A trigger_id is good for three seconds: open the form now, not after a queue.
            open_registration(client, requester.user_id, command)
            return

        def answer() -> None:
            result = execute(deps, client, requester, parsed)
            respond(response_type="ephemeral", replace_original=False, **result.reply)
            if result.changed is not None:
                refresh_homes(deps, client, result.changed, also=requester.user_id)

        deps.work.submit(answer, body=body, client=client, respond=respond)
