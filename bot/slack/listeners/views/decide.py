"""The Decide form: go, no-go or extend, and why."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext

from bot.errors import InvalidInput
from bot.governance.zones import zone
from bot.services.commands import Decide
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
    values: Mapping[str, str | None], view: dict[str, Any], at: datetime
) -> forms.Checked[forms.DecisionInput]:
    try:
        owner_zone = zone(ModalContext.load(view.get("private_metadata")).owner_zone)
    except InvalidInput:
        owner_zone = zone(None)  # told as stale once the form is read after the ack
    return forms.decision(values, today=at.astimezone(owner_zone).date())


def _decide(origin: ModalContext, value: forms.DecisionInput) -> Decide:
    return Decide(origin.require_key(), value.decision, value.rationale, value.until)


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.view(Callback.DECIDE.value)
    def decide(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        accept_submission(deps, ack, body, context, _read)

    @deps.intake.handles(Kind.VIEW_SUBMISSION, Callback.DECIDE.value)
    def decided(job: Job) -> Outcome:
        return carry_out_submission(deps, job, _read, _decide, replace=True)
