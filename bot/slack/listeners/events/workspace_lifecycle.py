"""An uninstall or a token revocation is recorded against the workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from bot.slack.deps import Deps
from bot.slack.events import forget_installation
from bot.slack.events import mark_workspace
from bot.slack.events import once

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


# Each event, and the workspace's column that records when it came.
RECORDED_AT = {"app_uninstalled": "uninstalled_at", "tokens_revoked": "tokens_revoked_at"}


def register(listeners: Listeners, deps: Deps) -> None:
    for event, column in RECORDED_AT.items():
        listeners.event(event)(_recorder(deps, column))


def _recorder(deps: Deps, column: str) -> Callable[[dict[str, Any]], None]:
    def record(body: dict[str, Any]) -> None:
        once(deps, body, mark_workspace(str(body["team_id"]), column), forget_installation(body))

    return record
