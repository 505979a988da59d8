"""The fake Slack behaves like Slack where pilotgate depends on it.

Every test drives the real slack_sdk WebClient (and its retry handlers) over HTTP.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.error import URLError
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from tests.fakeslack import SPEC_PATH, FakeSlack, dm_channel_id

TOKEN = "xoxb-made-up"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*P-1* is ready"}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(
        token=TOKEN,
        base_url=fake.api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(),
        ],
    )


def bare_client(fake: FakeSlack, **kwargs: Any) -> WebClient:
    """A client that shows every answer as it came (no retries)."""
    return WebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=[], **kwargs)


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


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


def test_429_is_retried_after_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=1)

    started = time.monotonic()
    response = client.chat_postMessage(channel="C1", text="hello")
    elapsed = time.monotonic() - started

    assert response["ok"] is True
    attempts = fake.calls("chat.postMessage")
    assert [(c.status, c.fault) for c in attempts] == [(429, "429"), (200, None)]
    assert attempts[0].response == {"ok": False, "error": "ratelimited"}
    assert len(fake.delivered("chat.postMessage")) == 1
    assert elapsed >= 0.9


def test_429_carries_retry_after_header(fake: FakeSlack) -> None:
    fake.fail(None, status=429, retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        bare_client(fake).auth_test()

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"


def test_500_is_retried(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=500)

    response = client.chat_postMessage(channel="C1", text="hello")

    assert response["ok"] is True
    assert [c.status for c in fake.calls("chat.postMessage")] == [500, 200]


def test_503_answers_an_html_page(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=503)

    with pytest.raises(SlackApiError) as raised:
        bare_client(fake).chat_postMessage(channel="C1", text="hello")

    assert raised.value.response.status_code == 503
    assert "<html>" in fake.calls()[0].response["body"]  # type: ignore[index]


def test_programmed_error_then_normal(fake: FakeSlack, client: WebClient) -> None:
    fake.error("chat.postMessage", "channel_not_found", times=1)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hello")
    client.chat_postMessage(channel="C1", text="hello")

    assert raised.value.response["error"] == "channel_not_found"
    assert raised.value.response.status_code == 200
    assert len(fake.delivered("chat.postMessage")) == 1


def test_dropped_connection_is_retried(fake: FakeSlack) -> None:
    retry = ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))
    client = WebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=[retry])
    fake.disconnect("chat.postMessage")

    client.chat_postMessage(channel="C1", text="hello")

    assert [c.fault for c in fake.calls("chat.postMessage")] == ["disconnect", None]
    assert len(fake.delivered("chat.postMessage")) == 1


def test_slow_answer_times_out_the_client_yet_slack_posted(fake: FakeSlack) -> None:
    fake.slow("chat.postMessage", 0.5)

    with pytest.raises((TimeoutError, URLError)):
        bare_client(fake, timeout=0.1).chat_postMessage(channel="C1", text="hello")

    (call,) = fake.wait_for("chat.postMessage")
    assert call.fault == "slow"
    assert call.ok  # Slack took the message even though the client gave up waiting


def test_missing_required_argument_is_invalid_arguments(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.update", json={"channel": "C1", "text": "edited"})  # no ts

    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response.status_code == 200
    assert len(fake.errors) == 1
    assert "chat.update" in fake.errors[0]
    assert "ts" in fake.errors[0]


def test_unknown_retired_and_newer_methods(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as unknown:
        client.api_call("chat.postMessages", json={"channel": "C1", "text": "x"})
    with pytest.warns(UserWarning, match="deprecated"), pytest.raises(SlackApiError) as retired:
        client.api_call("channels.info", params={"channel": "C1"})
    newer = client.files_getUploadURLExternal(filename="export.csv", length=3)

    assert unknown.value.response["error"] == "unknown_method"
    assert retired.value.response["error"] == "method_deprecated"
    assert newer["upload_url"].startswith(fake.url)
    assert len(fake.errors) == 2


def test_json_body_to_a_form_only_method_is_refused(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1")

    with pytest.raises(SlackApiError) as raised:
        client.api_call("users.info", json={"user": "U1"})

    assert raised.value.response["error"] == "invalid_arguments"
    assert "JSON" in fake.errors[0]


def test_call_without_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake.api_url).api_call("auth.test")

    assert raised.value.response["error"] == "not_authed"
    assert fake.errors


def test_block_kit_limits_are_enforced(fake: FakeSlack, client: WebClient) -> None:
    too_many = [SECTION] * 51
    twice = [{**SECTION, "block_id": "a"}, {**SECTION, "block_id": "a"}]

    for blocks in (too_many, twice):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C1", text="t", blocks=blocks)
        assert raised.value.response["error"] == "invalid_blocks"
    assert len(fake.errors) == 2
    assert fake.delivered("chat.postMessage") == []


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


def chaos_run(seed: int) -> tuple[list[str | None], int, int]:
    with FakeSlack() as fake:
        fake.chaos(0.4, seed=seed, kinds=("429", "500", "error"))
        client = bare_client(fake)
        answered_ok = 0
        for number in range(20):
            try:
                client.chat_postMessage(channel="C1", text=f"message {number}")
                answered_ok += 1
            except SlackApiError:
                pass
        faults = [c.fault for c in fake.calls("chat.postMessage")]
        return faults, answered_ok, len(fake.delivered("chat.postMessage"))


def test_chaos_is_reproducible() -> None:
    faults, answered_ok, delivered = chaos_run(seed=7)
    again, _, _ = chaos_run(seed=7)
    other, _, _ = chaos_run(seed=8)

    assert faults == again
    assert faults != other
    assert 0 < answered_ok < 20
    assert delivered == answered_ok == faults.count(None)
    assert {f for f in faults if f} <= {"chaos:429", "chaos:500", "chaos:error"}


def test_rate_limit_per_channel_with_injected_clock() -> None:
    clock = Clock()
    with FakeSlack(clock=clock) as fake:
        fake.rate_limit(per_channel_per_second=1)
        client = bare_client(fake)

        client.chat_postMessage(channel="C1", text="one")
        clock.now += 0.4
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C1", text="two")
        other_channel = client.chat_postMessage(channel="C2", text="elsewhere")
        clock.now += 0.6
        later = client.chat_postMessage(channel="C1", text="two, later")

        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "1"
        assert other_channel["ok"] is True
        assert later["ok"] is True
        assert len(fake.delivered("chat.postMessage")) == 3


def test_rate_limit_per_team_counts_a_minute() -> None:
    clock = Clock()
    with FakeSlack(clock=clock) as fake:
        fake.rate_limit(per_channel_per_second=None, per_team_per_minute=2)
        client = bare_client(fake)
        client.chat_postMessage(channel="C1", text="one")
        clock.now += 10
        client.chat_postMessage(channel="C2", text="two")
        clock.now += 10

        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C3", text="three")
        clock.now += 40
        client.chat_postMessage(channel="C3", text="three, later")

        assert raised.value.response.headers["Retry-After"] == "40"
        assert [c.status for c in fake.calls()] == [200, 200, 429, 200]


def test_clear_forgets_calls_and_errors(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError):
        client.api_call("chat.update", json={"channel": "C1", "text": "no ts"})

    fake.clear()

    assert fake.calls() == []
    assert fake.errors == []
