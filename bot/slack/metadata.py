"""State carried in a modal's private_metadata or a button's value, as pydantic models.

Slack hands these strings back verbatim, but anyone can forge a payload: they are parsed
strictly, a bad one becomes one line for the person, and the key is always looked up again
within the requesting workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from typing import Literal
from typing import Self

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import ValidationError
from pydantic import field_validator

from bot.errors import InvalidInput
from bot.governance.vocabulary import Decision
from bot.services.commands import PilotKey

KEY_PATTERN = r"^P-[0-9]{1,9}$"


class SlackState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    # What the person is told when Slack hands back something that does not parse.
    stale: ClassVar[str] = "That button or form is out of date; run the command again."
    empty: ClassVar[str] = ""

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls, raw: str | None) -> Self:
        try:
            return cls.model_validate_json(raw or cls.empty)
        except ValidationError:
            raise InvalidInput(cls.stale) from None


def pilot_key(key: str) -> PilotKey:
    """A key the models below already checked against KEY_PATTERN."""
    parsed = PilotKey.parse(key)
    if parsed is None:
        raise InvalidInput(SlackState.stale)
    return parsed


class PilotRef(SlackState):
    """Which pilot a button or modal is about."""

    key: str = Field(pattern=KEY_PATTERN)

    @property
    def pilot(self) -> PilotKey:
        return pilot_key(self.key)


class ListPage(SlackState):
    stale: ClassVar[str] = "That button is out of date; run `/pilot list` again."

    page: int = Field(ge=1, le=10_000)


class ModalContext(SlackState):
    """Where a modal came from, so its result can be shown there: the pilot it is about, and
    the response_url of the command or button that opened it (valid for 30 minutes)."""

    stale: ClassVar[str] = "That form is out of date; run the command again."
    empty: ClassVar[str] = "{}"

    key: str | None = Field(default=None, pattern=KEY_PATTERN)
    response_url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://")
    # The form asks why: a baseline measured again once readings began.
    reason_needed: bool = False
    # The pilot owner's time zone: an extension's new date must be after today there.
    owner_zone: str | None = Field(default=None, max_length=64)

    def require_key(self) -> PilotKey:
        if self.key is None:
            raise InvalidInput(self.stale)
        return pilot_key(self.key)


class SnoozeRef(PilotRef):
    """Snooze a pilot's nudges for one day or one week (the Snooze buttons of a DM)."""

    stale: ClassVar[str] = "That button is out of date; snooze from the latest message."

    days: Literal[1, 7]

    @field_validator("days", mode="before")
    @classmethod
    def _a_whole_number(cls, value: object) -> object:
        # Only the JSON integers 1 and 7: not true, 7.0 or "7".
        if type(value) is not int:
            raise ValueError("days is 1 or 7")
        return value


class DecideRef(PilotRef):
    """A decision proposed by a button (Go / No-go / Extend); its reason is still asked for."""

    stale: ClassVar[str] = (
        "That button is out of date; decide with `/pilot decide <key> go|no-go|extend <why>`."
    )

    decision: Decision


class OverrideRef(SlackState):
    """A go over open gaps that waits for a second person (the Approve / Reject buttons).

    `decided_at` names the pending decision the DM asked about, so a button of an older DM
    cannot approve a newer pending go.
    """

    stale: ClassVar[str] = (
        "That approval is out of date; `/pilot status <key>` shows where the pilot stands."
    )

    key: str = Field(pattern=KEY_PATTERN)
    decided_at: datetime
