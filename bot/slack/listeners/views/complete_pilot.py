"""The Complete the pilot form: what was filled in is set, and one Accountable named for
every RACI area, in one change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext

from bot.services.commands import CompletePilot
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
) -> forms.Checked[forms.CompleteInput]:
    return forms.complete(values)


def _complete(origin: ModalContext, value: forms.CompleteInput) -> CompletePilot:
    return CompletePilot(origin.require_key(), value.changes, value.accountable)


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.COMPLETE.value)
    def complete_pilot(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        accept_submission(deps, ack, body, context, _read)

    @deps.intake.handles(Kind.VIEW_SUBMISSION, Callback.COMPLETE.value)
    def completed(job: Job) -> Outcome:
        return carry_out_submission(deps, job, _read, _complete, replace=True)
