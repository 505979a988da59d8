"""The Slack workspace the fake stands for: teams, tokens, users, channels, the canned
OAuth install, and what the app left there (messages, views, App Homes, uploads)."""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import time
from typing import Any
from zoneinfo import ZoneInfo

ID_PATTERN = re.compile(r"[CGDUWZ][A-Z0-9]+")


def dm_channel_id(*user_ids: str) -> str:
    """The stable id of the DM (one user) or group DM (several) the fake opens with them."""
    key = ",".join(sorted(user_ids))
    prefix = "D" if len(user_ids) == 1 else "G"
    return prefix + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8].upper()


class Workspace:
    """What Slack knows, set up by a test and changed by the app's calls. Every read and
    write holds `_lock`, which the server also holds while it answers a call."""

    def __init__(self, team_id: str, bot_user_id: str, bot_id: str, app_id: str) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self._lock = threading.RLock()
        self._identities: dict[str, dict[str, Any]] = {}
        self._revoked: dict[str, str] = {}
        self._teams: dict[str, dict[str, Any]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._messages: dict[str, dict[str, dict[str, Any]]] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._homes: dict[str, str] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._counter = 0
        self._ts_base = int(time.time())
        self.add_team(team_id)
        self.installation: dict[str, Any] = {}
        self.set_installation()

    # -- setting it up -----------------------------------------------------------------------

    def add_team(
        self,
        team_id: str,
        name: str | None = None,
        domain: str | None = None,
        enterprise_id: str | None = None,
    ) -> dict[str, Any]:
        team: dict[str, Any] = {
            "id": team_id,
            "name": name or f"Team {team_id}",
            "domain": domain or f"team-{team_id.lower()}",
            "email_domain": "",
            "icon": {"image_default": True},
        }
        if enterprise_id:
            team["enterprise_id"] = enterprise_id
        with self._lock:
            self._teams[team_id] = team
        return team

    def add_token(
        self,
        token: str,
        *,
        team_id: str | None = None,
        user_id: str | None = None,
        bot_id: str | None = None,
        enterprise_id: str | None = None,
    ) -> None:
        """Makes `token` belong to `team_id` (auth.test, team.info and rate limits use it)."""
        team_id = team_id or self.team_id
        with self._lock:
            if team_id not in self._teams:
                self.add_team(team_id, enterprise_id=enterprise_id)
            self._identities[token] = {
                "team_id": team_id,
                "user_id": user_id or self.bot_user_id,
                "bot_id": bot_id or self.bot_id,
                "enterprise_id": enterprise_id,
            }

    def revoke(self, token: str, error: str = "token_revoked") -> None:
        """From now on every call with `token` answers `error` (token_revoked, invalid_auth...)."""
        with self._lock:
            self._revoked[token] = error

    def add_user(
        self,
        user_id: str,
        team_id: str = "T1",
        tz: str = "Europe/Berlin",
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        name: str | None = None,
        *,
        real_name: str | None = None,
        is_primary_owner: bool = False,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        """Registers a user for users.info; `tz_offset` is computed when asked."""
        ZoneInfo(tz)  # fail here, not in the server thread, for an unknown zone
        name = name or user_id.lower()
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "real_name": real_name or name,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": is_primary_owner,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "profile": {
                "real_name": real_name or name,
                "display_name": name,
                "team": team_id,
            },
        }
        with self._lock:
            self._users[user_id] = user
        return copy.deepcopy(user)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        is_member: bool = True,
        is_archived: bool = False,
        is_private: bool = False,
        *,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """Registers a channel for conversations.info and for posting checks.

        Posting to a registered channel the bot is not in answers `not_in_channel` (private:
        `channel_not_found`); to an archived one `is_archived`. Unregistered ids are accepted.
        """
        channel: dict[str, Any] = {
            "id": channel_id,
            "name": name.lstrip("#"),
            "is_channel": not is_private,
            "is_group": is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "is_archived": is_archived,
            "is_member": is_member,
            "is_general": False,
            "created": self._ts_base,
            "context_team_id": team_id or self.team_id,
        }
        with self._lock:
            self._channels[channel_id] = channel
        return copy.deepcopy(channel)

    def add_message(self, channel: str, ts: str, text: str = "", **fields: Any) -> None:
        """Seeds a message (e.g. one a previous run posted) for messages() and chat.update."""
        with self._lock:
            message = {"type": "message", "text": text, "ts": ts, **fields}
            self._messages.setdefault(channel, {})[ts] = message

    def set_installation(
        self,
        *,
        team_id: str = "T1",
        team_name: str | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        installer_user_id: str = "U1",
        bot_token: str | None = None,
        scope: str = "commands,chat:write,im:write,users:read,channels:read,groups:read",
    ) -> dict[str, Any]:
        """Sets the canned oauth.v2.access answer (its bot token then passes auth.test)."""
        key = enterprise_id if is_enterprise_install and enterprise_id else team_id
        token = bot_token or f"xoxb-made-up-{key.lower()}"
        enterprise = (
            {"id": enterprise_id, "name": f"Org {enterprise_id}"} if enterprise_id else None
        )
        team = {"id": team_id, "name": team_name or f"Team {team_id}"}
        installation: dict[str, Any] = {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": installer_user_id},
            "scope": scope,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": self.bot_user_id,
            "team": None if is_enterprise_install else team,
            "enterprise": enterprise,
            "is_enterprise_install": is_enterprise_install,
        }
        with self._lock:
            self.installation = installation
            if team_name is not None or team_id not in self._teams:
                self.add_team(team_id, team["name"], enterprise_id=enterprise_id)
            self.add_token(token, team_id=team_id, enterprise_id=enterprise_id)
        return copy.deepcopy(installation)

    # -- what is there now --------------------------------------------------------------------

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The messages now in `channel` (as updated by chat.update), oldest first."""
        with self._lock:
            found = self._messages.get(channel, {})
            return [copy.deepcopy(found[ts]) for ts in sorted(found, key=float)]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for `user_id`."""
        with self._lock:
            view_id = self._homes.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._views.get(view_id)
            return copy.deepcopy(found) if found else None

    def dm_channel(self, user_id: str) -> str:
        """The id conversations.open answers for a DM with `user_id`."""
        return dm_channel_id(user_id)

    # -- lookups for the method handlers -------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:08d}"

    def _next_ts(self) -> str:
        self._counter += 1
        micros = self._counter * 100
        return f"{self._ts_base + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _identity(self, token: str | None) -> dict[str, Any]:
        known = self._identities.get(token or "")
        if known is not None:
            return known
        return {
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "enterprise_id": None,
        }

    def _team(self, team_id: str) -> dict[str, Any]:
        return self._teams.get(team_id) or self.add_team(team_id)

    def _resolve_channel(self, raw: str) -> str | None:
        """A channel id for an id, a user id (its DM) or a #name; None for an unknown name."""
        if ID_PATTERN.fullmatch(raw):
            return dm_channel_id(raw) if raw[0] in "UW" else raw
        name = raw.lstrip("#")
        for channel in self._channels.values():
            if channel["name"] == name:
                return str(channel["id"])
        return None

    def _postable(self, raw: Any) -> str | dict[str, Any]:
        """The channel id to post into, or the ok:false answer Slack gives."""
        channel = self._resolve_channel(raw) if isinstance(raw, str) else None
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        known = self._channels.get(channel)
        if known is not None:
            if known["is_archived"]:
                return {"ok": False, "error": "is_archived"}
            if not known["is_member"]:
                error = "channel_not_found" if known["is_private"] else "not_in_channel"
                return {"ok": False, "error": error}
        return channel
