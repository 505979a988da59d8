"""The Slack app manifest: valid for Slack, and saying what the product relies on."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

MANIFEST_PATH = Path(__file__).resolve().parents[1] / "manifest.yml"
SCHEMA_NAME = "manifest.schema.1.0.0.json"
# Slack's schema is kept in the repository (see its README), so this test always runs.
SCHEMA_PATH = Path(__file__).resolve().parent / "slack_schemas" / SCHEMA_NAME

# Every bot scope pilotgate asks for. Adding one is a deliberate change: update this set, the
# justifying comment in manifest.yml, and the README.
EXPECTED_BOT_SCOPES = frozenset(
    {
        "commands",  # the /pilot slash command
        "chat:write",  # DMs to owners and sponsors, channel digests
        "im:write",  # conversations.open for those DMs
        "users:read",  # users.info: time zone and admin flag
        "users:read.email",  # users.lookupByEmail: an imported spreadsheet names people by email
        "channels:read",  # conversations.info on a public digest channel
        "groups:read",  # conversations.info on a private digest channel
        "im:history",  # find a DM whose post timed out, instead of sending it twice
        "channels:history",  # the same for a public digest channel
        "groups:history",  # the same for a private digest channel
        "files:write",  # files.getUploadURLExternal: the charts in replies and digest threads
    }
)
REQUIRED_BOT_EVENTS = frozenset({"app_home_opened", "app_uninstalled", "tokens_revoked"})


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def schema_errors(validator: Draft7Validator, document: object) -> list[str]:
    """Every schema error, one readable line each, in a stable order."""
    lines = []
    for error in validator.iter_errors(document):
        where = "/".join(str(part) for part in error.absolute_path) or "<root>"
        lines.append(f"{where}: {error.message}")
    return sorted(lines)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "manifest.yml must be a YAML mapping"
    return loaded


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = load_schema()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


@pytest.fixture
def pilot_command(manifest: dict[str, Any]) -> dict[str, Any]:
    commands = manifest["features"]["slash_commands"]
    matches = [command for command in commands if command.get("command") == "/pilot"]
    assert len(matches) == 1, f"expected exactly one /pilot command, found {commands!r}"
    return matches[0]


def test_manifest_is_valid_against_slack_schema(
    manifest: dict[str, Any], validator: Draft7Validator
) -> None:
    errors = schema_errors(validator, manifest)
    if errors:
        pytest.fail(f"manifest.yml breaks {SCHEMA_NAME}:\n" + "\n".join(errors))


def drop_command(manifest: dict[str, Any]) -> None:
    del manifest["features"]["slash_commands"][0]["command"]


def add_unknown_top_level_key(manifest: dict[str, Any]) -> None:
    manifest["pilotgate_extra"] = True  # the schema's top level has additionalProperties: false


def make_bot_scopes_a_string(manifest: dict[str, Any]) -> None:
    manifest["oauth_config"]["scopes"]["bot"] = "chat:write"


@pytest.mark.parametrize(
    "mutate", [drop_command, add_unknown_top_level_key, make_bot_scopes_a_string]
)
def test_validator_rejects_a_broken_manifest(
    manifest: dict[str, Any],
    validator: Draft7Validator,
    mutate: Callable[[dict[str, Any]], None],
) -> None:
    assert schema_errors(validator, manifest) == [], "the unbroken manifest must be valid"
    broken = copy.deepcopy(manifest)
    mutate(broken)
    assert schema_errors(validator, broken), (
        f"the schema accepted a manifest after {mutate.__name__}"
    )


def test_pilot_command_escapes_and_has_usage_hint(pilot_command: dict[str, Any]) -> None:
    assert pilot_command["should_escape"] is True, "the contract relies on <@U…> and <#C…>"
    assert pilot_command.get("usage_hint", "").strip()
    assert pilot_command.get("description", "").strip()
    for word in ("help", "new", "status", "update", "list", "decide", "digest"):
        assert word in pilot_command["usage_hint"], f"usage hint does not mention {word!r}"


def test_one_request_url_for_commands_interactivity_and_events(
    manifest: dict[str, Any], pilot_command: dict[str, Any]
) -> None:
    settings = manifest["settings"]
    command_url = pilot_command["url"]
    interactivity_url = settings["interactivity"]["request_url"]
    events_url = settings["event_subscriptions"]["request_url"]
    assert settings["interactivity"]["is_enabled"] is True
    assert command_url.startswith("https://")
    assert command_url.endswith("/slack/events")
    assert interactivity_url == command_url
    assert events_url == command_url


def test_oauth_redirect_is_on_the_same_host(
    manifest: dict[str, Any], pilot_command: dict[str, Any]
) -> None:
    host = pilot_command["url"].removesuffix("/slack/events")
    assert manifest["oauth_config"]["redirect_urls"] == [f"{host}/slack/oauth_redirect"]


def test_bot_events_cover_home_and_uninstall(manifest: dict[str, Any]) -> None:
    bot_events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert bot_events >= REQUIRED_BOT_EVENTS, sorted(REQUIRED_BOT_EVENTS - bot_events)


def test_home_tab_and_bot_user(manifest: dict[str, Any]) -> None:
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["bot_user"]["display_name"] == "pilotgate"


def test_background_colour_is_a_hex_colour(manifest: dict[str, Any]) -> None:
    # The schema spells this check "regex" instead of "pattern", so it does not enforce it.
    colour = manifest["display_information"]["background_color"]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", colour), colour


def test_bot_scopes_are_least_privilege(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    bot_scopes = scopes["bot"]
    assert len(bot_scopes) == len(set(bot_scopes)), f"duplicate bot scope in {bot_scopes!r}"
    assert set(bot_scopes) == EXPECTED_BOT_SCOPES, (
        "bot scopes changed: added "
        f"{sorted(set(bot_scopes) - EXPECTED_BOT_SCOPES)}, removed "
        f"{sorted(EXPECTED_BOT_SCOPES - set(bot_scopes))}; a new scope needs a reason"
    )
    assert "chat:write.public" not in bot_scopes, "the bot must be invited to post in a channel"
    assert not scopes.get("user"), "pilotgate acts as a bot only: no user scopes"
    assert not scopes.get("bot_optional")
    assert not scopes.get("user_optional")


def test_the_oauth_install_asks_for_exactly_the_manifests_scopes() -> None:
    from bot.slack.scopes import BOT_SCOPES

    assert set(BOT_SCOPES) == EXPECTED_BOT_SCOPES
