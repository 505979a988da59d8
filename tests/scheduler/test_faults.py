"""Delivery under faults, crashes and concurrency: every due message arrives exactly once.

"Exactly once" is counted at the fake Slack: each posted message carries its outbox marker
in its metadata, and every marker must appear in exactly one accepted post.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.governance.notices import Reason
from bot.scheduler.delivery import deliver
from bot.scheduler.planner import plan
from bot.scheduler.runner import tick
from bot.scheduler.transport import SlackTransport
from bot.services.actors import Actor
from bot.services.subscriptions import subscribe_digest
from storage.models import NotificationStatus
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import FakeSlack
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import SPONSOR
from tests.scheduler.conftest import TEAM
from tests.scheduler.conftest import World
from tests.scheduler.conftest import assert_each_delivered_once
from tests.scheduler.conftest import carriers
from tests.scheduler.conftest import posted_markers
from tests.scheduler.conftest import slack_transport

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
DUE = MONDAY + timedelta(days=1)  # Tuesday 11:00 in Berlin: baseline and RACI nudges are due


def open_rows(world: World) -> list[Any]:
    waiting = (NotificationStatus.PENDING, NotificationStatus.SENDING)
    return [n for n in world.outbox() if n.status in waiting]


def register_many(world: World, count: int) -> None:
    for number in range(count):
        world.register(MONDAY, name=f"Pilot {number}")


def test_429s_500s_and_timeouts_still_deliver_each_message_exactly_once(
    world: World, fake: FakeSlack
) -> None:
    register_many(world, 25)
    # A client that gives up after one second, and a Slack that is sometimes slower than that.
    world.transport = SlackTransport(fake.client(retries=2, timeout=1))
    fake.chaos(0.3, seed=11, kinds=("429", "500", "slow"), method="chat.postMessage",
               retry_after=0, slow_seconds=1.3)  # fmt: skip
    at = DUE
    for _ in range(40):
        world.tick(at)
        if not open_rows(world):
            break
        # The ticks' clock jumps half an hour; the real one does not. A post that timed out
        # may still land up to 0.3 s later (1.3 s slow against a 1 s timeout), and a retry
        # looks for it before posting again: give it the moment real time would.
        time.sleep(0.4)
        at += timedelta(minutes=30)
    rows = world.outbox()
    assert len(rows) == 50
    assert_each_delivered_once(world, fake)
    assert len(posted_markers(fake)) == 25, "one DM per pilot, naming both nudges"
    faults = Counter(c.fault for c in fake.calls("chat.postMessage") if c.fault)
    assert faults["chaos:slow"] > 0
    assert faults["chaos:429"] + faults["chaos:500"] > 0


def test_a_tick_killed_half_way_loses_nothing_and_repeats_nothing(
    world: World, fake: FakeSlack
) -> None:
    register_many(world, 10)

    class Dies(SlackTransport):
        posts = 0

        def post(self, team_id: str, channel: str, message: dict[str, Any],
                 thread_ts: str | None, marker: str) -> str:  # fmt: skip
            if Dies.posts == 7:
                raise SystemExit("the process was killed")
            Dies.posts += 1
            return super().post(team_id, channel, message, thread_ts, marker)

    world.transport = Dies(fake.client())
    with contextlib.suppress(SystemExit):
        world.tick(DUE)
    assert len(posted_markers(fake)) == 7
    world.transport = slack_transport(fake)
    # The dead tick's claim still holds for a little while of real time...
    assert world.tick(DUE + timedelta(minutes=1)).delivery.sent == 0
    # ...and two minutes on it has run out, so the rows are free again.
    two_minutes_on = datetime.now(UTC) + timedelta(minutes=2)
    deliver(world.sessions, world.transport, DUE, clock=lambda: two_minutes_on)
    assert len(posted_markers(fake)) == 10  # one DM per pilot
    assert_each_delivered_once(world, fake)
    assert not open_rows(world)


def test_three_ticks_at_once_send_three_hundred_messages_once_each(
    world: World, fake: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    register_many(world, 150)

    def one_tick(_: int) -> None:
        tick(sessions, slack_transport(fake), DUE)

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(one_tick, range(3)))
    assert len(world.outbox()) == 300
    assert len(posted_markers(fake)) == 150  # one DM per pilot
    assert_each_delivered_once(world, fake)


def test_a_person_slack_cannot_find_fails_for_good_and_the_sponsor_is_told(
    world: World, fake: FakeSlack
) -> None:
    world.register(MONDAY, sponsor=f"<@{SPONSOR}>")
    fake.error("chat.postMessage", error="account_inactive", times=1)  # the owner's one DM
    world.tick(DUE)
    failed = [n for n in world.outbox() if n.status == NotificationStatus.FAILED]
    assert {n.last_error for n in failed} == {"account_inactive"}
    world.tick(DUE + timedelta(hours=5))  # 10:00 in New York
    notices = [n for n in world.outbox() if n.reason == Reason.DELIVERY_FAILED.value]
    assert {(n.recipient, n.status) for n in notices} == {(SPONSOR, NotificationStatus.SENT)}
    assert len(world.sent_to(SPONSOR)) == 2
    world.tick(DUE + timedelta(days=1))
    assert all(n.attempts == 1 for n in failed), "never retried"


def test_an_archived_digest_channel_pauses_the_subscription_and_tells_the_subscriber(
    world: World, fake: FakeSlack
) -> None:
    fake.add_channel("C0OLD", name="old-sponsors", is_archived=True)
    world.register(MONDAY)
    with UnitOfWork(world.sessions, actor=OWNER) as uow:
        digest = typed.digest("<#C0OLD>", ["daily", "09:00"])
        subscribe_digest(uow, Actor(TEAM, OWNER), digest.channel_id, digest.schedule, "UTC", MONDAY)
    world.tick(DUE)
    digest = next(n for n in world.outbox() if n.reason == Reason.DIGEST.value)
    assert (digest.status, digest.last_error) == (NotificationStatus.FAILED, "is_archived")
    notice = next(n for n in world.outbox() if n.reason == Reason.DELIVERY_FAILED.value)
    assert notice.recipient == OWNER
    assert notice.status == NotificationStatus.SENT
    world.tick(DUE + timedelta(days=1))
    assert [n.reason for n in world.outbox()].count(Reason.DIGEST.value) == 1, "paused"


def test_slack_rate_limits_are_waited_out_not_dropped(world: World, fake: FakeSlack) -> None:
    register_many(world, 5)
    fake.fail("chat.postMessage", status=429, retry_after=1, times=3)
    world.tick(DUE)
    world.tick(DUE + timedelta(hours=1))
    assert len(posted_markers(fake)) == 5  # one DM per pilot
    assert_each_delivered_once(world, fake)


def test_a_tick_that_outlived_its_lease_does_not_post_what_another_tick_took(
    world: World, fake: FakeSlack
) -> None:
    key = world.register(MONDAY)
    plan(world.sessions, DUE)
    stalled, go_on = threading.Event(), threading.Event()

    class Stalls(SlackTransport):
        """Tick A: it claims both rows, then stalls before its first post."""

        def client(self, team_id: str) -> WebClient | None:
            stalled.set()
            go_on.wait(10)
            return super().client(team_id)

    tick_a = threading.Thread(target=deliver, args=(world.sessions, Stalls(fake.client()), DUE))
    tick_a.start()
    assert stalled.wait(10)
    # Ten minutes later (real time) tick B finds A's lease run out and delivers both.
    later = datetime.now(UTC) + timedelta(minutes=10)
    assert deliver(world.sessions, world.transport, DUE, clock=lambda: later).sent == 2
    # The baseline is recorded: the baseline nudge would no longer be sent now.
    world.reading(key, "14", DUE, kind="baseline")
    # A wakes up and goes on with its rows: its lease is gone, so it neither posts them nor
    # settles them (as cancelled, say) over what B did.
    go_on.set()
    tick_a.join(10)
    assert not tick_a.is_alive()
    assert len(posted_markers(fake)) == 1  # the one DM carrying both
    assert_each_delivered_once(world, fake)


def test_one_persons_messages_go_out_one_after_another_in_order(
    world: World, fake: FakeSlack
) -> None:
    import time

    world.register(MONDAY)  # a day on, its owner is due two DMs at the same moment, one a
    world.register(MONDAY, name="Legal intake")  # pilot

    class SlowFirst(SlackTransport):
        def post(self, team_id: str, channel: str, message: dict[str, Any],
                 thread_ts: str | None, marker: str) -> str:  # fmt: skip
            if not fake.calls("chat.postMessage"):
                time.sleep(0.3)  # the first post is slow; the second must still wait for it
            return super().post(team_id, channel, message, thread_ts, marker)

    world.transport = SlowFirst(fake.client())
    world.tick(DUE)
    posted = [
        str(c.json("metadata")["event_payload"]["id"]) for c in fake.calls("chat.postMessage")
    ]
    rows = sorted(n.id for n in carriers(world.outbox()))
    assert posted == [f"{row}:0" for row in rows]
    assert len(posted) == 2
