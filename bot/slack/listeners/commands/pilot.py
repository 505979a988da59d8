"""`/pilot`: parse, ack within Slack's 3 seconds, then do the work and answer ephemerally."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import UserError
from bot.slack import grammar
from bot.slack.commands import execute, open_registration
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.home import refresh_homes
from bot.slack.work import BUSY


def register(app: App, deps: Deps) -> None:
    @app.command("/pilot")
    @boundary
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
        except UserError as error:
            # Parsing is pure and fast: a malformed command is answered in the ack itself.
            ack(response_type="ephemeral", text=error.message)
            return
        if not deps.work.has_room():
            ack(response_type="ephemeral", text=BUSY)
            return
        ack()
        user_id = command["user_id"]
        if isinstance(parsed, grammar.OpenRegistration):
            # A trigger_id is good for three seconds: open the form now, not after a queue.
            open_registration(client, user_id, command)
            return

        def answer() -> None:
            result = execute(deps, client, _team(context, command), user_id, parsed)
            respond(response_type="ephemeral", replace_original=False, **result.reply)
            if result.changed is not None:
                refresh_homes(deps, client, result.changed, also=user_id)

        deps.work.submit(answer, body=body, client=client, respond=respond)


def _team(context: BoltContext, command: dict[str, Any]) -> str:
    # In an org-wide install the command's own team_id is the workspace it was typed in.
    return str(command.get("team_id") or context.team_id)
