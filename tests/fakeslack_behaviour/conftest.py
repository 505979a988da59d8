"""The fake Slack, fresh for each test, and a client that retries as pilotgate's does.

Every test here drives the real slack_sdk WebClient (and its retry handlers) over HTTP.
"""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from tests.fakeslack import FakeSlack
from tests.fakeslack_behaviour.clients import TOKEN


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
