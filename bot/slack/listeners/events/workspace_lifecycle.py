"""An uninstall or a token revocation is recorded against the workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack.deps import Deps
from bot.slack.events import forget_installation, mark_workspace, once

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.event("app_uninstalled")
    def app_uninstalled(body: dict[str, Any]) -> None:
        once(
            deps,
            body,
            mark_workspace(str(body["team_id"]), "uninstalled_at"),
            forget_installation(body),
        )

    @listeners.event("tokens_revoked")
    def tokens_revoked(body: dict[str, Any]) -> None:
        once(
            deps,
            body,
            mark_workspace(str(body["team_id"]), "tokens_revoked_at"),
            forget_installation(body),
        )
