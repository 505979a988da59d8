"""The fake Slack fails as Slack does: rate limits with Retry-After, server errors, dropped
and slow connections, seeded chaos, and per-channel and per-team limits on an injected clock."""

from __future__ import annotations

import time
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from tests.fakeslack import FakeSlack
from tests.fakeslack_behaviour.clients import TOKEN
from tests.fakeslack_behaviour.clients import Clock
from tests.fakeslack_behaviour.clients import bare_client


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
