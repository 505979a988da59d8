"""The shape every form submission shares: check the inputs, ack (with the errors, if any),
then, off the ack path, run the use case as the person and show them the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.services.actors import Actor
from bot.services.pilots import PilotReport
from bot.slack.blocks.modals import submitted_values
from bot.slack.deps import Deps
from bot.slack.forms import Checked
from bot.slack.metadata import ModalContext
from bot.slack.replies import show_change
from storage.unit_of_work import UnitOfWork

Check = Callable[[Mapping[str, str | None]], Checked]
# (unit of work, actor, where the form came from, its checked values, now) -> the pilot after
UseCase = Callable[[UnitOfWork, Actor, ModalContext, dict[str, str], Any], PilotReport]


def handle_submission(
    deps: Deps,
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    check: Check,
    use_case: UseCase,
    *,
    replace: bool,
    lead: str = "",
) -> None:
    checked = check(submitted_values(view.get("state", {}).get("values", {})))
    if checked.errors:
        ack(response_action="errors", errors=checked.errors)
        return
    ack()

    def work() -> None:
        # Read after the ack: a forged or stale form is told as one line, not left hanging.
        origin = ModalContext.load(view.get("private_metadata"))
        team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
        now = deps.clock()
        person = deps.directory.person(client, team_id, user_id, now)
        actor = Actor(team_id, user_id, person.is_admin)
        with UnitOfWork(deps.sessions, actor=user_id) as uow:
            report = use_case(uow, actor, origin, checked.values, now)
        show_change(
            deps, client, user_id, person.timezone, report,
            response_url=origin.response_url, replace=replace, lead=lead,
        )  # fmt: skip

    deps.work.submit(work, body=body, client=client)
