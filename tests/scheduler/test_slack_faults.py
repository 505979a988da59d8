"""Ticks that survive Slack: faults on every Web API method, lost answers, long rate limits,
and a tick process killed mid-delivery. Messages are counted at the fake Slack by the outbox
marker each post carries: every due message must arrive exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from bot.scheduler.runner import tick
from storage import people
from storage.models import DigestSubscription
from storage.models import NotificationStatus
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork
from tests.fakeslack import FakeSlack
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import TEAM
from tests.scheduler.conftest import World
from tests.scheduler.conftest import assert_each_delivered_once
from tests.scheduler.conftest import posted_markers

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
DUE = MONDAY + timedelta(days=1)  # Tuesday 11:00 in Berlin: baseline and RACI nudges are due
# Every way a call to Slack can fail short of a permanent error, a share of calls each.
FAULTS = ("429", "500", "502", "503", "504", "error", "error:ratelimited", "disconnect", "slow")
SLOW_POST = 1.0  # seconds
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def still_open(world: World) -> list[int]:
    waiting = (NotificationStatus.PENDING, NotificationStatus.SENDING)
    return [n.id for n in world.outbox() if n.status in waiting]


def pilotgate_tick(at: datetime, database_url: str, fake: FakeSlack) -> list[str]:
    return [sys.executable, "-m", "bot", "tick", "--at", at.isoformat()]


def environment(database_url: str, fake: FakeSlack) -> dict[str, str]:
    """The real process's environment, aimed at the fake Slack and the test's database."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))}
    return {**inherited, **fake.env(), "DATABASE_URL": database_url}


assert_each_posted_once = assert_each_delivered_once


def nothing_sent_at_due(world: World) -> None:
    """The tick at DUE counts nothing as sent and keeps both nudges to try again (the owner's
    one DM about the pilot carries both)."""
    first = world.tick(DUE)
    assert (first.delivery.sent, first.delivery.retrying) == (0, 2)


