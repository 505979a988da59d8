"""Owners and sponsors on different clocks, owners whose zone is not known yet, and a pilot
that cannot be planned: nothing due is dropped."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import update

from bot.governance.notices import Reason
from storage.models import Pilot
from tests.fakeslack import FakeSlack
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import SPONSOR
from tests.scheduler.conftest import World


def test_an_overdue_decision_reaches_a_sponsor_on_another_clock(
    world: World, fake: FakeSlack
) -> None:
    fake.add_user(OWNER, tz="Asia/Tokyo")
    fake.add_user(SPONSOR, tz="America/Los_Angeles")
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 10:00 in Tokyo
    key = world.register(start, sponsor=f"<@{SPONSOR}>", **{"decide-by": "2026-03-10"})
    world.reading(key, "1", start, kind="baseline")
    # Tokyo's 11 March begins at 15:00 UTC on the 10th, while it is still the 10th in LA.
    for hours in range(0, 24 * 4, 3):
        world.tick(datetime(2026, 3, 10, 12, 0, tzinfo=UTC) + timedelta(hours=hours))
    overdue = [n for n in world.outbox() if n.reason == Reason.DECISION_OVERDUE.value]
    assert [(n.recipient, n.status) for n in overdue] == [(SPONSOR, "sent")]


def test_an_owner_whose_zone_is_learned_at_planning_gets_the_first_nudges(
    world: World, fake: FakeSlack
) -> None:
    fake.add_user(OWNER, tz="Asia/Tokyo")
    registered = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # Monday 23:30 in Tokyo
    world.register(registered)
    world.tick(registered + timedelta(days=1))  # Tuesday 23:30 Tokyo: waits for the morning
    world.tick(datetime(2026, 3, 4, 0, 0, tzinfo=UTC))  # Wednesday 09:00 in Tokyo
    statuses = {(n.reason, n.period, n.status) for n in world.outbox()}
    assert statuses == {
        (Reason.BASELINE_MISSING.value, "baseline:2026-03-03", "sent"),
        (Reason.RACI_NO_ACCOUNTABLE.value, "raci:2026-03-03", "sent"),
    }


def test_a_pilot_that_cannot_be_planned_does_not_stop_the_others(world: World) -> None:
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    world.register(monday, name="Fine")
    broken = world.register(monday, name="Broken")
    # A date no one can type any more, written before the bound existed.
    with world.sessions() as session:
        session.execute(
            update(Pilot)
            .where(Pilot.number == int(broken[2:]))
            .values(decide_by=date(9999, 12, 31))
        )
        session.commit()
    result = world.tick(monday + timedelta(days=1))
    assert result.delivery.sent == 2
    assert {n.subject for n in world.outbox()} == {"P-1"}


def test_a_sponsor_who_left_slack_is_noticed_at_planning_and_the_owner_decides(
    world: World, fake: FakeSlack
) -> None:
    # No user_change event arrives (the app may have been down): the tick itself asks Slack.
    fake.add_user(OWNER, tz="Europe/Berlin")
    fake.add_user(SPONSOR, tz="America/New_York", deleted=True)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    key = world.register(start, sponsor=f"<@{SPONSOR}>", **{"decide-by": "2026-03-20"})
    world.reading(key, "1", start, kind="baseline")
    for hours in range(0, 24 * 21, 6):
        world.tick(start + timedelta(hours=hours))
    asked = [
        n.recipient
        for n in world.outbox()
        if n.reason in (Reason.DECISION_DUE.value, Reason.DECISION_OVERDUE.value)
    ]
    assert asked
    assert set(asked) == {OWNER}
