"""create_app: wires settings, storage and listeners into a Bolt app. Nothing else."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.slack import errors, listeners
from bot.slack.client import web_client
from bot.slack.deps import Deps
from bot.slack.directory import Directory
from bot.slack.installations import DatabaseInstallationStore, DatabaseStateStore
from bot.slack.scopes import BOT_SCOPES
from bot.slack.work import Work

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    work: Work | None = None,
    socket_mode: bool = False,
) -> App:
    """The Bolt app. Over HTTP every request must carry Slack's signature; in Socket Mode
    requests arrive over the authenticated socket instead and carry none."""
    if not settings.oauth:
        settings.require("slack_bot_token", purpose="pilotgate needs it to call Slack")
    secret = ""
    if not socket_mode:
        settings.require(
            "slack_signing_secret", purpose="pilotgate serve needs it to verify Slack's requests"
        )
        assert settings.slack_signing_secret is not None  # narrowed by require()
        secret = settings.slack_signing_secret.get_secret_value()
    oauth = None
    if settings.oauth:
        assert settings.slack_client_secret is not None  # checked with the client id
        oauth = OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret.get_secret_value(),
            scopes=list(BOT_SCOPES),
            installation_store=DatabaseInstallationStore(sessions),
            installation_store_bot_only=True,
            state_store=DatabaseStateStore(sessions),
        )
    app = App(
        signing_secret=secret,
        request_verification_enabled=not socket_mode,
        oauth_settings=oauth,
        client=client or web_client(settings),
        # Checking the token at start-up would make start-up depend on Slack being reachable.
        token_verification_enabled=False,
        listener_executor=listener_executor,
        logger=log,
    )
    deps = Deps(
        sessions=sessions,
        directory=Directory(sessions),
        work=work or Work(),
        reply_hosts=frozenset({"hooks.slack.com", urlsplit(settings.slack_api_url).netloc}),
    )
    app.error(errors.handle_error)
    listeners.register(app, deps)
    return app
