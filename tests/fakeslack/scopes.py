"""The bot scopes each Web API method pilotgate calls needs, as Slack's method pages list
them. The fake refuses a call the app's scopes do not allow, as Slack does (`missing_scope`),
so a scope left out of manifest.yml fails the tests instead of the first real install."""

from __future__ import annotations

from collections.abc import Iterable

from bot.slack.scopes import BOT_SCOPES

_HISTORY = frozenset({"channels:history", "groups:history", "im:history", "mpim:history"})
# Any one of a method's scopes allows it; a method not listed needs none (views.*, auth.test).
NEEDS: dict[str, frozenset[str]] = {
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "chat.update": frozenset({"chat:write"}),
    "users.info": frozenset({"users:read"}),
    "users.lookupByEmail": frozenset({"users:read.email"}),
    "conversations.open": frozenset({"im:write", "mpim:write", "channels:manage"}),
    "conversations.info": frozenset({"channels:read", "groups:read", "im:read", "mpim:read"}),
    "conversations.history": _HISTORY,
    "conversations.replies": _HISTORY,
    "team.info": frozenset({"team:read"}),
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
}
GRANTED = frozenset(BOT_SCOPES)


def missing_scope(method: str, granted: Iterable[str]) -> str | None:
    """The scopes `method` needs, comma-separated, when none of them is granted."""
    needed = NEEDS.get(method, frozenset())
    if not needed or needed & set(granted):
        return None
    return ",".join(sorted(needed))
