"""A large portfolio stays within Slack's limits; a stopping server finishes what it started."""

from __future__ import annotations

import time
from datetime import UTC
from datetime import datetime
from pathlib import Path

from bot.services import pilots
from bot.services.actors import Actor
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import start_server
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack


def seed(server: Server, team: str, count: int) -> None:
    owner = Actor(team, OWNER)
    now = datetime.now(UTC)
    for number in range(count):
        with UnitOfWork(server.sessions, actor=OWNER) as uow:
            pilot = typed.register(
                f"Pilot number {number} <!channel> & co",
                {"sponsor": "<@U0SPO>", "metric": "handle time"},
            )
            pilots.handle(uow, owner, pilot, now)  # fmt: skip


def test_two_hundred_pilots_fit_the_list_and_the_home_tab(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    seed(server, team, 200)
    reply = run(slack, fake_slack, "list", team=team)
    blocks = reply.args["blocks"]
    assert len(blocks) <= 50
    assert "200" in str(blocks)
    assert "<!channel>" not in str(blocks), "user text is escaped, nobody is pinged"
    event = {"type": "app_home_opened", "user": OWNER, "tab": "home", "channel": "D1",
             "event_ts": f"{time.time():.6f}"}  # fmt: skip
    slack.event(event, team=team)
    [published] = fake_slack.wait_for("views.publish", timeout=15)
    assert len(published.json("view")["blocks"]) <= 100
    # The fake checks Slack's own limits on every call; the fixture asserts it found nothing.


def test_sigterm_lets_work_in_flight_finish(
    fake_slack: FakeSlack, tmp_path: Path, team: str
) -> None:
    database_url = f"sqlite:///{tmp_path / 'p.db'}"
    server = start_server(database_url, fake_slack, tmp_path / "serve.log")
    fake_slack.clear()
    fake_slack.slow("response_url", seconds=1.5)
    answer = Slack(server.url).command("new Slow reply", team=team, user=OWNER,
                                       response_url=fake_slack.response_url("slow"))  # fmt: skip
    assert answer.status == 200
    time.sleep(0.3)  # the ack is back; the reply is still on its way
    server.process.terminate()
    assert server.process.wait(timeout=20) == 0, server.log_text()
    replies = [c for c in fake_slack.calls("response_url") if c.path.endswith("slow")]
    assert len(replies) == 1
    assert "P-1" in str(replies[0].args)
    server.sessions.kw["bind"].dispose()


def test_serve_ticks_in_process_and_posts_a_digest_that_is_due(
    fake_slack: FakeSlack, tmp_path: Path, team: str
) -> None:
    from datetime import timedelta

    from bot.services.subscriptions import subscribe_digest
    from storage.db import create_db_engine
    from storage.db import session_factory
    from storage.migrate import upgrade

    database_url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = create_db_engine(database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    a_minute_ago = (now - timedelta(minutes=1)).strftime("%H:%M")
    with UnitOfWork(sessions, actor=OWNER) as uow:
        pilots.handle(uow, Actor(team, OWNER), typed.register("Drafting"), now - timedelta(days=2))
    with UnitOfWork(sessions, actor=OWNER) as uow:
        digest = typed.digest("<#C0DIGEST>", ["daily", a_minute_ago])
        subscribe_digest(uow, Actor(team, OWNER), digest.channel_id, digest.schedule, "UTC",
                         now - timedelta(days=2))  # fmt: skip
    engine.dispose()
    fake_slack.clear()
    server = start_server(database_url, fake_slack, tmp_path / "serve.log", scheduler=True)
    try:
        deadline = time.monotonic() + 20
        while not [c for c in fake_slack.delivered("chat.postMessage")
                   if c.args.get("channel") == "C0DIGEST"]:  # fmt: skip
            assert time.monotonic() < deadline, server.log_text()
            time.sleep(0.1)
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)
        server.sessions.kw["bind"].dispose()
