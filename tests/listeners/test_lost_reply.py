"""A change is made and Slack drops its answer: the person is told it was done, by DM, never
that something went wrong (which would have them do it again)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from storage.models import Measurement
from storage.models import Pilot
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import eventually
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack


def wait_until_said(fake: FakeSlack, words: str) -> list[Call]:
    """The owner's DMs that mention `words`, once there is one."""
    return eventually(
        lambda: [
            c for c in fake.calls("chat.postMessage")
            if c.args.get("channel") == OWNER and words in str(c.args.get("text"))
        ],
        f"no DM to the owner about {words!r}", timeout=15,
    )  # fmt: skip


def test_a_reading_whose_answer_slack_drops_is_kept_and_told_by_dm(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.disconnect("response_url", times=None)  # every post to a response_url fails
    try:
        name = uuid.uuid4().hex
        answer = slack.command("update P-1 9", team=team, user=OWNER,
                               response_url=fake_slack.response_url(name))  # fmt: skip
        assert answer.status == 200
        dms = wait_until_said(fake_slack, "update P-1 9")
    finally:
        fake_slack.clear_faults()
    [dm] = dms
    assert str(dm.args["text"]).startswith("Done: `/pilot update P-1 9` of ")
    assert "its answer was lost on its way to Slack" in str(dm.args["text"])
    with server.sessions() as session:
        pilot = session.scalars(select(Pilot).where(Pilot.team_id == team)).one()
        values = session.scalars(select(Measurement.value).where(Measurement.pilot_id == pilot.id))
        assert list(values) == [9]
    said = [str(c.args.get("text")) for c in fake_slack.calls("chat.postMessage")
            if c.args.get("channel") == OWNER]  # fmt: skip
    assert not [text for text in said if "went wrong" in text]
