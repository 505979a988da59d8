"""The Decide form: go, no-go or extend, and why."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from bot.errors import InvalidInput
from bot.governance.zones import zone
from bot.services.commands import Decide
from bot.slack import forms
from bot.slack.deps import Deps
from bot.slack.ids import Callback
from bot.slack.metadata import ModalContext
from bot.slack.submissions import register_form

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
    register_form(listeners, deps, Callback.DECIDE, _read, _decide, replace=True)
