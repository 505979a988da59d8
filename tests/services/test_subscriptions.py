from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.errors import InvalidInput
from bot.services.actors import Actor
from bot.services.subscriptions import Subscription
from bot.services.subscriptions import subscribe_digest
from storage.models import DigestSubscription
from tests import typed
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import OTHER_TEAM
from tests.services.conftest import Portfolio


def subscribe(
    portfolio: Portfolio, actor: Actor, channel: str, words: list[str], tz: str
) -> Subscription:
    with portfolio.uow(actor) as uow:
        parsed = typed.digest(channel, words)
        return subscribe_digest(uow, actor, parsed.channel_id, parsed.schedule, tz, NOW)


def subscriptions(portfolio: Portfolio) -> list[tuple[str, str, str, int | None, str, str]]:
    with portfolio.sessions() as session:
        rows = session.scalars(select(DigestSubscription).order_by(DigestSubscription.id))
        return [
            (r.team_id, r.channel_id, r.frequency, r.weekday, r.time_of_day, r.timezone)
            for r in rows
        ]


def test_subscribing_twice_changes_the_schedule_of_that_channel(portfolio: Portfolio) -> None:
    first = subscribe(portfolio, ANN, "<#C0SPO|ai-sponsors>", ["weekly"], "Europe/Berlin")
    assert first.schedule.describe() == "every Monday at 09:00"
    subscribe(portfolio, ANN, "<#C0SPO>", ["daily", "08:30"], "America/New_York")
    subscribe(portfolio, OTHER_TEAM, "<#C0SPO>", ["weekly", "fri"], "UTC")
    assert subscriptions(portfolio) == [
        ("T1", "C0SPO", "daily", None, "08:30", "America/New_York"),
        ("T2", "C0SPO", "weekly", 4, "09:00", "UTC"),
    ]


@pytest.mark.parametrize(
    ("channel", "words", "tz", "says"),
    [
        ("#ai-sponsors", ["weekly"], "UTC", "not a channel"),
        ("<#C1>", ["hourly"], "UTC", "not daily or weekly"),
        ("<#C1>", ["daily", "mon"], "UTC", "daily digest has no day"),
        ("<#C1>", ["weekly", "25:00"], "UTC", "not a time of day"),
        ("<#C1>", ["weekly"], "Mars/Olympus", "not a time zone"),
    ],
)
def test_a_bad_subscription_changes_nothing(
    portfolio: Portfolio, channel: str, words: list[str], tz: str, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        subscribe(portfolio, ANN, channel, words, tz)
    assert subscriptions(portfolio) == []
