"""The shape every form submission shares: read the inputs and ack with the errors, if any;
otherwise store the submission and ack. A worker then reads the stored form again with the
same code, runs the command as the person and shows them the result."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

from slack_bolt import Ack
from slack_bolt import BoltContext

from bot.errors import InvalidInput
from bot.services import pilots
from bot.services.commands import Command
from bot.slack.blocks.modals import submitted_values
from bot.slack.deps import Deps
from bot.slack.forms import Checked
from bot.slack.home import refresh_homes
from bot.slack.identity import ask_who
from bot.slack.ids import Callback
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from bot.slack.metadata import ModalContext
from bot.slack.replies import show_change
from storage.intake import Kind
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

T = TypeVar("T")
# Reads a form's values; the view and the instant it was submitted may matter (a date
# that must not be in the past is judged on the day the person sent the form).
Read = Callable[[Mapping[str, str | None], dict[str, Any], datetime], Checked[T]]


def register_form(
    listeners: Listeners,
    deps: Deps,
    callback: Callback,
    read: Read[T],
    to_command: Callable[[ModalContext, T], Command],
    *,
    replace: bool,
    lead: str = "",
) -> None:
    """One form: checked before the ack, carried out by a worker after it, the reply
    replacing the message it came from or not, starting with `lead`."""

    def submitted(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        view = body.get("view") or {}
        checked = read(_values(view), view, deps.clock())
        if checked.errors or checked.value is None:
            ack(response_action="errors", errors=checked.errors)
            return
        deps.intake.accept(ack, Kind.VIEW_SUBMISSION, body, context)

    def carry_out(job: Job) -> Outcome:
        view = job.payload.get("view") or {}
        checked = read(_values(view), view, job.received_at)
        if checked.value is None:
            raise InvalidInput("That form no longer reads as it did; nothing was changed. "
                               + " ".join(checked.errors.values()))  # fmt: skip
        # A forged or stale form is told as one line, not left hanging.
        origin = ModalContext.load(view.get("private_metadata"))
        command = to_command(origin, checked.value)
        now = deps.clock()
        requester = job.requester
        who = ask_who(deps.directory, job.client, requester, now)
        with UnitOfWork(deps.sessions, actor=requester.user_id) as uow:
            report = pilots.handle(uow, who.actor, command, now)

        def reply() -> None:
            show_change(
                deps, job.client, requester.user_id, who.timezone, report,
                response_url=origin.response_url, replace=replace, lead=lead,
            )  # fmt: skip

        return Outcome(
            reply, then=lambda: refresh_homes(deps, job.client, report, also=requester.user_id)
        )

    listeners.view(callback.value)(submitted)
    deps.intake.handles(Kind.VIEW_SUBMISSION, callback.value)(carry_out)


def _values(view: dict[str, Any]) -> dict[str, str | None]:
    return submitted_values(view.get("state", {}).get("values", {}))