def test_pilotgate_tick_rides_out_faults_on_every_slack_method(
    world: World, fake: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    for number in range(1, 21):
        key = world.register(MONDAY, name=f"Pilot {number}")
        # Ten owners, so that several DMs are posted at once.
        owner = f"U0OWN{number % 10}"
        fake.add_user(owner, team_id=TEAM, tz="Europe/Berlin")
        with world.sessions() as session:
            number_is = Pilot.number == int(key.removeprefix("P-"))
            session.execute(update(Pilot).where(number_is).values(owner_id=owner))
            if number % 2:  # half the owners were looked up long ago: Slack is asked again
                people.remember_person(session, TEAM, owner, "Europe/Berlin", False, LONG_AGO)
            session.commit()
    with world.sessions() as session:  # a daily digest at 09:00 UTC, as `/pilot digest` makes
        session.add(DigestSubscription(
            team_id=TEAM, channel_id="C0SPONSORS", frequency="daily", weekday=None,
            time_of_day="09:00", timezone="UTC", subscribed_by=OWNER, subscribed_at=MONDAY,
        ))  # fmt: skip
        session.commit()
    fake.chaos(0.3, seed=7, kinds=FAULTS, retry_after=0, slow_seconds=0.2)
    at = DUE
    for _ in range(16):
        done = subprocess.run(
            pilotgate_tick(at, database_url, fake), cwd=tmp_path,
            env=environment(database_url, fake), capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        if not still_open(world):
            break
        at += timedelta(minutes=15)
    assert len(world.outbox()) == 41  # two nudges for each of twenty pilots, and the digest
    assert_each_posted_once(world, fake)
    faulted = {call.method for call in fake.calls() if call.fault}
    assert {"chat.postMessage", "users.info"} <= faulted
    assert fake.errors == []


def test_a_tick_killed_mid_delivery_holds_nothing_back_two_minutes_on(
    world: World, fake: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    for number in range(8):
        world.register(MONDAY, name=f"Pilot {number}")  # sixteen DMs, one after another
    fake.slow("chat.postMessage", SLOW_POST, times=None)
    log = tmp_path / "tick.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            pilotgate_tick(DUE, database_url, fake), cwd=tmp_path,
            env=environment(database_url, fake), stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            fake.wait_for("chat.postMessage", count=2, timeout=60)
        finally:
            process.kill()  # SIGKILL: nothing of the tick runs on
            process.wait(10)
    claimed = [n for n in world.outbox() if n.status == NotificationStatus.SENDING]
    assert claimed, log.read_text()
    fake.clear_faults()
    time.sleep(SLOW_POST + 0.5)  # a post under way when the tick died lands meanwhile
    # A tick started at once leaves the dead tick's rows alone: its lease still holds...
    assert tick(world.sessions, world.transport, DUE).delivery.sent == 0
    # ...and a tick two minutes on (in lease time) delivers them, none a second time.
    two_minutes_on = datetime.now(UTC) + timedelta(minutes=2)
    later = tick(world.sessions, world.transport, DUE, clock=lambda: two_minutes_on)
    assert later.delivery.sent >= len(claimed) - 1
    assert len(world.outbox()) == 16
    assert_each_posted_once(world, fake)


def test_a_long_retry_after_gives_the_message_back_instead_of_sleeping(
    world: World, fake: FakeSlack
) -> None:
    world.register(MONDAY)
    fake.fail("chat.postMessage", status=429, retry_after=120, times=1)
    nothing_sent_at_due(world)
    assert len(fake.calls("chat.postMessage")) == 1, "the rate limit was not waited out in place"
    waiting = [n for n in world.outbox() if n.status == NotificationStatus.PENDING]
    assert {n.not_before for n in waiting} == {DUE + timedelta(seconds=120)}
    assert {n.attempts for n in waiting} == {0}, "a rate limit brings no message closer to failing"
    assert world.tick(DUE + timedelta(seconds=119)).delivery.sent == 0
    assert world.tick(DUE + timedelta(seconds=120)).delivery.sent == 2
    assert_each_posted_once(world, fake)


def test_a_message_given_back_waits_for_the_next_pass_instead_of_being_held(
    world: World, fake: FakeSlack
) -> None:
    world.register(MONDAY)
    fake.fail("chat.postMessage", status=429, retry_after=0, times=3)  # the one post, thrice
    nothing_sent_at_due(world)
    assert {n.status for n in world.outbox()} == {NotificationStatus.PENDING}
    assert world.tick(DUE + timedelta(seconds=1)).delivery.sent == 2
    assert_each_posted_once(world, fake)


def test_a_post_whose_answer_was_lost_is_looked_for_not_posted_again(
    world: World, fake: FakeSlack
) -> None:
    world.register(MONDAY)
    fake.disconnect("chat.postMessage", deliver=True)  # Slack posts it; the answer is lost
    nothing_sent_at_due(world)
    assert len(posted_markers(fake)) == 1
    # The next pass cannot look (history fails): it must not post blindly either.
    fake.error("conversations.history", error="internal_error")
    assert world.tick(DUE + timedelta(minutes=5)).delivery.retrying == 2
    # The pass after looks, finds the post, and counts both as sent.
    assert world.tick(DUE + timedelta(minutes=30)).delivery.sent == 2
    assert_each_posted_once(world, fake)


def test_when_slack_cannot_say_who_an_owner_is_the_last_zone_known_still_counts(
    world: World, fake: FakeSlack
) -> None:
    with UnitOfWork(world.sessions) as uow:
        people.remember_person(uow.session, TEAM, OWNER, "Asia/Tokyo", False, LONG_AGO)
        uow.commit()
    fake.error("users.info", error="ratelimited", times=None)
    registered = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # Monday 23:30 in Tokyo
    world.register(registered)
    # Tuesday 23:30 in Tokyo (14:30 in UTC, a working hour there): the nudges wait.
    night = world.tick(registered + timedelta(days=1))
    assert (night.plan.recorded, night.delivery.postponed, night.delivery.sent) == (2, 2, 0)
    morning = world.tick(datetime(2026, 3, 4, 0, 0, tzinfo=UTC))  # Wednesday 09:00 in Tokyo
    assert morning.delivery.sent == 2
    assert fake.calls("users.info"), "Slack was asked again, as the cache had gone stale"
    assert_each_posted_once(world, fake)
