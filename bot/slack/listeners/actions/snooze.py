"""Snooze 1 day / Snooze 1 week, on an owner's nudge."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.services.actors import Actor
from bot.services.reminders import snooze
from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.ids import Action
from bot.slack.metadata import SnoozeRef
from storage.unit_of_work import UnitOfWork


def register(app: App, deps: Deps) -> None:
    @boundary
    def snooze_nudges(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        ref = SnoozeRef.load(action.get("value"))
        team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
        now = deps.clock()
        tz = deps.directory.person(client, team_id, user_id, now).timezone
        with UnitOfWork(deps.sessions, actor=user_id) as uow:
            until = snooze(uow, Actor(team_id, user_id), ref.key, ref.days, now)
        respond(
            text=f"Snoozed: no nudges about {ref.key} until {until.astimezone(tz):%a %d %b %H:%M}.",
            response_type="ephemeral",
            replace_original=False,
        )

    for action_id in (Action.SNOOZE_DAY, Action.SNOOZE_WEEK):
        app.action(action_id.value)(snooze_nudges)
