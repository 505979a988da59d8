"""When a message that Slack did not take is tried again, or given up on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from bot.errors import DeliveryError
from bot.errors import PermanentError
from bot.errors import TransientError


@dataclass(frozen=True)
class RetryDecision:
    """Try again at `retry_at`, or give up when it is None. `counts` says whether the failed
    attempt counts towards giving up."""

    retry_at: datetime | None
    counts: bool = True

    @property
    def give_up(self) -> bool:
        return self.retry_at is None


@dataclass(frozen=True)
class RetryStrategy:
    """Exponential backoff from `first_wait`, doubling up to `longest_wait`, for at most
    `max_attempts` attempts. A rate limit waits as long as Slack asked and does not count:
    Slack said when, and a busy workspace must not make a message fail for good."""

    max_attempts: int = 8
    first_wait: timedelta = timedelta(minutes=2)
    longest_wait: timedelta = timedelta(hours=1)
    # Even "retry after 0 s" waits for a later pass: the pass that gave a message back must
    # not claim it again (it would hold it, unsent, until the lease ran out).
    shortest_wait: timedelta = timedelta(seconds=1)

    def decide(self, attempts: int, error: DeliveryError, now: datetime) -> RetryDecision:
        """After the `attempts`-th counted attempt failed with `error` at `now`."""
        if isinstance(error, PermanentError):
            return RetryDecision(None)
        if isinstance(error, TransientError) and error.retry_after is not None:
            return RetryDecision(now + max(error.retry_after, self.shortest_wait), counts=False)
        if attempts >= self.max_attempts:
            return RetryDecision(None)
        wait = self.first_wait * 2 ** max(0, attempts - 1)
        return RetryDecision(now + min(wait, self.longest_wait))
