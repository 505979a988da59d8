"""A message's blocks read in a terminal: what `pilotgate demo` prints for each DM and digest.

Plain text only, about 88 columns: headers underlined, sections wrapped, fields as
`Label: value`, context lines with a leading `·`, buttons as `[ Record a reading ]`. Markup
is softened the way Slack shows it: `*bold*` loses its stars, `<@U123>` reads `@U123`,
`<#C1|name>` reads `#name`, and `&lt;` `&gt;` `&amp;` are the characters again.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

WIDTH = 88

_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_BULLET = re.compile(r"^(\s*(?:[•◦▪-]|\d+\.)\s+)")


def render_text(message: Mapping[str, Any], width: int = WIDTH) -> str:
    """The message as a person would read it, without markup; blocks apart by blank lines."""
    blocks = message.get("blocks") or []
    if not blocks:
        return _wrap(soften(str(message.get("text") or "")), width)
    parts = [_block(block, width) for block in blocks]
    return "\n\n".join(part for part in parts if part)


def soften(text: str) -> str:
    """mrkdwn to what a reader sees: markup gone, entities back to characters."""
    text = _LINK.sub(_link, text)
    text = _BOLD.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):
        return "@" + label if label else target
    if target.startswith("#"):
        return "#" + label if label else target
    if target.startswith("!"):
        special = target[1:].split("^", 1)[0]
        if label:
            return label
        return "@" + special if special in ("here", "channel", "everyone") else target
    if label:
        return f"{label} ({target})"
    return target


def _block(block: Mapping[str, Any], width: int) -> str:
    kind = block.get("type")
    if kind == "header":
        title = _wrap(_text(block.get("text")), width)
        rule = "=" * min(max(len(line) for line in title.split("\n")), width)
        return f"{title}\n{rule}"
    if kind == "section":
        parts = []
        if block.get("text"):
            parts.append(_wrap(_text(block["text"]), width))
        for field in block.get("fields") or []:
            lines = _text(field).split("\n")
            joined = f"{lines[0]}: {' '.join(lines[1:])}" if len(lines) > 1 else lines[0]
            parts.append(_wrap(joined, width))
        if block.get("accessory"):
            parts.append(_elements([block["accessory"]], width))
        return "\n".join(part for part in parts if part)
    if kind == "context":
        texts = [_text(element) for element in block.get("elements") or []]
        line = " · ".join(text for text in texts if text)
        return _wrap(f"· {line}", width, indent="  ") if line else ""
    if kind == "actions":
        return _elements(block.get("elements") or [], width)
    if kind == "divider":
        return "─" * width
    if kind == "image":
        return f"[image: {block.get('alt_text', '')}]"
    if kind == "input":
        return _wrap(f"{_text(block.get('label'))}: [ … ]", width)
    return ""


def _elements(elements: Sequence[Mapping[str, Any]], width: int) -> str:
    labels = []
    for element in elements:
        text = _text(element.get("text") or element.get("placeholder"))
        if element.get("type") != "button":
            text += " ▾"
        labels.append(f"[ {text} ]")
    lines: list[str] = []
    for label in labels:
        if lines and len(lines[-1]) + 2 + len(label) <= width:
            lines[-1] += "  " + label
        else:
            lines.append(label)
    return "\n".join(lines)


def _text(node: Any) -> str:
    """The readable text of a text object, or of an element that is one."""
    if not isinstance(node, Mapping):
        return ""
    if node.get("type") == "mrkdwn":
        return soften(str(node.get("text", "")))
    if node.get("type") == "plain_text":
        return str(node.get("text", ""))
    if node.get("type") == "image":
        return str(node.get("alt_text", ""))
    return _text(node.get("text"))


def _wrap(text: str, width: int, indent: str = "") -> str:
    """Each line wrapped to `width`; a bulleted line hangs under its bullet."""
    out: list[str] = []
    lines = text.split("\n")
    # In a list of lines (a digest section) a wrapped line hangs, so each item stands out.
    listing = "  " if len(lines) > 2 else ""
    for line in lines:
        if not line.strip():
            out.append("")
            continue
        bullet = _BULLET.match(line)
        hang = indent or (" " * len(bullet.group(1)) if bullet else listing)
        out.extend(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=hang,
                break_on_hyphens=False,
                drop_whitespace=True,
            )
            or [""]
        )
    return "\n".join(out)
