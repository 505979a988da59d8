"""The one way pilotgate builds a Slack Web API client: through SLACK_API_URL, with retries
that never sleep for long and never send a request twice that Slack may already have taken."""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from datetime import timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.metrics import SLACK_API_ERRORS
from bot.settings import Settings

# A slash command's follow-up must not wait minutes on Slack; the scheduler's outbox retries
# whatever still fails on a later pass.
TIMEOUT_SECONDS = 10
RETRIES = 2
# A Retry-After up to this long is waited out in place. A longer one is handed back to the
# caller as the error it is (the outbox sets the message aside until then), so no call sleeps
# past a delivery lease or keeps a person waiting.
LONGEST_WAIT = timedelta(seconds=5)

# What a Web API call raises when Slack or the way to it fails: an error answer (ok:false of
# any kind, any HTTP status), a connection refused, cut or timed out, a body that is not JSON.
SLACK_FAILURES: tuple[type[Exception], ...] = (
    SlackClientError,
    OSError,
    http.client.HTTPException,
    json.JSONDecodeError,
)


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    bot_token = token
    if bot_token is None and settings.slack_bot_token is not None:
        bot_token = settings.slack_bot_token.get_secret_value()
    return WebClient(
        token=bot_token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            # First, so it sees every attempt before a retry handler takes it (bot.metrics).
            SLACK_API_ERRORS,
            # Only a request that could not be sent is sent again. Once it went out, a cut
            # connection or a lost answer may hide a message Slack posted: sending it again
            # would post it twice, so that is the caller's call (the outbox looks first).
            ConnectionErrorRetryHandler(max_retry_count=RETRIES, error_types=[URLError]),
            ShortRateLimitRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES),
        ],
    )


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's rate-limit retry, for a Retry-After of at most LONGEST_WAIT only."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        assert response is not None  # a 429 came with an answer
        wait = retry_after(response.headers)
        return wait is None or wait <= LONGEST_WAIT


def retry_after(headers: Mapping[str, str | list[str]]) -> timedelta | None:
    """Slack's Retry-After header (whole seconds), if the answer carries a readable one."""
    for name, value in headers.items():
        if name.lower() != "retry-after":
            continue
        first = value[0] if isinstance(value, list) else value
        try:
            return timedelta(seconds=max(0, int(first)))
        except ValueError:
            return None
    return None
