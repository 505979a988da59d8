"""`/pilot`: parse and store within Slack's 3 seconds, ack; a worker answers ephemerally."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import Ack
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.errors import UserError
from bot.slack import grammar
from bot.slack.commands import execute
from bot.slack.commands import open_registration
from bot.slack.deps import Deps
from bot.slack.home import refresh_homes
from bot.slack.identity import Requester
from bot.slack.intake import BUSY
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from storage.intake import Kind

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

COMMAND = "/pilot"


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.command(COMMAND)
    def pilot_command(
        ack: Ack,
        body: dict[str, Any],
        command: dict[str, Any],
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
        if not deps.intake.has_room():
            ack(response_type="ephemeral", text=BUSY)
            return
        if isinstance(parsed, grammar.OpenRegistration):
            # A trigger_id is good for three seconds: open the form now, not after a queue.
            ack()
            open_registration(client, requester.user_id, command)
            return
        deps.intake.accept(ack, Kind.COMMAND, body, context)

    @deps.intake.handles(Kind.COMMAND, COMMAND)
    def answer(job: Job) -> Outcome:
        # Parsed again from the stored text, with the grammar that read it before the ack.
        result = execute(
            deps, job.client, job.requester, grammar.parse(job.payload.get("text") or "")
        )

        def reply() -> None:
            job.respond(response_type="ephemeral", replace_original=False, **result.reply)

        changed = result.changed
        if changed is None:
            return Outcome(reply)
        return Outcome(
            reply, then=lambda: refresh_homes(deps, job.client, changed, also=job.requester.user_id)
        )
