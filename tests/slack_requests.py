"""Requests built the way Slack builds them, signed with the signing secret, sent over HTTP.

Slash commands are form-encoded, interactivity is form-encoded with a `payload=` JSON field,
events are JSON; every one carries X-Slack-Request-Timestamp and an X-Slack-Signature of
`v0:<timestamp>:<body>` under HMAC-SHA256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

SIGNING_SECRET = "made-up-signing-secret-for-tests"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class Slack:
    """Sends signed requests to one pilotgate server as Slack would."""

    def __init__(self, base_url: str, *, secret: str = SIGNING_SECRET) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.secret = secret

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        stamp = int(time.time()) if timestamp is None else timestamp
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": str(stamp),
                "X-Slack-Signature": signature or sign(body, stamp, self.secret),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.read().decode())

    def command(
        self,
        text: str,
        *,
        team: str,
        user: str,
        response_url: str,
        channel: str = "C0GENERAL",
        trigger_id: str | None = None,
        **options: Any,
    ) -> Answer:
        chosen = {"channel_id": channel} | ({"trigger_id": trigger_id} if trigger_id else {})
        body = command_form(text, team=team, user=user, response_url=response_url, **chosen)
        return self.post(body, "application/x-www-form-urlencoded", **options)

    def interaction(self, payload: dict[str, Any], **options: Any) -> Answer:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **options)

    def block_action(
        self,
        action_id: str,
        value: str,
        *,
        team: str,
        user: str,
        response_url: str | None = None,
        container: dict[str, Any] | None = None,
    ) -> Answer:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": team, "domain": "example"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A0PILOTGATE",
            "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
            "container": container or {"type": "message", "is_ephemeral": True},
            "actions": [
                {"type": "button", "action_id": action_id, "block_id": "actions",
                 "value": value, "action_ts": f"{time.time():.6f}"}
            ],
        }  # fmt: skip
        if response_url:
            payload["response_url"] = response_url
        return self.interaction(payload)

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, Any],
        *,
        team: str,
        user: str,
        private_metadata: str = "",
    ) -> Answer:
        payload = view_submission_payload(
            callback_id, values, team=team, user=user, private_metadata=private_metadata
        )
        return self.interaction(payload)

    def event(
        self, event: dict[str, Any], *, team: str, event_id: str | None = None, **options: Any
    ) -> Answer:
        envelope = {
            "token": "deprecated-verification-token",
            "team_id": team,
            "api_app_id": "A0PILOTGATE",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": team,
                    "user_id": "U0BOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        return self.post(json.dumps(envelope).encode(), "application/json", **options)


def view_submission_payload(
    callback_id: str,
    values: dict[str, Any],
    *,
    team: str,
    user: str,
    private_metadata: str = "",
    view_id: str | None = None,
) -> dict[str, Any]:
    """A form as Slack submits it; a fixed `view_id` lets a test deliver the same one twice."""
    return {
        "type": "view_submission",
        "team": {"id": team, "domain": "example"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0PILOTGATE",
        "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
        "view": {
            "id": view_id or f"V{uuid.uuid4().hex[:8].upper()}",
            "team_id": team,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "1.abc",
        },
    }


def post_raw(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """A POST with exactly these headers and no others: unsigned unless they sign it."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.read().decode(errors="replace"))
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.read().decode(errors="replace"))


def command_form(
    text: str | bytes, *, team: str | None, user: str, response_url: str, **fields: str
) -> bytes:
    """A slash command's form body as Slack encodes it; `team=None` leaves team_id out and
    `text` may be bytes that are not UTF-8."""
    values: dict[str, str | bytes] = {
        "token": "deprecated-verification-token",
        "team_domain": "example",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/pilot",
        "text": text,
        "api_app_id": "A0PILOTGATE",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
        **fields,
    }
    if team is not None:
        values["team_id"] = team
    return urllib.parse.urlencode(values).encode()
