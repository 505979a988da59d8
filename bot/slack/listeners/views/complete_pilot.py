"""The Complete the pilot form: what was filled in is set, and one Accountable named for
every RACI area, in one change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from bot.services.commands import CompletePilot
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import register_form

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _read(
    values: Mapping[str, str | None], _view: dict[str, Any], _at: datetime
) -> forms.Checked[forms.CompleteInput]:
    return forms.complete(values)


def _complete(origin: ModalContext, value: forms.CompleteInput) -> CompletePilot:
    return CompletePilot(origin.require_key(), value.changes, value.accountable)


def register(listeners: Listeners, deps: Deps) -> None:
    register_form(listeners, deps, Callback.COMPLETE, _read, _complete, replace=True)
