"""Registers every listener; each lives in a file of its own.

Every listener gets the one error boundary as it is registered, and every request first passes
the middleware that reads who is asking, so no listener applies either by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any
from typing import TypeVar

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext

from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.identity import identify
from bot.slack.ids import Action
from bot.slack.intake import Handler
from bot.slack.intake import Intake
from bot.slack.listeners.actions import complete_pilot
from bot.slack.listeners.actions import evidence
from bot.slack.listeners.actions import list_page
from bot.slack.listeners.actions import open_forms
from bot.slack.listeners.actions import open_pilot
from bot.slack.listeners.actions import review_override
from bot.slack.listeners.actions import snooze
from bot.slack.listeners.commands import pilot
from bot.slack.listeners.events import app_home_opened
from bot.slack.listeners.events import unasked
from bot.slack.listeners.events import user_change
from bot.slack.listeners.events import workspace_lifecycle
from bot.slack.listeners.views import complete_pilot as complete_form
from bot.slack.listeners.views import decide
from bot.slack.listeners.views import record_measurement
from bot.slack.listeners.views import register_pilot
from storage.intake import Kind

MODULES = (
    pilot,
    open_forms,
    open_pilot,
    list_page,
    snooze,
    complete_pilot,
    evidence,
    review_override,
    complete_form,
    register_pilot,
    record_measurement,
    decide,
    app_home_opened,
    workspace_lifecycle,
    user_change,
    unasked,  # last: it takes every event no listener above takes
)

Listener = Callable[..., None]
Middleware = TypeVar("Middleware", bound=Callable[..., Any])


class Listeners:
    """What a listener module registers with: Bolt's own decorators, each behind the boundary."""

    def __init__(self, app: App) -> None:
        self._app = app

    def command(self, name: str) -> Callable[[Listener], Listener]:
        return self._guarded(self._app.command(name))

    def action(self, action_id: str) -> Callable[[Listener], Listener]:
        return self._guarded(self._app.action(action_id))

    def view(self, callback_id: str) -> Callable[[Listener], Listener]:
        return self._guarded(self._app.view(callback_id))

    def event(self, event_type: str | re.Pattern[str]) -> Callable[[Listener], Listener]:
        return self._guarded(self._app.event(event_type))

    def stored_actions(
        self, intake: Intake, action_ids: Iterable[Action], carry_out: Handler
    ) -> None:
        """Buttons whose press is stored before the ack and carried out by a worker."""

        def pressed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
            intake.accept(ack, Kind.ACTION, body, context)

        for action_id in action_ids:
            self.action(action_id.value)(pressed)
            intake.handles(Kind.ACTION, action_id.value)(carry_out)

    def middleware(self, middleware: Middleware) -> Middleware:
        """A global middleware: it runs before any listener, outside the boundary."""
        self._app.use(middleware)
        return middleware

    @staticmethod
    def _guarded(register: Callable[[Listener], Any]) -> Callable[[Listener], Listener]:
        def add(listener: Listener) -> Listener:
            register(boundary(listener))
            return listener

        return add


def register(app: App, deps: Deps) -> None:
    app.use(identify)
    listeners = Listeners(app)
    for module in MODULES:
        module.register(listeners, deps)
