"""The multi-workspace install: OAuth through pilotgate serve, then each workspace's own token
for its requests and for the scheduler."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import pilots
from bot.services.actors import Actor
from storage import intake
from storage.models import Installation
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import start_server
from tests.listeners.conftest import stop_server
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import reply_text
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack
from tests.slack_requests import command_form
from tests.test_cli import pilotgate

OAUTH_ENV = {
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "made-up-client-secret",
    "SLACK_BOT_TOKEN": "",  # no single token: each workspace's comes from its install
}


@pytest.fixture
def oauth_server(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Server]:
    running = start_server(
        f"sqlite:///{tmp_path / 'oauth.db'}", fake_slack, tmp_path / "serve.log", **OAUTH_ENV
    )
    yield running
    stop_server(running)


def get(url: str, cookie: str = "") -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.read().decode(), answer.headers.get("Set-Cookie", "")


def install(server: Server, fake: FakeSlack, team: str, **org: Any) -> str:
    """Installs through /slack/install and the redirect; `org` (enterprise_id=…,
    is_enterprise_install=True) makes it an Enterprise Grid org-wide install."""
    token = fake.set_installation(team_id=team, installer_user_id=OWNER, **org)["access_token"]
    status, page, cookie = get(f"{server.url}/slack/install")
    assert status == 200
    state = re.search(r"state=([0-9a-f]+)", page)
    assert state is not None, page
    assert "slack.com/oauth/v2/authorize" in page
    status, page, _ = get(
        f"{server.url}/slack/oauth_redirect?code=made-up-code&state={state.group(1)}",
        cookie=cookie.split(";")[0],
    )
    assert status == 200, page
    return str(token)


def test_a_workspace_installed_by_oauth_is_served_with_its_own_token(
    oauth_server: Server, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    team = f"T{uuid.uuid4().hex[:10].upper()}"
    fake_slack.clear()
    token = install(oauth_server, fake_slack, team)
    with oauth_server.sessions() as session:
        stored = session.scalars(select(Installation)).all()
    assert [(row.team_id, row.bot_token) for row in stored] == [(team, token)]

    fake_slack.clear()
    reply = run(Slack(oauth_server.url), fake_slack, "new Drafting", team=team)
    assert "P-1" in reply_text(reply)
    assert {c.token for c in fake_slack.calls("users.info")} == {token}

    # The scheduler finds the same token for that workspace's nudges.
    with UnitOfWork(oauth_server.sessions, actor=OWNER) as uow:
        second = typed.register("Second")
        pilots.handle(uow, Actor(team, OWNER), second, datetime(2026, 11, 2, 9, tzinfo=UTC))
    fake_slack.add_user(OWNER, team_id=team, tz="UTC")
    fake_slack.clear()
    database_url = str(oauth_server.sessions.kw["bind"].url)
    env = {**OAUTH_ENV, "SLACK_API_URL": fake_slack.api_url}
    at = "2026-11-03T10:00:00Z"
    result = pilotgate("tick", "--at", at, cwd=tmp_path, database_url=database_url, **env)
    assert result.returncode == 0, result.stderr
    posts = fake_slack.delivered("chat.postMessage")
    assert posts
    assert {c.token for c in posts} == {token}


def test_an_install_state_is_good_once(oauth_server: Server, fake_slack: FakeSlack) -> None:
    team = f"T{uuid.uuid4().hex[:10].upper()}"
    fake_slack.set_installation(team_id=team)
    _, page, cookie = get(f"{oauth_server.url}/slack/install")
    state = re.search(r"state=([0-9a-f]+)", page)
    assert state is not None
    redirect = f"{oauth_server.url}/slack/oauth_redirect?code=c&state={state.group(1)}"
    assert get(redirect, cookie=cookie.split(";")[0])[0] == 200
    with pytest.raises(urllib.error.HTTPError) as replayed:
        get(redirect, cookie=cookie.split(";")[0])
    assert replayed.value.code == 401  # refused: the state was used up
    replayed.value.close()


def test_uninstalling_forgets_the_token(oauth_server: Server, fake_slack: FakeSlack) -> None:
    team = f"T{uuid.uuid4().hex[:10].upper()}"
    install(oauth_server, fake_slack, team)
    assert Slack(oauth_server.url).event({"type": "app_uninstalled"}, team=team).status == 200
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while True:
        with oauth_server.sessions() as session:
            left = session.scalars(select(Installation).where(Installation.team_id == team)).all()
        if not left:
            break
        assert datetime.now(UTC) < deadline, "the token is still stored"
        time.sleep(0.05)


def test_each_org_wide_install_serves_its_own_workspaces(
    oauth_server: Server, fake_slack: FakeSlack
) -> None:
    # Two Enterprise Grid orgs installed org-wide: a workspace is known by its org.
    tokens = {
        org: install(oauth_server, fake_slack, f"T{org}", enterprise_id=org,
                     is_enterprise_install=True)
        for org in (f"E{uuid.uuid4().hex[:8].upper()}" for _ in range(2))
    }  # fmt: skip
    org, token = next(iter(tokens.items()))
    team = f"T{uuid.uuid4().hex[:10].upper()}"
    fake_slack.clear()
    name = uuid.uuid4().hex
    body = command_form("new Drafting", team=team, user=OWNER,
                        response_url=fake_slack.response_url(name), enterprise_id=org,
                        is_enterprise_install="true")  # fmt: skip
    answer = Slack(oauth_server.url).post(body, "application/x-www-form-urlencoded")
    assert answer.status == 200, answer.body
    assert "P-1" in reply_text(fake_slack.reply(name))
    assert {c.token for c in fake_slack.calls("users.info")} == {token}


def test_a_request_left_when_its_workspace_was_uninstalled_is_answered_through_its_response_url(
    oauth_server: Server, fake_slack: FakeSlack
) -> None:
    # Acknowledged and stored, then the workspace uninstalled before a worker took it: the
    # row is what the listener left (a response_url needs no token to answer).
    team, name = f"T{uuid.uuid4().hex[:10].upper()}", uuid.uuid4().hex
    body = {"team_id": team, "user_id": OWNER, "command": "/pilot", "text": "list",
            "response_url": fake_slack.response_url(name)}  # fmt: skip
    with oauth_server.sessions() as session:
        stored = intake.record(session, intake.NewRequest(
            team_id=team, user_id=OWNER, kind=intake.Kind.COMMAND,
            dedupe_key=f"test:{name}", payload=body, response_url=body["response_url"],
            received_at=datetime.now(UTC),
        ))  # fmt: skip
        session.commit()
    assert stored is not None
    reply = fake_slack.reply(name, timeout=20)
    assert reply.args["text"] == (
        "pilotgate has no installation for this workspace, so nothing was changed. "
        "Ask an admin to install it again."
    )
