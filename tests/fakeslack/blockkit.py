"""Block Kit rules Slack enforces on messages and views, and slack_sdk does not check for
blocks sent as plain dicts: block counts, text lengths, unique block ids, required parts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.fakeslack.wire import Invalid
from tests.fakeslack.wire import parsed

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40_000


def text_problems(text: Any, limit: int, pointer: str, *, plain_only: bool = False) -> list[str]:
    if not isinstance(text, dict):
        return [f"[ERROR] must be a text object [json-pointer:{pointer}]"]
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if text.get("type") not in allowed:
        return [f"[ERROR] must be one of {list(allowed)} [json-pointer:{pointer}/type]"]
    value = text.get("text")
    if not isinstance(value, str) or not value:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{pointer}/text]"]
    if len(value) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{pointer}/text]"]
    return []


def block_problems(blocks: Any, limit: int, pointer: str) -> list[str]:
    """Block Kit rules Slack enforces and slack_sdk does not (for dict blocks)."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{pointer}]"]
    problems = []
    if len(blocks) > limit:
        problems.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]")
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        at = f"{pointer}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"[ERROR] missing required field: type [json-pointer:{at}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or not 0 < len(block_id) <= 255:
                problems.append(f"[ERROR] must be 1 to 255 characters [json-pointer:{at}/block_id]")
            elif block_id in seen:
                problems.append(f"[ERROR] duplicate block_id [json-pointer:{at}/block_id]")
            else:
                seen.add(block_id)
        kind = block["type"]
        if kind == "section":
            fields = block.get("fields")
            if "text" not in block and not fields:
                problems.append(f"[ERROR] must provide either text or fields [json-pointer:{at}]")
            if "text" in block:
                problems += text_problems(block["text"], 3000, f"{at}/text")
            if fields is not None:
                if not isinstance(fields, list) or len(fields) > 10:
                    problems.append(f"[ERROR] at most 10 fields [json-pointer:{at}/fields]")
                else:
                    for number, item in enumerate(fields):
                        problems += text_problems(item, 2000, f"{at}/fields/{number}")
        elif kind == "header":
            problems += text_problems(block.get("text"), 150, f"{at}/text", plain_only=True)
        elif kind in ("actions", "context"):
            most = 25 if kind == "actions" else 10
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= most:
                problems.append(f"[ERROR] 1 to {most} elements [json-pointer:{at}/elements]")
    return problems


def check_message(args: Mapping[str, Any]) -> None:
    """Slack's checks on a message body (chat.* methods and response_url posts)."""
    present = [n for n in ("text", "blocks", "attachments") if args.get(n) not in (None, "", [])]
    if not present:
        raise Invalid("no_text", "[ERROR] a message needs text, blocks or attachments")
    text = args.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
        raise Invalid("msg_too_long", f"[ERROR] text is over {MESSAGE_TEXT_LIMIT} characters")
    if args.get("attachments") not in (None, ""):
        try:
            attachments = parsed(args["attachments"])
        except ValueError:
            attachments = None
        if not isinstance(attachments, list):
            raise Invalid("invalid_attachments", "[ERROR] attachments must be a JSON array")
        if len(attachments) > 100:
            raise Invalid("too_many_attachments", "[ERROR] no more than 100 attachments")
    if args.get("blocks") in (None, ""):
        return
    try:
        blocks = parsed(args["blocks"])
    except ValueError as error:
        raise Invalid("invalid_blocks_format", f"[ERROR] blocks are not JSON: {error}") from None
    if not isinstance(blocks, list):
        raise Invalid("invalid_blocks_format", "[ERROR] blocks must be an array")
    problems = block_problems(blocks, MESSAGE_BLOCK_LIMIT, "/blocks")
    if problems:
        raise Invalid("invalid_blocks", *problems)


def check_view(view: Any, kinds: tuple[str, ...]) -> None:
    """Slack's checks on a modal or Home tab view (views.* methods)."""
    if not isinstance(view, dict):
        raise Invalid("invalid_arguments", "[ERROR] view must be a JSON object")
    problems = []
    kind = view.get("type")
    if kind not in kinds:
        problems.append(f"[ERROR] type must be one of {list(kinds)} [json-pointer:/view/type]")
    if kind == "modal":
        if "title" not in view:
            problems.append("[ERROR] missing required field: title [json-pointer:/view]")
        for name in ("title", "submit", "close"):
            if name in view:
                problems += text_problems(view[name], 24, f"/view/{name}", plain_only=True)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and "submit" not in view:
            problems.append("[ERROR] a view with input blocks needs submit [json-pointer:/view]")
    problems += block_problems(view.get("blocks"), VIEW_BLOCK_LIMIT, "/view/blocks")
    for name, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        value = view.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            problems.append(
                f"[ERROR] must be a string under {limit + 1} characters [json-pointer:/view/{name}]"
            )
    if problems:
        raise Invalid("invalid_arguments", *problems)
