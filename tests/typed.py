"""Typed commands written the way people type them, for tests that drive the use cases
directly: `command("update P-1 9 after the macro")` is exactly what `/pilot` would hand in."""

from __future__ import annotations

from typing import get_args

from bot.services import commands
from bot.slack import grammar
from bot.slack.fields import read_changes


def command(text: str) -> commands.Command:
    parsed = grammar.parse(text)
    assert isinstance(parsed, get_args(commands.Command)), f"not a change: {text!r}"
    return parsed


def key(text: str) -> commands.PilotKey:
    parsed = commands.PilotKey.parse(text)
    assert parsed is not None, f"not a key: {text!r}"
    return parsed


def register(name: str, fields: dict[str, str] | None = None) -> commands.Register:
    return commands.Register(name, read_changes(fields or {}))


def set_fields(pilot: str, fields: dict[str, str]) -> commands.SetFields:
    return commands.SetFields(key(pilot), read_changes(fields))


def digest(channel: str, words: list[str]) -> grammar.SubscribeDigest:
    parsed = grammar.parse(" ".join(["digest", channel, *words]))
    assert isinstance(parsed, grammar.SubscribeDigest)
    return parsed
