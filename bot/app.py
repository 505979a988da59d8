"""create_app: wires settings, storage and listeners into a Bolt app; create_workers: the
pool that carries out what its listeners stored. Nothing else."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.settings import Settings
from bot.slack import errors
from bot.slack import listeners
from bot.slack.client import web_client
from bot.slack.deps import Deps
from bot.slack.deps import utc_now
from bot.slack.directory import Directory
from bot.slack.installations import DatabaseInstallationStore
from bot.slack.installations import DatabaseStateStore
from bot.slack.installations import clients_for
from bot.slack.intake import Intake
from bot.slack.scopes import BOT_SCOPES
from bot.slack.workers import Workers
from storage.intake import fenced

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    intake: Intake | None = None,
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
        # Listeners only read, store and ack (the work waits in the intake), so Slack gets
        # its answer when the listener returns, on the request's own thread: not after
        # Bolt's 10 ms polls for an ack made on another thread (docs/benchmarks.md).
        process_before_response=True,
        logger=log,
    )
    deps = Deps(
        # The work a worker carries out commits through these: each commit also marks its
        # request applied, so a request taken over after a crash is not carried out twice.
        sessions=fenced(sessions),
        directory=Directory(sessions),
        intake=intake or Intake(sessions, utc_now),
        reply_hosts=frozenset({"hooks.slack.com", urlsplit(settings.slack_api_url).netloc}),
    )
    app.error(errors.handle_error)
    listeners.register(app, deps)
    return app


def create_workers(
    settings: Settings, sessions: sessionmaker[Session], app: App, intake: Intake
) -> Workers:
    """The pool that carries out what `app`'s listeners stored in `intake`; start it with
    `start()` or a `with` block."""
    return Workers(intake, sessions, clients_for(settings, sessions, app.client))
