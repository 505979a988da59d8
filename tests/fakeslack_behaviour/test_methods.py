"""The fake Slack answers the Web API methods pilotgate calls as Slack does, and records each
call (and each response_url post) for the tests to read."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from tests.fakeslack import SPEC_PATH
from tests.fakeslack import FakeSlack
from tests.fakeslack import dm_channel_id
from tests.fakeslack_behaviour.clients import SECTION
from tests.fakeslack_behaviour.clients import TOKEN


def test_serves_on_loopback_with_api_url(fake: FakeSlack) -> None:
    assert fake.api_url == f"http://127.0.0.1:{fake.port}/api/"
    assert fake.url == f"http://127.0.0.1:{fake.port}/"
    assert fake.env()["SLACK_API_URL"] == fake.api_url
    assert SPEC_PATH.is_file(), "the Web API spec should be checked, not skipped"
    assert fake.spec is not None


def test_post_message_with_blocks_is_recorded(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="P-1 is ready", blocks=[SECTION])
    second = client.chat_postMessage(channel="C1", text="again")

    assert first["ok"] is True
    assert first["channel"] == "C1"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"] == [SECTION]
    call = fake.calls("chat.postMessage")[0]
    assert call.token == TOKEN
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.json("blocks") == [SECTION]
    assert call.args["text"] == "P-1 is ready"
    assert [m["text"] for m in fake.messages("C1")] == ["P-1 is ready", "again"]
    assert fake.errors == []


def test_form_encoded_blocks_stay_raw_strings(fake: FakeSlack, client: WebClient) -> None:
    raw = json.dumps([SECTION])
    client.api_call("chat.postMessage", params={"channel": "C1", "text": "t", "blocks": raw})

    (call,) = fake.calls("chat.postMessage")
    assert call.args["blocks"] == raw
    assert call.json("blocks") == [SECTION]
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert fake.errors == []


def test_users_info_for_registered_and_unknown_user(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1", tz="America/New_York", is_admin=True, name="ann")

    user = client.users_info(user="U1")["user"]
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")

    offset = datetime.now(ZoneInfo("America/New_York")).utcoffset()
    assert offset is not None
    assert user["id"] == "U1"
    assert user["team_id"] == "T1"
    assert user["name"] == "ann"
    assert user["tz"] == "America/New_York"
    assert user["tz_offset"] == int(offset.total_seconds())
    assert user["is_admin"] is True
    assert user["is_owner"] is False
    assert user["deleted"] is False
    assert raised.value.response["error"] == "user_not_found"
    assert raised.value.response.status_code == 200
    assert fake.errors == []


def test_views_open_checks_the_modal(fake: FakeSlack, client: WebClient) -> None:
    title = {"type": "plain_text", "text": "Register a pilot"}
    modal = {"type": "modal", "title": title, "blocks": [SECTION]}
    opened = client.views_open(trigger_id="1.2.3", view=modal)
    long_title = {**modal, "title": {"type": "plain_text", "text": "x" * 25}}
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.2.3", view=long_title)

    assert opened["view"]["id"].startswith("V")
    assert opened["view"]["blocks"] == [SECTION]
    assert raised.value.response["error"] == "invalid_arguments"
    assert "/view/title" in raised.value.response["response_metadata"]["messages"][0]
    updated = client.views_update(view_id=opened["view"]["id"], view=modal)
    assert updated["view"]["id"] == opened["view"]["id"]
    assert len(fake.errors) == 1


def test_views_publish_keeps_one_home_per_user(fake: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [SECTION]}

    first = client.views_publish(user_id="U1", view=home)
    second = client.views_publish(user_id="U1", view=home)

    assert first["view"]["id"] == second["view"]["id"]
    assert fake.home_view("U1") == second["view"]
    assert fake.errors == []


def test_conversations_open_and_info(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("C9", "ai-sponsors", is_member=False)
    fake.add_user("U2", deleted=True)

    dm = client.conversations_open(users="U1")["channel"]["id"]
    again = client.conversations_open(users="U1")["channel"]["id"]
    info = client.conversations_info(channel="C9")["channel"]
    with pytest.raises(SlackApiError) as unknown:
        client.conversations_info(channel="C404")
    with pytest.raises(SlackApiError) as not_in:
        client.chat_postMessage(channel="C9", text="digest")
    with pytest.raises(SlackApiError) as disabled:
        client.conversations_open(users="U2")
    posted = client.chat_postMessage(channel="U1", text="nudge")

    assert dm == again == dm_channel_id("U1") == fake.dm_channel("U1")
    assert dm.startswith("D")
    assert info["name"] == "ai-sponsors"
    assert info["is_member"] is False
    assert unknown.value.response["error"] == "channel_not_found"
    assert not_in.value.response["error"] == "not_in_channel"
    assert disabled.value.response["error"] == "user_disabled"
    assert posted["channel"] == dm
    assert fake.errors == []


def test_oauth_install_then_auth_test(fake: FakeSlack) -> None:
    fake.set_installation(team_id="T2", team_name="Beta")
    fake.scopes = fake.scopes | {"team:read"}  # pilotgate never asks for it; this test does
    anonymous = WebClient(base_url=fake.api_url)

    installation = anonymous.oauth_v2_access(client_id="1.2", client_secret="s", code="c")
    bot = WebClient(token=installation["access_token"], base_url=fake.api_url)
    identity = bot.auth_test()

    assert installation["team"] == {"id": "T2", "name": "Beta"}
    assert installation["access_token"].startswith("xoxb-")
    assert identity["team_id"] == "T2"
    assert identity["user_id"] == installation["bot_user_id"]
    assert bot.team_info()["team"]["name"] == "Beta"
    assert fake.errors == []


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    url = fake.response_url("cmd-1")

    response = WebhookClient(url).send(text="P-1 registered", response_type="ephemeral")

    (call,) = fake.wait_for("response_url")
    assert response.status_code == 200
    assert response.body == "ok"
    assert call.args == {"text": "P-1 registered", "response_type": "ephemeral"}
    assert call.path == "/response/cmd-1"
    assert call.ok


def test_wait_for_times_out_with_what_arrived(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()

    started = time.monotonic()
    with pytest.raises(AssertionError) as raised:
        fake.wait_for("chat.postMessage", count=2, timeout=0.2)

    assert time.monotonic() - started < 2
    message = str(raised.value)
    assert "chat.postMessage" in message
    assert "0 arrived" in message
    assert "auth.test" in message


def test_wait_for_returns_calls_made_from_another_thread(
    fake: FakeSlack, client: WebClient
) -> None:
    worker = threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C1", "text": "x"})
    worker.start()
    calls = fake.wait_for("chat.postMessage", timeout=5)
    worker.join()

    assert calls[0].args["channel"] == "C1"


def test_clear_forgets_calls_and_errors(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError):
        client.api_call("chat.update", json={"channel": "C1", "text": "no ts"})

    fake.clear()

    assert fake.calls() == []
    assert fake.errors == []
