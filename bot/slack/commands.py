"""Runs a parsed `/pilot` command: find out who is asking, call the use case, build the reply.

Called after ack(); a UserError raised here reaches the error boundary as one line. One table
says which function answers each command type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from typing import Any
from typing import get_args

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import InvalidInput
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Field
from bot.services import commands as service_commands
from bot.services import pilots
from bot.services import tokens
from bot.services.chart_data import chart_data
from bot.services.history import history
from bot.services.subscriptions import subscribe_digest
from bot.slack import grammar
from bot.slack.blocks.common import code
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import mention
from bot.slack.blocks.help import help_blocks
from bot.slack.blocks.help import raci_blocks
from bot.slack.blocks.history import history_reply
from bot.slack.blocks.modals import registration_modal
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.blocks.status_card import status_reply
from bot.slack.charts import chart_reply
from bot.slack.deps import Deps
from bot.slack.identity import Asker
from bot.slack.identity import Requester
from bot.slack.identity import ask_who
from bot.slack.metadata import ModalContext
from storage.unit_of_work import UnitOfWork

Reply = dict[str, Any]


@dataclass(frozen=True)
class Answer:
    reply: Reply
    # The pilot as changed, when the command changed one: the Homes to refresh after replying.
    changed: pilots.PilotReport | None = None


@dataclass(frozen=True)
class Asking:
    deps: Deps
    client: WebClient
    who: Asker
    now: datetime

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.deps.sessions, actor=self.who.actor.user_id)


def open_registration(client: WebClient, user_id: str, payload: dict[str, Any]) -> None:
    """Opens the form first thing: a trigger_id is only good for three seconds."""
    view = registration_modal(user_id)
    view["private_metadata"] = ModalContext(response_url=payload.get("response_url")).dump()
    client.views_open(trigger_id=payload["trigger_id"], view=view)


def execute(
    deps: Deps, client: WebClient, requester: Requester, command: grammar.Command
) -> Answer:
    now = deps.clock()
    asking = Asking(deps, client, ask_who(deps.directory, client, requester, now), now)
    return ANSWERS[type(command)](asking, command)


def _help(asking: Asking, command: grammar.Help) -> Answer:
    return Answer({"blocks": help_blocks(), "text": "How to use /pilot"})


def _list(asking: Asking, command: grammar.ListPilots) -> Answer:
    with asking.uow() as uow:
        reports = pilots.list_reports(uow, asking.who.actor, asking.now)
    return Answer({"blocks": pilot_list(reports, page=1), "text": f"{len(reports)} pilots"})


def _status(asking: Asking, command: grammar.Status) -> Answer:
    with asking.uow() as uow:
        report = pilots.pilot_report(uow, asking.who.actor, command.key, asking.now)
    user_id = asking.who.actor.user_id
    return Answer(status_reply(report, asking.now, asking.who.timezone, user_id, complete=True))


def _show_raci(asking: Asking, command: grammar.ShowRaci) -> Answer:
    with asking.uow() as uow:
        report = pilots.pilot_report(uow, asking.who.actor, command.key, asking.now)
    return Answer({"blocks": raci_blocks(report), "text": f"RACI of {report.key}"})


def _history(asking: Asking, command: grammar.History) -> Answer:
    with asking.uow() as uow:
        page = history(uow, asking.who.actor, command.key, command.page)
    return Answer(history_reply(page, asking.who.timezone))


def _chart(asking: Asking, command: grammar.Chart) -> Answer:
    with asking.uow() as uow:
        data = chart_data(uow, asking.who.actor, command.key, asking.now)
    # Drawn here, after the ack and off Bolt's threads (by an intake worker).
    return Answer(chart_reply(asking.client, data))


def _change(asking: Asking, command: service_commands.Command) -> Answer:
    sponsor = _named_sponsor(command)
    if sponsor is not None:
        # Slack says whether the account is still active (cached for half a day): naming a
        # deactivated sponsor is refused.
        requester = asking.who.actor
        asking.deps.directory.person(asking.client, requester.team_id, sponsor, asking.now)
    with asking.uow() as uow:
        report = pilots.handle(uow, asking.who.actor, command, asking.now)
    if isinstance(command, service_commands.Decide) and command.decision is Decision.EXTEND:
        hint = f"Set the new date with `/pilot set {report.key} decide-by:YYYY-MM-DD`."
        report = replace(report, warnings=(*report.warnings, hint))
    user_id = asking.who.actor.user_id
    return Answer(
        status_reply(report, asking.now, asking.who.timezone, user_id, complete=True),
        changed=report,
    )


def _named_sponsor(command: service_commands.Command) -> str | None:
    if isinstance(command, service_commands.Register | service_commands.SetFields):
        sponsor = command.changes.get(Field.SPONSOR)
        return sponsor if isinstance(sponsor, str) else None
    return None


def _subscribe(asking: Asking, command: grammar.SubscribeDigest) -> Answer:
    channel_id = command.channel_id
    try:
        info = asking.client.conversations_info(channel=channel_id)["channel"]
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
    with asking.uow() as uow:
        subscription = subscribe_digest(
            uow, asking.who.actor, channel_id, command.schedule, asking.who.timezone.key,
            asking.now,
        )  # fmt: skip
    return Answer(
        {
            "text": f"<#{subscription.channel_id}> will get the sponsor digest "
            f"{subscription.schedule.describe()} ({subscription.timezone})."
        }
    )


def _issue_token(asking: Asking, command: tokens.IssueToken) -> Answer:
    with asking.uow() as uow:
        issued = tokens.issue(uow, asking.who.actor, command, asking.now)
    return Answer(
        {
            "text": f"New API token {code(issued.info.id)} ({escape(issued.info.label)}):\n"
            f"{code(issued.secret)}\nCopy it now: it is shown only this once. Send it as "
            f"{code('Authorization: Bearer <token>')}; revoke it with "
            f"{code(f'/pilot token revoke {issued.info.id}')}."
        }
    )


def _list_tokens(asking: Asking, command: tokens.ListTokens) -> Answer:
    with asking.uow() as uow:
        listed = tokens.list_tokens(uow, asking.who.actor)
    if not listed:
        return Answer(
            {"text": "This workspace has no API tokens; `/pilot token new <label>` makes one."}
        )
    lines = [
        f"{code(t.id)} {escape(t.label)} · by {mention(t.created_by)} · created "
        f"{_when(t.created_at, asking)} · last used "
        f"{_when(t.last_used_at, asking) if t.last_used_at else 'never'}"
        for t in listed
    ]
    return Answer({"text": "\n".join([f"*API tokens* ({len(listed)})", *lines])})


def _revoke_token(asking: Asking, command: tokens.RevokeToken) -> Answer:
    with asking.uow() as uow:
        info = tokens.revoke(uow, asking.who.actor, command, asking.now)
    return Answer(
        {
            "text": f"API token {code(info.id)} ({escape(info.label)}) is revoked: requests "
            "that carry it are refused."
        }
    )


def _when(moment: datetime, asking: Asking) -> str:
    """On the asker's clock, to the minute."""
    local = moment.astimezone(asking.who.timezone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


ANSWERS: dict[type[Any], Callable[[Asking, Any], Answer]] = {
    grammar.Help: _help,
    grammar.ListPilots: _list,
    grammar.Status: _status,
    grammar.ShowRaci: _show_raci,
    grammar.SubscribeDigest: _subscribe,
    grammar.History: _history,
    grammar.Chart: _chart,
    tokens.IssueToken: _issue_token,
    tokens.ListTokens: _list_tokens,
    tokens.RevokeToken: _revoke_token,
    **{kind: _change for kind in get_args(service_commands.Command)},
}
