"""The small exception tree of pilotgate.

PilotgateError
├── UserError            one line for the person who asked; nothing was changed
│   ├── InvalidInput     the words were off; the message gives the right form
│   ├── NotFound         no such pilot in this workspace
│   ├── NotAllowed       the person may not change this pilot; says who may
│   └── DatabaseUnavailable  the database did not answer; try again in a few minutes
└── ConfigurationError   a setting is missing or malformed; start-up stops
"""

from __future__ import annotations


class PilotgateError(Exception):
    """Base of every error pilotgate raises on purpose."""


class UserError(PilotgateError):
    """An error whose message is written for the person who caused it."""

    @property
    def message(self) -> str:
        return str(self)


class InvalidInput(UserError):
    pass


class NotFound(UserError):
    pass


class NotAllowed(UserError):
    pass


class ConfigurationError(PilotgateError):
    pass


class DatabaseUnavailable(UserError):
    """The database did not answer (refused, dropped or timed out); nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            "The pilotgate database is not answering right now; nothing was changed. "
            "Try again in a few minutes."
        )
