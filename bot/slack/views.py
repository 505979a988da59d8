"""Opening a modal from wherever the click came: a message, the App Home, or another modal."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient


def open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    if (body.get("view") or {}).get("type") == "modal":
        # Inside a modal Slack allows a stacked view, not a second one.
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)
