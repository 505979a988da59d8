"""A person's account changed in Slack: a deactivated sponsor is a gap on their pilots."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from bot.slack.deps import Deps
from bot.slack.events import once
from bot.slack.events import person_changed

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.event("user_change")
    def user_change(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = event.get("user")
        if not isinstance(user, dict):
            return
        team_id = str(user.get("team_id") or body.get("team_id") or "")
        user_id = str(user.get("id") or "")
        if team_id and user_id:
            deactivated = bool(user.get("deleted"))
            once(deps, body, person_changed(team_id, user_id, deactivated=deactivated))
