"""The one way pilotgate builds a Slack Web API client: through SLACK_API_URL, with retries."""

from __future__ import annotations

import http.client
import json

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings

# A slash command's follow-up must not wait minutes on Slack; the scheduler's outbox retries
# whatever still fails on a later pass.
TIMEOUT_SECONDS = 10
RETRIES = 2

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
            ConnectionErrorRetryHandler(max_retry_count=RETRIES),
            RateLimitErrorRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES),
        ],
    )
