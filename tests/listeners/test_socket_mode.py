"""Socket Mode: the same app, reached over the socket instead of signed HTTP.

There is no Slack to open a socket to here, so this drives what the socket handler does with
each frame (run_bolt_app) and checks the handler is built from the app and its client.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.app import create_app
from bot.app import create_workers
from bot.settings import Settings
from bot.slack.deps import utc_now
from bot.slack.intake import Intake
from bot.socket import socket_mode_handler
from storage import pilots as pilot_store
from tests.fakeslack import FakeSlack

APP_TOKEN = "xapp-made-up-app-token"


@pytest.fixture
def settings(fake: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-made-up",  # type: ignore[arg-type]
        slack_app_token=APP_TOKEN,  # type: ignore[arg-type]
        slack_api_url=fake.api_url,
    )


def test_the_handler_is_built_from_the_app_and_its_client(
    settings: Settings, sessions: sessionmaker[Session], fake: FakeSlack
) -> None:
    app = create_app(settings, sessions, socket_mode=True)
    handler = socket_mode_handler(app, APP_TOKEN)
    assert handler.app is app
    assert handler.client.app_token == APP_TOKEN
    assert handler.client.web_client.base_url == fake.api_url


def test_a_slash_command_over_the_socket_needs_no_signature_and_registers(
    settings: Settings, sessions: sessionmaker[Session], fake: FakeSlack
) -> None:
    executor = ThreadPoolExecutor(4)
    intake = Intake(sessions, utc_now)
    app = create_app(
        settings, sessions, socket_mode=True, listener_executor=executor, intake=intake
    )
    command = {
        "team_id": "T0SOCK", "user_id": "U0ANN", "channel_id": "C1", "command": "/pilot",
        "text": "new Socket drafting", "response_url": fake.response_url("socket"),
        "trigger_id": "t1", "api_app_id": "A0PILOTGATE",
    }  # fmt: skip
    request = SocketModeRequest(
        type="slash_commands", envelope_id=uuid.uuid4().hex, payload=command
    )
    # Leaving the block lets the workers finish the request in hand: the App Home refreshed
    # after the reply must not use the database after the test closed it.
    with create_workers(settings, sessions, app, intake):
        response = run_bolt_app(app, request)
        assert response.status == 200
        executor.shutdown(wait=True)
        [reply] = fake.wait_for("response_url")
    assert "P-1" in str(reply.args)
    with sessions() as session:
        assert [p.name for p in pilot_store.list_pilots(session, "T0SOCK")] == ["Socket drafting"]
