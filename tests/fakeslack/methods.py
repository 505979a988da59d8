"""The answers of the Web API methods pilotgate uses, with realistic bodies; Slack's checks
on what the app sent (Block Kit limits, channel membership, view hashes) included."""

from __future__ import annotations

import copy
from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeslack.blockkit import check_message
from tests.fakeslack.blockkit import check_view
from tests.fakeslack.wire import Invalid
from tests.fakeslack.wire import Request
from tests.fakeslack.wire import lenient
from tests.fakeslack.wire import parsed
from tests.fakeslack.workspace import ID_PATTERN
from tests.fakeslack.workspace import Workspace
from tests.fakeslack.workspace import dm_channel_id


class WebApiMethods(Workspace):
    """One handler per method: request in, Slack's JSON answer out (ok:false included).
    Raises Invalid for a request Slack would reject as malformed."""

    @property
    def url(self) -> str:
        """The server's base URL, for the upload URLs files.getUploadURLExternal hands out."""
        raise NotImplementedError("FakeSlack serves it")

    def _handlers(self) -> Mapping[str, Callable[[Request], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "team.info": self._team_info,
            "oauth.v2.access": self._oauth_v2_access,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }

    def _auth_test(self, request: Request) -> dict[str, Any]:
        identity = self._identity(request.token)
        team = self._team(identity["team_id"])
        answer: dict[str, Any] = {
            "ok": True,
            "url": f"https://{team['domain']}.slack.com/",
            "team": team["name"],
            "user": "pilotgate",
            "team_id": identity["team_id"],
            "user_id": identity["user_id"],
            "bot_id": identity["bot_id"],
            "is_enterprise_install": False,
        }
        if identity.get("enterprise_id"):
            answer["enterprise_id"] = identity["enterprise_id"]
        return answer

    def _message(self, request: Request, ts: str) -> dict[str, Any]:
        args = request.args
        identity = self._identity(request.token)
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "text": args.get("text", ""),
            "user": identity["user_id"],
            "bot_id": identity["bot_id"],
            "app_id": self.app_id,
            "team": identity["team_id"],
            "ts": ts,
        }
        for name in ("blocks", "attachments", "metadata"):
            if args.get(name) not in (None, ""):
                message[name] = lenient(args[name])
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return message

    def _chat_post_message(self, request: Request) -> dict[str, Any]:
        check_message(request.args)
        channel = self._postable(request.args.get("channel"))
        if isinstance(channel, dict):
            return channel
        ts = self._next_ts()
        message = self._message(request, ts)
        self._messages.setdefault(channel, {})[ts] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, request: Request) -> dict[str, Any]:
        check_message(request.args)
        channel = self._postable(request.args.get("channel"))
        if isinstance(channel, dict):
            return channel
        user = self._users.get(str(request.args.get("user")))
        if user is not None and user["deleted"]:
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, request: Request) -> dict[str, Any]:
        args = request.args
        check_message(args)
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        if not ts:
            return {"ok": False, "error": "message_not_found"}
        if not ID_PATTERN.fullmatch(channel) or channel[0] in "UW":
            return {"ok": False, "error": "channel_not_found"}
        stored = self._messages.setdefault(channel, {})
        message = stored.get(ts) or self._message(request, ts)
        message = {**message, "text": args.get("text", message.get("text", ""))}
        for name in ("blocks", "attachments"):
            if args.get(name) not in (None, ""):
                message[name] = lenient(args[name])
        message["edited"] = {"user": self._identity(request.token)["user_id"], "ts": ts}
        stored[ts] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _chat_get_permalink(self, request: Request) -> dict[str, Any]:
        channel = str(request.args.get("channel", ""))
        ts = str(request.args.get("message_ts", ""))
        if not channel or not ts:
            return {"ok": False, "error": "message_not_found"}
        domain = self._team(self._identity(request.token)["team_id"])["domain"]
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _view(
        self, request: Request, raw: Any, view_id: str, kinds: tuple[str, ...]
    ) -> dict[str, Any]:
        if raw in (None, ""):
            raise Invalid("invalid_arguments", "[ERROR] missing required field: view")
        try:
            view = parsed(raw)
        except ValueError as error:
            raise Invalid("invalid_arguments", f"[ERROR] view is not JSON: {error}") from None
        check_view(view, kinds)
        identity = self._identity(request.token)
        previous = self._views.get(view_id, {})
        stored: dict[str, Any] = {
            "id": view_id,
            "team_id": identity["team_id"],
            "type": view["type"],
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", previous.get("external_id", "")),
            "state": {"values": {}},
            "hash": f"{self._ts_base}.{self._next_id('h')}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": previous.get("root_view_id", view_id),
            "previous_view_id": previous.get("previous_view_id"),
            "app_id": self.app_id,
            "app_installed_team_id": identity["team_id"],
            "bot_id": identity["bot_id"],
        }
        for name in ("title", "submit", "close"):
            if name in view:
                stored[name] = view[name]
        self._views[view_id] = stored
        return copy.deepcopy(stored)

    def _views_open(self, request: Request) -> dict[str, Any]:
        view_id = self._next_id("V")
        return {
            "ok": True,
            "view": self._view(request, request.args.get("view"), view_id, ("modal",)),
        }

    def _views_update(self, request: Request) -> dict[str, Any]:
        args = request.args
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (v["id"] for v in self._views.values() if v["external_id"] == args["external_id"]),
                None,
            )
            if view_id is None:
                return {"ok": False, "error": "not_found"}
        if not view_id:
            raise Invalid("invalid_arguments", "[ERROR] either view_id or external_id is required")
        known = self._views.get(str(view_id))
        if args.get("hash") and known is not None and args["hash"] != known["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        return {
            "ok": True,
            "view": self._view(request, args.get("view"), str(view_id), ("modal", "home")),
        }

    def _views_publish(self, request: Request) -> dict[str, Any]:
        user_id = str(request.args.get("user_id") or "")
        if not user_id:
            raise Invalid("invalid_arguments", "[ERROR] missing required field: user_id")
        view_id = self._homes.get(user_id) or self._next_id("V")
        known = self._views.get(view_id)
        hash_ = request.args.get("hash")
        if hash_ and known is not None and hash_ != known["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        view = self._view(request, request.args.get("view"), view_id, ("home",))
        self._homes[user_id] = view_id
        return {"ok": True, "view": view}

    def _users_info(self, request: Request) -> dict[str, Any]:
        user = self._users.get(str(request.args.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        now = datetime.now(ZoneInfo(user["tz"]))
        offset = now.utcoffset()
        answer = copy.deepcopy(user)
        answer["tz_offset"] = int(offset.total_seconds()) if offset is not None else 0
        answer["tz_label"] = now.tzname() or user["tz"]
        answer["updated"] = self._ts_base
        return {"ok": True, "user": answer}

    def _users_lookup_by_email(self, request: Request) -> dict[str, Any]:
        # Slack compares addresses without regard to case, and says `users_not_found`.
        wanted = str(request.args.get("email", "")).lower()
        for user in self._users.values():
            if str(user["profile"].get("email", "")).lower() == wanted:
                return {"ok": True, "user": copy.deepcopy(user)}
        return {"ok": False, "error": "users_not_found"}

    def _stored_messages(self, request: Request) -> tuple[str, list[dict[str, Any]]] | None:
        channel = self._resolve_channel(str(request.args.get("channel", "")))
        if channel is None:
            return None
        keep_metadata = str(request.args.get("include_all_metadata", "")).lower() in {"1", "true"}
        messages = []
        for ts in sorted(self._messages.get(channel, {}), reverse=True):
            message = copy.deepcopy(self._messages[channel][ts])
            if not keep_metadata:
                message.pop("metadata", None)
            messages.append(message)
        return channel, messages

    def _conversations_history(self, request: Request) -> dict[str, Any]:
        """Top-level messages, newest first (metadata only with include_all_metadata)."""
        stored = self._stored_messages(request)
        if stored is None:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(request.args.get("limit") or 100)
        top = [m for m in stored[1] if m.get("thread_ts") in (None, m["ts"])]
        return {"ok": True, "messages": top[:limit], "has_more": len(top) > limit}

    def _conversations_replies(self, request: Request) -> dict[str, Any]:
        """A thread: its parent, then its replies, oldest first."""
        stored = self._stored_messages(request)
        if stored is None:
            return {"ok": False, "error": "channel_not_found"}
        parent = str(request.args.get("ts", ""))
        thread = [m for m in stored[1] if m["ts"] == parent or m.get("thread_ts") == parent]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": sorted(thread, key=lambda m: m["ts"]), "has_more": False}

    def _conversations_open(self, request: Request) -> dict[str, Any]:
        args = request.args
        if args.get("channel"):
            channel = str(args["channel"])
            return {"ok": True, "channel": {"id": channel}}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise Invalid("users_list_not_supplied", "[ERROR] give users or channel")
        if len(users) > 8:
            return {"ok": False, "error": "too_many_users"}
        for user_id in users:
            user = self._users.get(user_id)
            if user is not None and user["deleted"]:
                return {"ok": False, "error": "user_disabled"}
        channel_id = dm_channel_id(*users)
        already = channel_id in self._channels
        if not already:
            self._channels[channel_id] = {
                "id": channel_id,
                "name": "",
                "is_im": len(users) == 1,
                "is_mpim": len(users) > 1,
                "is_channel": False,
                "is_group": False,
                "is_private": True,
                "is_archived": False,
                "is_member": True,
                "is_open": True,
                "user": users[0] if len(users) == 1 else None,
                "created": self._ts_base,
                "context_team_id": self._identity(request.token)["team_id"],
            }
        answer: dict[str, Any] = {"ok": True, "channel": {"id": channel_id}}
        if str(args.get("return_im", "")).lower() in ("1", "true"):
            answer["channel"] = copy.deepcopy(self._channels[channel_id])
        if already:
            answer.update(no_op=True, already_open=True)
        return answer

    def _conversations_info(self, request: Request) -> dict[str, Any]:
        channel = self._channels.get(str(request.args.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": copy.deepcopy(channel)}

    def _team_info(self, request: Request) -> dict[str, Any]:
        team_id = request.args.get("team") or self._identity(request.token)["team_id"]
        team = self._teams.get(str(team_id))
        if team is None:
            return {"ok": False, "error": "team_not_found"}
        return {"ok": True, "team": copy.deepcopy(team)}

    def _oauth_v2_access(self, request: Request) -> dict[str, Any]:
        args = request.args
        client_id = request.basic_auth[0] if request.basic_auth else args.get("client_id")
        secret = request.basic_auth[1] if request.basic_auth else args.get("client_secret")
        if not client_id:
            raise Invalid("invalid_client_id", "[ERROR] no client_id (basic auth or argument)")
        if not secret:
            raise Invalid("bad_client_secret", "[ERROR] no client_secret")
        return copy.deepcopy(self.installation)

    def _files_get_upload_url(self, request: Request) -> dict[str, Any]:
        args = request.args
        missing = [name for name in ("filename", "length") if not args.get(name)]
        if missing:
            raise Invalid(
                "invalid_arguments", *(f"[ERROR] missing required field: {n}" for n in missing)
            )
        file_id = self._next_id("F")
        self._uploads[file_id] = {"filename": args["filename"], "uploaded": False}
        return {"ok": True, "upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, request: Request) -> dict[str, Any]:
        try:
            files = parsed(request.args.get("files", ""))
        except ValueError:
            files = None
        if not isinstance(files, list) or not files:
            raise Invalid("invalid_arguments", "[ERROR] files must be a JSON array")
        done = []
        for item in files:
            file_id = item.get("id") if isinstance(item, dict) else None
            upload = self._uploads.get(str(file_id))
            if upload is None or not upload["uploaded"]:
                raise Invalid("file_not_found", f"[ERROR] file {file_id} was not uploaded")
            done.append({"id": file_id, "title": item.get("title") or upload["filename"]})
        return {"ok": True, "files": done}
