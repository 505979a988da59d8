"""Runs a parsed `/pilot` command: find out who is asking, call the use case, build the reply.

Called after ack(); a UserError raised here reaches the error boundary as one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import InvalidInput
from bot.governance.digest_schedule import parse_schedule
from bot.governance.fields import read_channel
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.subscriptions import subscribe_digest
from bot.slack import grammar
from bot.slack.blocks.help import help_blocks, raci_blocks
from bot.slack.blocks.modals import registration_modal
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.blocks.status_card import status_reply
from bot.slack.deps import Deps
from bot.slack.metadata import ModalContext
from storage.unit_of_work import UnitOfWork

Reply = dict[str, Any]


@dataclass(frozen=True)
class Answer:
    reply: Reply
    # The pilot as changed, when the command changed one: the Homes to refresh after replying.
    changed: pilots.PilotReport | None = None


def open_registration(client: WebClient, user_id: str, payload: dict[str, Any]) -> None:
    """Opens the form first thing: a trigger_id is only good for three seconds."""
    view = registration_modal(user_id)
    view["private_metadata"] = ModalContext(response_url=payload.get("response_url")).dump()
    client.views_open(trigger_id=payload["trigger_id"], view=view)


def execute(
    deps: Deps,
    client: WebClient,
    team_id: str,
    user_id: str,
    command: grammar.Command,
) -> Answer:
    now = deps.clock()
    person = deps.directory.person(client, team_id, user_id, now)
    actor = Actor(team_id, user_id, person.is_admin)
    uow = UnitOfWork(deps.sessions, actor=user_id)
    match command:
        case grammar.Help():
            return Answer({"blocks": help_blocks(), "text": "How to use /pilot"})
        case grammar.ListPilots():
            with uow:
                reports = pilots.list_reports(uow, actor, now)
            return Answer({"blocks": pilot_list(reports, page=1), "text": f"{len(reports)} pilots"})
        case grammar.Status(key):
            with uow:
                report = pilots.pilot_report(uow, actor, key, now)
        case grammar.ShowRaci(key):
            with uow:
                report = pilots.pilot_report(uow, actor, key, now)
            return Answer({"blocks": raci_blocks(report), "text": f"RACI of {report.key}"})
        case grammar.SubscribeDigest(channel, schedule):
            return Answer(_subscribe(deps, client, actor, channel, schedule, person.timezone.key))
        case _:
            with uow:
                report = _change(uow, actor, command, now)
            return Answer(status_reply(report, now, person.timezone, user_id), changed=report)
    return Answer(status_reply(report, now, person.timezone, user_id))


def _change(
    uow: UnitOfWork, actor: Actor, command: grammar.Command, now: Any
) -> pilots.PilotReport:
    match command:
        case grammar.Register(name):
            return pilots.register(uow, actor, name, now)
        case grammar.SetFields(key, fields):
            return pilots.set_fields(uow, actor, key, fields, now)
        case grammar.RecordBaseline(key, value, note):
            return pilots.record_baseline(uow, actor, key, value, note, now)
        case grammar.RecordReading(key, value, note):
            return pilots.record_reading(uow, actor, key, value, note, now)
        case grammar.AssignRaci(key, area, role, users):
            return pilots.assign_raci(uow, actor, key, area, role, users, now)
        case grammar.Decide(key, decision, rationale):
            return pilots.decide(uow, actor, key, decision, rationale, now)
    raise AssertionError(f"not a change: {command!r}")


def _subscribe(
    deps: Deps,
    client: WebClient,
    actor: Actor,
    channel: str,
    schedule: tuple[str, ...],
    timezone: str,
) -> Reply:
    channel_id = read_channel(channel)
    parse_schedule(schedule)  # what is wrong with the words is said before asking Slack
    try:
        info = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        if error.response.get("error") not in ("channel_not_found", "not_in_channel"):
            raise InvalidInput(
                f"Slack did not answer about <#{channel_id}> just now; try again in a minute."
            ) from None
        info = {}
    if not info.get("is_member") or info.get("is_archived"):
        raise InvalidInput(
            f"I can't post in <#{channel_id}>: invite me there first with `/invite @pilotgate`."
        )
    with UnitOfWork(deps.sessions, actor=actor.user_id) as uow:
        subscription = subscribe_digest(uow, actor, channel, list(schedule), timezone, deps.clock())
    return {
        "text": f"<#{subscription.channel_id}> will get the sponsor digest "
        f"{subscription.schedule.describe()} ({subscription.timezone})."
    }
