"""An uninstall or a token revocation is recorded against the workspace."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.slack.deps import Deps
from bot.slack.errors import boundary
from bot.slack.events import first_delivery, forget_installation, mark_workspace


def register(app: App, deps: Deps) -> None:
    @app.event("app_uninstalled")
    @boundary
    def app_uninstalled(body: dict[str, Any]) -> None:
        if first_delivery(deps, body):
            mark_workspace(deps, str(body["team_id"]), "uninstalled_at")
            forget_installation(deps, body)

    @app.event("tokens_revoked")
    @boundary
    def tokens_revoked(body: dict[str, Any]) -> None:
        if first_delivery(deps, body):
            mark_workspace(deps, str(body["team_id"]), "tokens_revoked_at")
            forget_installation(deps, body)
