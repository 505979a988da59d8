"""A request delivered twice is carried out once; requests a dead process left behind are
resumed while they can still be answered where they were asked, and settled after that.

The leftovers are written into the database as a process that died would have left them,
with instants in the past, and the running server finds them on its own.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.slack.ids import Callback
from storage.intake import Kind
from storage.intake import Status
from storage.models import IntakeRequest
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import eventually
from tests.listeners.test_intake import pilot_names
from tests.listeners.test_intake import replies
from tests.listeners.test_intake import wait_until
from tests.listeners.test_interactivity import registration
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import reply_text
from tests.slack_requests import Slack
from tests.slack_requests import view_submission_payload

SETTLED = (Status.DONE, Status.FAILED, Status.EXPIRED)


def intake_rows(server: Server, team: str) -> list[IntakeRequest]:
    with server.sessions() as session:
        query = select(IntakeRequest).where(IntakeRequest.team_id == team)
        return list(session.scalars(query.order_by(IntakeRequest.id)))


def settled(server: Server, team: str, count: int) -> bool:
    rows = intake_rows(server, team)
    return len(rows) == count and all(row.status in SETTLED for row in rows)


def wait_until_settled(server: Server, team: str, count: int) -> None:
    wait_until(lambda: settled(server, team, count), 20, server.log_text)


def dms_to(fake: FakeSlack, user_id: str) -> list[Call]:
    return [c for c in fake.calls("chat.postMessage") if c.args.get("channel") == user_id]


def told_by_dm(fake: FakeSlack) -> list[Call]:
    """The owner's DMs, once there are any: a worker settles a request, then tells its author."""
    return eventually(lambda: dms_to(fake, OWNER), "the author was not told by DM")


def test_the_same_command_sent_twice_registers_once(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    name = uuid.uuid4().hex
    for _ in range(2):  # Slack's retry or a replay: same trigger_id, signed anew
        answer = slack.command('new "Told twice"', team=team, user=OWNER,
                               trigger_id="trigger-twice",
                               response_url=fake_slack.response_url(name))  # fmt: skip
        assert (answer.status, answer.body) == (200, "")
    wait_until_settled(server, team, 1)
    assert pilot_names(server, team) == ["Told twice"]
    [reply] = replies(fake_slack, name)
    assert "P-1" in reply_text(reply)


def test_the_same_form_submitted_twice_registers_once(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    values = registration("Submitted twice")
    payload = view_submission_payload(
        Callback.REGISTER.value, values, team=team, user=OWNER, view_id="V0TWICE"
    )
    for _ in range(2):
        assert slack.interaction(payload).status == 200
    wait_until_settled(server, team, 1)
    assert pilot_names(server, team) == ["Submitted twice"]
    [card] = [c for c in dms_to(fake_slack, OWNER) if "Registered" in reply_text(c)]
    assert "P-1" in reply_text(card)


def leave_behind(
    server: Server, team: str, text: str, *, received: timedelta, reply_to: str,
    status: Status = Status.RUNNING, applied: bool = False,
) -> None:  # fmt: skip
    """A `/pilot` request as a process that died `received` after receiving it left it:
    claimed, its lease long run out (or still pending)."""
    at = datetime.now(UTC) - received
    payload: dict[str, Any] = {
        "team_id": team, "user_id": OWNER, "command": "/pilot", "text": text,
        "channel_id": "C0GENERAL", "api_app_id": "A0PILOTGATE",
        "response_url": reply_to, "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
    }  # fmt: skip
    running = status is Status.RUNNING
    with server.sessions() as session:
        session.add(
            IntakeRequest(
                team_id=team, user_id=OWNER, kind=Kind.COMMAND.value,
                dedupe_key=f"command:{payload['trigger_id']}",
                payload=json.loads(json.dumps(payload)), response_url=reply_to, received_at=at,
                status=status.value, attempts=1 if running else 0,
                lease_until=at + timedelta(seconds=10) if running else None,
                claimed_by="gone-host:4242/1" if running else None,
                applied_at=at + timedelta(seconds=1) if applied else None,
            )
        )  # fmt: skip
        session.commit()


def settle_one_left_behind(
    server: Server, fake: FakeSlack, team: str, text: str, *, received: timedelta,
    status: Status = Status.RUNNING,
) -> str:  # fmt: skip
    """Leaves one request behind (see `leave_behind`) and waits until the server has settled
    it; returns the name of the response_url it was asked from."""
    fake.clear()
    name = uuid.uuid4().hex
    leave_behind(server, team, text, received=received, reply_to=fake.response_url(name),
                 status=status)  # fmt: skip
    wait_until_settled(server, team, 1)
    return name


def test_a_request_left_by_a_dead_process_is_carried_out_while_its_reply_can_arrive(
    fake_slack: FakeSlack, team: str, server: Server
) -> None:
    left = 'new "Left running"'
    name = settle_one_left_behind(server, fake_slack, team, left, received=timedelta(minutes=20))
    assert pilot_names(server, team) == ["Left running"]
    [reply] = replies(fake_slack, name)
    assert "P-1" in reply_text(reply)
    assert [row.status for row in intake_rows(server, team)] == [Status.DONE]


def test_a_request_too_old_to_answer_is_expired_and_its_author_told_nothing_changed(
    fake_slack: FakeSlack, team: str, server: Server
) -> None:
    name = settle_one_left_behind(
        server, fake_slack, team, 'new "Too late"', received=timedelta(minutes=31),
        status=Status.PENDING,
    )  # fmt: skip
    assert [row.status for row in intake_rows(server, team)] == [Status.EXPIRED]
    assert pilot_names(server, team) == []
    assert replies(fake_slack, name) == [], "its response_url has run out"
    [dm] = told_by_dm(fake_slack)
    told = reply_text(dm)
    assert '`/pilot new "Too late"`' in told
    assert "timed out" in told
    assert "nothing was changed" in told


def test_a_change_made_before_the_crash_is_answered_never_made_again(
    fake_slack: FakeSlack, team: str, server: Server
) -> None:
    fake_slack.clear()
    recent, old = uuid.uuid4().hex, uuid.uuid4().hex
    # The dead process had registered both (in the same transaction that marked them
    # applied) but answered neither; the test leaves out the pilots themselves, so a second
    # registration would show.
    leave_behind(server, team, 'new "Made once"', received=timedelta(minutes=5),
                 reply_to=fake_slack.response_url(recent), applied=True)  # fmt: skip
    leave_behind(server, team, 'new "Made long ago"', received=timedelta(hours=1),
                 reply_to=fake_slack.response_url(old), applied=True)  # fmt: skip
    wait_until_settled(server, team, 2)
    assert pilot_names(server, team) == []
    assert [row.status for row in intake_rows(server, team)] == [Status.DONE, Status.DONE]
    [note] = replies(fake_slack, recent)
    assert "was carried out" in reply_text(note)
    assert replies(fake_slack, old) == []
    [dm] = told_by_dm(fake_slack)
    assert "was carried out" in reply_text(dm)
    assert "Made long ago" in reply_text(dm)
    time.sleep(0.5)  # nothing more arrives for either
    assert len(replies(fake_slack, recent)) == 1
