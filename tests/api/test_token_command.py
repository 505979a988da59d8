"""`/pilot token new|list|revoke` end to end: signed slash commands to `pilotgate serve`, the
replies through the fake Slack, and the tokens they make used against the API."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from storage.models import ApiToken
from tests.api.conftest import ADMIN
from tests.api.conftest import OWNER
from tests.api.conftest import call
from tests.api.conftest import new_team
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import eventually
from tests.slack_requests import Slack

TOKEN = re.compile(r"pgt_[A-Za-z0-9_-]{43}")
TOKEN_ID = re.compile(r"`([0-9a-f]{8})`")


def say(slack: Slack, fake: FakeSlack, text: str, *, team: str, user: str) -> str:
    """Sends `/pilot <text>` and returns the text of the ephemeral reply (the ack's own when
    the command did not parse)."""
    name = uuid.uuid4().hex
    answer = slack.command(text, team=team, user=user, response_url=fake.response_url(name))
    assert answer.status == 200, answer.body
    if answer.json():
        assert answer.json()["response_type"] == "ephemeral"
        return str(answer.json()["text"])
    replies = eventually(
        lambda: [c for c in fake.calls("response_url") if c.path.endswith(name)],
        f"no reply to {text!r}",
    )
    assert replies[-1].args["response_type"] == "ephemeral"
    return str(replies[-1].args["text"])


@pytest.fixture
def team(fake_slack: FakeSlack) -> str:
    team_id = new_team()
    fake_slack.add_team(team_id)
    fake_slack.add_user(ADMIN, team_id=team_id, is_admin=True)
    fake_slack.add_user(OWNER, team_id=team_id)
    return team_id


def test_an_admin_makes_lists_and_revokes_a_token(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    made = say(slack, fake_slack, "token new ticket router", team=team, user=ADMIN)
    [token] = TOKEN.findall(made)
    token_id = TOKEN_ID.findall(made)[0]
    assert "ticket router" in made
    assert "shown only this once" in made
    # The token itself is nowhere in the database; only its hash is.
    with server.sessions() as session:
        stored = session.scalars(select(ApiToken).where(ApiToken.team_id == team)).one()
    assert stored.id == token_id
    assert token not in (stored.token_hash, stored.label)

    listed = say(slack, fake_slack, "token list", team=team, user=ADMIN)
    assert token_id in listed
    assert "ticket router" in listed
    assert f"<@{ADMIN}>" in listed
    assert "last used never" in listed
    assert token not in listed

    assert call(server.url, "GET", "/pilots", token=token).status == 200
    listed = say(slack, fake_slack, "token list", team=team, user=ADMIN)
    assert "last used never" not in listed

    revoked = say(slack, fake_slack, f"token revoke {token_id}", team=team, user=ADMIN)
    assert f"`{token_id}`" in revoked
    assert "revoked" in revoked
    assert call(server.url, "GET", "/pilots", token=token).status == 401
    assert token_id not in say(slack, fake_slack, "token list", team=team, user=ADMIN)


@pytest.mark.parametrize("text", ["token new my script", "token list", "token revoke 0123abcd"])
def test_someone_who_is_not_an_admin_is_refused_in_one_line(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str, text: str
) -> None:
    reply = say(slack, fake_slack, text, team=team, user=OWNER)
    assert reply == "Only workspace admins manage API tokens; ask one of them."
    with server.sessions() as session:
        assert session.scalars(select(ApiToken).where(ApiToken.team_id == team)).all() == []


def test_a_token_of_another_workspace_cannot_be_revoked(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    made = say(slack, fake_slack, "token new exporter", team=team, user=ADMIN)
    [token], token_id = TOKEN.findall(made), TOKEN_ID.findall(made)[0]
    elsewhere = new_team()
    fake_slack.add_user("U0ADM2", team_id=elsewhere, is_admin=True)
    reply = say(slack, fake_slack, f"token revoke {token_id}", team=elsewhere, user="U0ADM2")
    assert f"No API token `{token_id}` in this workspace" in reply
    assert call(server.url, "GET", "/pilots", token=token).status == 200


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("token", "Say what to do with API tokens"),
        ("token make x", "`make` is not a token action"),
        ("token new", "Say what will use the token"),
        ("token list all", "`/pilot token list` takes nothing more"),
        ("token revoke", "Name one token id"),
        ("token revoke P-1", "`P-1` is not a token id"),
        ("token new " + "x" * 101, "`label` is 101 characters"),
    ],
)
def test_a_malformed_token_command_gets_its_right_form(
    slack: Slack, fake_slack: FakeSlack, team: str, text: str, says: str
) -> None:
    reply = say(slack, fake_slack, text, team=team, user=ADMIN)
    assert says in reply
    assert "/pilot token" in reply
    assert "\n" not in reply


def test_help_lists_the_token_command(slack: Slack, fake_slack: FakeSlack, team: str) -> None:
    name = uuid.uuid4().hex
    slack.command("help", team=team, user=OWNER, response_url=fake_slack.response_url(name))
    [reply] = [c for c in fake_slack.wait_for("response_url") if c.path.endswith(name)]
    assert "/pilot token new" in str(reply.args["blocks"])
