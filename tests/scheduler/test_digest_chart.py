"""The portfolio chart in the digest's thread: drawn and uploaded after the digest is out,
shown in an image block in its thread, and replaced by one clear line when Slack will not take
it, without holding the digest back or trying again and again."""

from __future__ import annotations

import contextlib
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import matplotlib.figure
import pytest

from bot.governance.notices import Reason
from bot.scheduler.delivery import deliver
from bot.scheduler.transport import SlackTransport
from bot.services.actors import Actor
from bot.services.subscriptions import subscribe_digest
from storage import schedule
from storage.models import NotificationStatus
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import TEAM
from tests.scheduler.conftest import World

CHANNEL = "C0SPONSORS"
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# Five weeks after registration, the digest's Monday 09:00 UTC.
DIGEST_AT = MONDAY + timedelta(weeks=5)


def subscribe(world: World) -> None:
    with UnitOfWork(world.sessions, actor=OWNER) as uow:
        digest = typed.digest(f"<#{CHANNEL}>", ["weekly", "mon", "09:00"])
        subscribe_digest(uow, Actor(TEAM, OWNER), digest.channel_id, digest.schedule, "UTC",
                         MONDAY)  # fmt: skip


def a_portfolio(world: World) -> None:
    """One pilot registered five weeks before the digest that reads weekly, one that never
    reads (Stalled after two weeks)."""
    key = world.register(MONDAY, metric="tickets", better="lower", threshold="9")
    world.reading(key, "14", MONDAY, kind="baseline")
    for week in range(5):
        world.reading(key, "10", MONDAY + timedelta(weeks=week, hours=1))
    world.register(MONDAY, name="Legal intake")
    subscribe(world)


def in_channel(world: World) -> list[Call]:
    return [call for call in world.sent() if call.args.get("channel") == CHANNEL]


def blocks_of(call: Call) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = call.json("blocks")
    return blocks


def test_the_digest_thread_gets_the_portfolio_chart_after_the_digest(
    world: World, fake: FakeSlack
) -> None:
    a_portfolio(world)
    world.tick(DIGEST_AT)
    digest, chart = in_channel(world)
    assert "thread_ts" not in digest.args
    assert chart.args["thread_ts"] == digest.response["ts"]
    [image] = [block for block in blocks_of(chart) if block["type"] == "image"]
    [completed] = fake.delivered("files.completeUploadExternal")
    assert image["slack_file"]["id"] == completed.response["files"][0]["id"]  # type: ignore[index]
    [asked] = fake.delivered("files.getUploadURLExternal")
    assert int(asked.args["length"]) > 1000  # a real picture
    # This week one pilot is Not ready and one Stalled, as the digest's own counts say.
    assert "this week 1 Not ready, 1 Stalled" in image["alt_text"]
    assert "0 Go · 1 Not ready · 0 No-go · 1 Stalled" in str(blocks_of(digest))
    assert fake.errors == []


def test_a_refused_upload_leaves_one_clear_line_in_the_thread_and_no_retry(
    world: World, fake: FakeSlack
) -> None:
    a_portfolio(world)
    fake.error("files.getUploadURLExternal", "not_allowed_token_type", times=None)
    first = world.tick(DIGEST_AT)
    digest, line = in_channel(world)
    assert line.args["thread_ts"] == digest.response["ts"]
    assert str(line.args["text"]).startswith("The portfolio chart could not be attached this time")
    assert "not_allowed_token_type" in str(line.args["text"])
    assert (first.delivery.failed, first.delivery.retrying) == (0, 0)
    [row] = [n for n in world.outbox() if n.reason == Reason.DIGEST.value]
    assert row.status == NotificationStatus.SENT  # the digest went out; the chart is not retried
    world.tick(DIGEST_AT + timedelta(minutes=1))
    world.tick(DIGEST_AT + timedelta(hours=1))
    assert len(fake.calls("files.getUploadURLExternal")) == 1
    assert len(in_channel(world)) == 2


def test_slack_down_for_the_upload_never_fails_the_digest(world: World, fake: FakeSlack) -> None:
    a_portfolio(world)
    fake.fail("files.completeUploadExternal", status=500, times=None)
    result = world.tick(DIGEST_AT)
    assert (result.delivery.failed, result.delivery.retrying) == (0, 0)
    _digest, line = in_channel(world)
    assert "could not be attached" in str(line.args["text"])
    [row] = [n for n in world.outbox() if n.reason == Reason.DIGEST.value]
    assert row.status == NotificationStatus.SENT


def test_a_deliverer_that_died_after_posting_the_chart_does_not_post_it_twice(
    world: World, fake: FakeSlack
) -> None:
    a_portfolio(world)

    class DiesAfterTheChart(SlackTransport):
        def post(self, team_id: str, channel: str, message: dict[str, Any],
                 thread_ts: str | None, marker: str) -> str:  # fmt: skip
            ts = super().post(team_id, channel, message, thread_ts, marker)
            if marker.endswith(":chart"):
                raise SystemExit("the process was killed")
            return ts

    world.transport = DiesAfterTheChart(fake.client())
    with contextlib.suppress(SystemExit):
        world.tick(DIGEST_AT)
    # Two minutes on in real time, the dead tick's lease has run out: another tick takes it.
    two_minutes_on = datetime.now(UTC) + timedelta(minutes=2)
    deliver(world.sessions, SlackTransport(fake.client()), DIGEST_AT, clock=lambda: two_minutes_on)
    assert len(in_channel(world)) == 2  # the digest and its chart, each once
    [row] = [n for n in world.outbox() if n.reason == Reason.DIGEST.value]
    assert row.status == NotificationStatus.SENT


def test_a_chart_that_cannot_be_drawn_leaves_the_digest_sent_and_its_channel_subscribed(
    world: World, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing fails inside matplotlib (a full disk, a broken font cache): the digest is out, so
    it stays sent, the channel keeps its subscription and nobody is told the digest failed."""
    a_portfolio(world)

    def cannot_draw(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", cannot_draw)
    for minutes in (0, 1, 5, 30, 120, 600):
        world.tick(DIGEST_AT + timedelta(minutes=minutes))
    [digest] = in_channel(world)
    assert "0 Go · 1 Not ready · 0 No-go · 1 Stalled" in str(blocks_of(digest))
    assert fake.calls("files.getUploadURLExternal") == []
    [row] = [n for n in world.outbox() if n.reason == Reason.DIGEST.value]
    assert row.status == NotificationStatus.SENT
    assert [n for n in world.outbox() if n.reason == Reason.DELIVERY_FAILED.value] == []
    with UnitOfWork(world.sessions) as uow:
        subscribed = schedule.subscription(uow.session, TEAM, CHANNEL)
        assert subscribed is not None
        assert subscribed.paused_reason is None
