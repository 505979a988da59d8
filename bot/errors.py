"""The small exception tree of pilotgate.

PilotgateError
├── UserError            one line for the person who asked; nothing was changed
│   ├── InvalidInput     the words were off; the message gives the right form
│   ├── NotFound         no such pilot in this workspace
│   ├── NotAllowed       the person may not change this pilot; says who may
│   └── DatabaseUnavailable  the database did not answer; try again in a few minutes
├── ConfigurationError   a setting is missing or malformed; start-up stops
└── DeliveryError        Slack did not take a scheduled message; the outbox decides what next
    ├── TransientError   try again later (a rate limit, a 5xx, the network)
    │   └── UncertainError  it may have arrived (the answer was lost): look before posting
    └── PermanentError   never going to work as it stands; a person is told instead
"""

from __future__ import annotations

from datetime import timedelta


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


class DeliveryError(PilotgateError):
    """A scheduled message Slack did not take; `error` is Slack's code or what went wrong."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class TransientError(DeliveryError):
    """Try again later; `retry_after` is how long Slack asked to wait, when it said."""

    def __init__(self, error: str, retry_after: timedelta | None = None) -> None:
        super().__init__(error)
        self.retry_after = retry_after


class UncertainError(TransientError):
    """The request may have reached Slack (it timed out, or the answer was lost): look for
    it before posting again."""


class PermanentError(DeliveryError):
    """Never going to work as it stands; tell a person instead."""
