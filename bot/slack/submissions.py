"""The shape every form submission shares: read the inputs, ack (with the errors, if any),
then, off the ack path, run the command as the person and show them the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.services import pilots
from bot.services.commands import Command
from bot.slack.blocks.modals import submitted_values
from bot.slack.deps import Deps
from bot.slack.forms import Checked
from bot.slack.identity import Requester, ask_who
from bot.slack.metadata import ModalContext
from bot.slack.replies import show_change
from storage.unit_of_work import UnitOfWork

T = TypeVar("T")


def handle_submission(
    deps: Deps,
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    read: Callable[[Mapping[str, str | None]], Checked[T]],
    to_command: Callable[[ModalContext, T], Command],
    *,
    replace: bool,
    lead: str = "",
) -> None:
    checked = read(submitted_values(view.get("state", {}).get("values", {})))
    if checked.errors or checked.value is None:
        ack(response_action="errors", errors=checked.errors)
        return
    ack()
    requester = Requester.of(context)
    value = checked.value

    def work() -> None:
        # Read after the ack: a forged or stale form is told as one line, not left hanging.
        origin = ModalContext.load(view.get("private_metadata"))
        command = to_command(origin, value)
        now = deps.clock()
        who = ask_who(deps.directory, client, requester, now)
        with UnitOfWork(deps.sessions, actor=requester.user_id) as uow:
            report = pilots.handle(uow, who.actor, command, now)
        show_change(
            deps, client, requester.user_id, who.timezone, report,
            response_url=origin.response_url, replace=replace, lead=lead,
        )  # fmt: skip

    deps.work.submit(work, body=body, client=client)
