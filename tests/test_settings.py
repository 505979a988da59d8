"""Settings: defaults, the .env file, and one clear line for every bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigurationError
from bot.settings import load_settings

VARIABLES = (
    "DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_API_URL", "TRUSTED_PROXY",
)  # fmt: skip


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_defaults_match_the_contract() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///pilotgate.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is None
    assert settings.trusted_proxy is None


def test_values_come_from_the_environment_and_from_a_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=xoxb-made-up-token\nSLACK_SIGNING_SECRET=made-up-secret\n"
    )
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:8123/api")
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-made-up-token"
    assert "made-up-secret" not in repr(settings)
    assert settings.slack_api_url == "http://127.0.0.1:8123/api/"


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    assert load_settings().slack_bot_token is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "DATABASE_URL",
            "mysql://db/pilots",
            "DATABASE_URL uses 'mysql'; pilotgate runs on sqlite or postgresql.",
        ),
        (
            "DATABASE_URL",
            "pilotgate.db",
            "DATABASE_URL is not a database URL; use "
            "sqlite:///pilotgate.db or postgresql://user:password@host/dbname.",
        ),
        (
            "SLACK_BOT_TOKEN",
            "xoxp-user-token",
            "SLACK_BOT_TOKEN must be a bot token, starting with xoxb-.",
        ),
        (
            "SLACK_APP_TOKEN",
            "xoxb-wrong-kind",
            "SLACK_APP_TOKEN must be an app-level token, starting with xapp-.",
        ),
        (
            "SLACK_API_URL",
            "slack.com/api",
            "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/.",
        ),
        (
            "TRUSTED_PROXY",
            "proxy.internal",
            "TRUSTED_PROXY must be the IP address the HTTPS proxy connects from, such as "
            "10.0.0.5, or * when nothing but proxies can reach pilotgate serve.",
        ),
    ],
)
def test_a_malformed_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    assert str(error.value) == message
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("name", "missing"),
    [("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"), ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")],
)
def test_the_oauth_install_needs_both_halves(
    monkeypatch: pytest.MonkeyPatch, name: str, missing: str
) -> None:
    monkeypatch.setenv(name, "made-up-value")
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    assert str(error.value) == (
        f"{missing} is not set; the OAuth install needs both SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET."
    )


def test_both_oauth_halves_make_an_oauth_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "made-up-secret")
    assert load_settings().oauth


def test_a_missing_setting_names_itself_and_its_purpose() -> None:
    with pytest.raises(ConfigurationError) as error:
        load_settings().require("slack_signing_secret", purpose="pilotgate serve needs it")
    assert str(error.value) == "SLACK_SIGNING_SECRET is not set; pilotgate serve needs it."


@pytest.mark.parametrize(
    ("value", "read"), [("10.0.0.5", "10.0.0.5"), (" * ", "*"), ("0:0::1", "::1")]
)
def test_a_trusted_proxy_is_read_as_the_server_compares_it(
    monkeypatch: pytest.MonkeyPatch, value: str, read: str
) -> None:
    monkeypatch.setenv("TRUSTED_PROXY", value)
    assert load_settings().trusted_proxy == read
