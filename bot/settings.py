"""The one settings object, read from the environment and a `.env` file."""

from __future__ import annotations

import ipaddress
from typing import Any

from pydantic import SecretStr
from pydantic import ValidationError
from pydantic import field_validator
from pydantic import model_validator
from pydantic_settings import BaseSettings
from pydantic_settings import SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.errors import ConfigurationError

TOKEN_PREFIXES = {
    "slack_bot_token": ("xoxb-", "a bot token"),
    "slack_app_token": ("xapp-", "an app-level token"),
}
SUPPORTED_DATABASES = ("sqlite", "postgresql")
LOG_FORMATS = ("text", "json")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///pilotgate.db"
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    log_format: str = "text"
    # The HTTPS proxy in front of `serve`: its X-Forwarded-For names the client.
    trusted_proxy: str | None = None

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError(
                "is not a database URL; use sqlite:///pilotgate.db or "
                "postgresql://user:password@host/dbname"
            ) from None
        if backend not in SUPPORTED_DATABASES:
            raise ValueError(f"uses {backend!r}; pilotgate runs on sqlite or postgresql")
        return value

    @field_validator("slack_bot_token", "slack_app_token")
    @classmethod
    def _token_kind(cls, value: SecretStr | None, info: Any) -> SecretStr | None:
        prefix, kind = TOKEN_PREFIXES[info.field_name]
        if value is not None and not value.get_secret_value().startswith(prefix):
            raise ValueError(f"must be {kind}, starting with {prefix}")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")) or value[-3:] == "://":
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        # slack_sdk joins method names onto the base URL, so it has to end with a slash.
        return value if value.endswith("/") else value + "/"

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in LOG_FORMATS:
            raise ValueError("must be text or json (one JSON object per line)")
        return value.lower()

    @field_validator("trusted_proxy")
    @classmethod
    def _proxy_address(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "*":
            return None if value is None else "*"
        try:
            # Normalised, as the server compares it with the connection's address as text.
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            raise ValueError(
                "must be the IP address the HTTPS proxy connects from, such as 10.0.0.5, "
                "or * when nothing but proxies can reach pilotgate serve"
            ) from None

    @model_validator(mode="after")
    def _oauth_pair(self) -> Settings:
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            missing = (
                "slack_client_secret" if self.slack_client_secret is None else "slack_client_id"
            )
            raise ValueError(
                f"{missing.upper()}: is not set; the OAuth install needs both SLACK_CLIENT_ID "
                "and SLACK_CLIENT_SECRET"
            )
        return self

    @property
    def oauth(self) -> bool:
        """Installed into many workspaces through OAuth, rather than one with a bot token."""
        return self.slack_client_id is not None

    def require(self, *names: str, purpose: str) -> None:
        """Stops with one line when a needed setting is absent; `purpose` says who needs it
        and why, as in "pilotgate serve needs it to verify Slack's requests"."""
        for name in names:
            if getattr(self, name) is None:
                raise ConfigurationError(f"{name.upper()} is not set; {purpose}.")


def load_settings(**overrides: Any) -> Settings:
    """Reads the settings, turning pydantic's report into one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if not first["loc"]:  # a rule across settings names its variable itself
            name, _, message = message.partition(": ")
        else:
            name = str(first["loc"][0]).upper()
        raise ConfigurationError(f"{name} {message}.") from None
