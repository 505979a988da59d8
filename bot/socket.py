"""`pilotgate socket`: the same Bolt app over Socket Mode, for development behind a firewall."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """Built from the app itself, so it shares the app's WebClient and SLACK_API_URL."""
    return SocketModeHandler(app, app_token)


def run_socket_mode(app: App, app_token: str, on_stop: Callable[[], None]) -> None:
    handler = socket_mode_handler(app, app_token)
    try:
        handler.start()  # blocks until interrupted
    finally:
        handler.close()
        on_stop()
