"""The fake Slack refuses what Slack refuses: missing arguments, unknown or retired methods,
JSON to a form-only method, calls without a token, and blocks over Block Kit's limits."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakeslack import FakeSlack
from tests.fakeslack_behaviour.clients import SECTION


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


def test_a_method_the_app_has_no_scope_for_is_refused_as_slack_does(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.scopes = fake.scopes - {"files:write"}
    with pytest.raises(SlackApiError) as refused:
        client.files_getUploadURLExternal(filename="chart.png", length=10)
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "files:write"
    assert fake.errors == ["files.getUploadURLExternal: missing_scope files:write"]
