"""The Record a reading and Record baseline forms."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from bot.errors import InvalidInput
from bot.governance.vocabulary import MeasurementKind
from bot.services.commands import RecordMeasurement
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import register_form

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

FORMS = {
    Callback.RECORD_READING: MeasurementKind.READING,
    Callback.RECORD_BASELINE: MeasurementKind.BASELINE,
}


def _read(
    values: Mapping[str, str | None], view: dict[str, Any], _at: datetime
) -> forms.Checked[forms.MeasurementInput]:
    try:
        asks_why = ModalContext.load(view.get("private_metadata")).reason_needed
    except InvalidInput:
        asks_why = False  # told as stale once the form is read after the ack
    return forms.measurement(values, reason_needed=asks_why)


def register(listeners: Listeners, deps: Deps) -> None:
    for callback, kind in FORMS.items():
        register_form(listeners, deps, callback, _read, _recording(kind), replace=True)


def _recording(
    kind: MeasurementKind,
) -> Callable[[ModalContext, forms.MeasurementInput], RecordMeasurement]:
    def to_command(origin: ModalContext, value: forms.MeasurementInput) -> RecordMeasurement:
        return RecordMeasurement(origin.require_key(), kind, value.value, value.note, value.reason)

    return to_command
