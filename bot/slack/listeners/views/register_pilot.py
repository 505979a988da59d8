"""The registration form: checked field by field before ack, registered after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext

from bot.services.commands import Register
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.intake import Job, Outcome
from bot.slack.metadata import ModalContext
from bot.slack.submissions import accept_submission, carry_out_submission
from storage.intake import Kind

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _read(
    values: Mapping[str, str | None], _view: dict[str, Any], _at: datetime
) -> forms.Checked[Register]:
    return forms.registration(values)


def _as_is(_origin: ModalContext, command: Register) -> Register:
    return command


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.REGISTER.value)
    def register_pilot(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        accept_submission(deps, ack, body, context, _read)

    @deps.intake.handles(Kind.VIEW_SUBMISSION, Callback.REGISTER.value)
    def registered(job: Job) -> Outcome:
        return carry_out_submission(deps, job, _read, _as_is, replace=False, lead="Registered ")
