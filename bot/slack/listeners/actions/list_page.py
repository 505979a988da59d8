"""Next page / Previous page of `/pilot list`, replacing the list in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.deps import Deps
from bot.slack.ids import Action
from bot.slack.intake import Job, Outcome
from bot.slack.metadata import ListPage
from storage.intake import Kind
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.action(Action.LIST_PAGE.value)
    def list_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        deps.intake.accept(ack, Kind.ACTION, body, context)

    @deps.intake.handles(Kind.ACTION, Action.LIST_PAGE.value)
    def turn_page(job: Job) -> Outcome:
        page = ListPage.load(job.action().get("value")).page
        requester = job.requester
        with UnitOfWork(deps.sessions) as uow:
            reports = pilots.list_reports(uow, Actor(requester.team_id, requester.user_id),
                                          deps.clock())  # fmt: skip
        return Outcome(
            lambda: job.respond(
                blocks=pilot_list(reports, page=page),
                text=f"{len(reports)} pilots",
                replace_original=True,
                response_type="ephemeral",
            )
        )
