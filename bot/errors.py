"""The small exception tree of pilotgate.

PilotgateError
├── UserError            one line for the person who asked; nothing was changed
│   ├── InvalidInput     the words were off; the message gives the right form
│   ├── NotFound         no such pilot in this workspace
│   └── NotAllowed       the person may not change this pilot; says who may
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
