"""The registration form: checked field by field before ack, registered after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from bot.services.commands import Register
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import register_form

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def _read(
    values: Mapping[str, str | None], _view: dict[str, Any], _at: datetime
) -> forms.Checked[Register]:
    return forms.registration(values)


def _as_is(_origin: ModalContext, command: Register) -> Register:
    return command


def register(listeners: Listeners, deps: Deps) -> None:
    register_form(
        listeners, deps, Callback.REGISTER, _read, _as_is, replace=False, lead="Registered "
    )
