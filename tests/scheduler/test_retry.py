"""When a message Slack did not take is tried again: the retry strategy on its own."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot.errors import PermanentError
from bot.errors import TransientError
from bot.errors import UncertainError
from bot.scheduler.retry import RetryStrategy

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
STRATEGY = RetryStrategy()


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, timedelta(minutes=2)),
        (2, timedelta(minutes=4)),
        (3, timedelta(minutes=8)),
        (5, timedelta(minutes=32)),
        (6, timedelta(hours=1)),  # 64 minutes, held to the longest wait
        (7, timedelta(hours=1)),
    ],
)
def test_a_transient_failure_waits_twice_as_long_each_time_up_to_an_hour(
    attempts: int, wait: timedelta
) -> None:
    decision = STRATEGY.decide(attempts, TransientError("internal_error"), NOW)
    assert (decision.retry_at, decision.counts, decision.give_up) == (NOW + wait, True, False)


def test_the_eighth_failed_attempt_gives_up() -> None:
    assert STRATEGY.decide(8, TransientError("internal_error"), NOW).give_up
    assert STRATEGY.decide(8, UncertainError("timeout"), NOW).give_up


def test_a_permanent_failure_gives_up_at_once() -> None:
    assert STRATEGY.decide(1, PermanentError("channel_not_found"), NOW).give_up


@pytest.mark.parametrize("attempts", [1, 8, 50])
def test_a_rate_limit_waits_as_long_as_slack_asked_and_never_gives_up(attempts: int) -> None:
    limited = TransientError("ratelimited", retry_after=timedelta(seconds=120))
    decision = STRATEGY.decide(attempts, limited, NOW)
    assert decision.retry_at == NOW + timedelta(seconds=120)
    assert not decision.counts, "a rate limit must not bring the message closer to failing"


def test_even_retry_after_zero_waits_for_a_later_pass() -> None:
    decision = STRATEGY.decide(1, TransientError("ratelimited", timedelta(0)), NOW)
    assert decision.retry_at is not None
    assert decision.retry_at > NOW


def test_a_timeout_is_retried_like_any_transient_failure() -> None:
    decision = STRATEGY.decide(3, UncertainError("timeout"), NOW)
    assert decision.retry_at == NOW + timedelta(minutes=8)


def test_the_limits_are_the_strategys_own() -> None:
    patient = RetryStrategy(max_attempts=3, first_wait=timedelta(seconds=10),
                            longest_wait=timedelta(seconds=25))  # fmt: skip
    error = TransientError("fatal_error")
    assert patient.decide(1, error, NOW).retry_at == NOW + timedelta(seconds=10)
    assert patient.decide(2, error, NOW).retry_at == NOW + timedelta(seconds=20)
    assert patient.decide(3, error, NOW).give_up
    assert RetryStrategy(longest_wait=timedelta(minutes=3)).decide(
        2, error, NOW
    ).retry_at == NOW + timedelta(minutes=3)
