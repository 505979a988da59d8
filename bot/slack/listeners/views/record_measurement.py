"""The Record a reading and Record baseline forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import InvalidInput
from bot.governance.vocabulary import MeasurementKind
from bot.services.commands import RecordMeasurement
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import handle_submission

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

Listener = Callable[[Ack, dict[str, Any], dict[str, Any], WebClient, BoltContext], None]


def register(listeners: Listeners, deps: Deps) -> None:
    listeners.view(Callback.RECORD_READING.value)(_listener(deps, MeasurementKind.READING))
    listeners.view(Callback.RECORD_BASELINE.value)(_listener(deps, MeasurementKind.BASELINE))


def _listener(deps: Deps, kind: MeasurementKind) -> Listener:
    def to_command(origin: ModalContext, value: forms.MeasurementInput) -> RecordMeasurement:
        return RecordMeasurement(origin.require_key(), kind, value.value, value.note, value.reason)

    def submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        try:
            asks_why = ModalContext.load(view.get("private_metadata")).reason_needed
        except InvalidInput:
            asks_why = False  # told as stale once the form is read after the ack
        handle_submission(
            deps, ack, body, view, client, context,
            lambda values: forms.measurement(values, reason_needed=asks_why),
            to_command, replace=True,
        )  # fmt: skip

    return submitted
