"""Registers every listener; each lives in a file of its own."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import Deps
from bot.slack.listeners.actions import list_page, open_forms, open_pilot, snooze
from bot.slack.listeners.commands import pilot
from bot.slack.listeners.events import app_home_opened, unasked, workspace_lifecycle
from bot.slack.listeners.views import decide, record_measurement, register_pilot

MODULES = (
    pilot,
    open_forms,
    open_pilot,
    list_page,
    snooze,
    register_pilot,
    record_measurement,
    decide,
    app_home_opened,
    workspace_lifecycle,
    unasked,  # last: it takes every event no listener above takes
)


def register(app: App, deps: Deps) -> None:
    for module in MODULES:
        module.register(app, deps)
