"""The one way pilotgate builds a Slack Web API client: through SLACK_API_URL, with retries."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.metrics import SLACK_API_ERRORS
from bot.settings import Settings

# A slash command's follow-up must not wait minutes on Slack; the scheduler's outbox retries
# whatever still fails on a later pass.
TIMEOUT_SECONDS = 10
RETRIES = 2


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
            ConnectionErrorRetryHandler(max_retry_count=RETRIES),
            RateLimitErrorRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES),
        ],
    )
