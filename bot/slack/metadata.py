"""State carried in a modal's private_metadata or a button's value, as a pydantic model.

Slack hands these strings back verbatim, but anyone can forge a payload: they are parsed
strictly and the key is always looked up again within the requesting workspace.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.errors import InvalidInput
from bot.governance.vocabulary import Decision


class PilotRef(BaseModel):
    """Which pilot a button or modal is about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^P-[0-9]{1,9}$")

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> PilotRef:
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            raise InvalidInput(
                "That button or form is out of date; run the command again."
            ) from None


class ListPage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    page: int = Field(ge=1, le=10_000)

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> ListPage:
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            raise InvalidInput("That button is out of date; run `/pilot list` again.") from None


class ModalContext(BaseModel):
    """Where a modal came from, so its result can be shown there: the pilot it is about, and
    the response_url of the command or button that opened it (valid for 30 minutes)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str | None = Field(default=None, pattern=r"^P-[0-9]{1,9}$")
    response_url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://")

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls, raw: str | None) -> ModalContext:
        try:
            return cls.model_validate_json(raw or "{}")
        except ValidationError:
            raise InvalidInput("That form is out of date; run the command again.") from None


class SnoozeRef(BaseModel):
    """Snooze a pilot's nudges for one day or one week (the Snooze buttons of a DM)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^P-[0-9]{1,9}$")
    days: Literal[1, 7]

    @field_validator("days", mode="before")
    @classmethod
    def _a_whole_number(cls, value: object) -> object:
        # Only the JSON integers 1 and 7: not true, 7.0 or "7".
        if type(value) is not int:
            raise ValueError("days is 1 or 7")
        return value

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> SnoozeRef:
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            raise InvalidInput(
                "That button is out of date; snooze from the latest message."
            ) from None


class DecideRef(BaseModel):
    """A decision proposed by a button (Go / No-go / Extend); its reason is still asked for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^P-[0-9]{1,9}$")
    decision: Decision

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> DecideRef:
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            raise InvalidInput(
                "That button is out of date; decide with `/pilot decide <key> go|no-go|extend "
                "<why>`."
            ) from None
