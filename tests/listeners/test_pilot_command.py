"""`/pilot` end to end: signed requests to `pilotgate serve`, replies through the fake Slack."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy import select

from storage.models import AuditEntry
from storage.models import Pilot
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.slack_requests import Slack
from tests.slack_requests import sign

OWNER = "U0ANN"
SPONSOR = "U0SPO"
STRANGER = "U0XYZ"


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def run(slack: Slack, fake: FakeSlack, text: str, *, team: str, user: str = OWNER) -> Call:
    """Sends a command, checks Slack got its ack, and returns the reply: the ack's own when the
    command was answered there (words that do not parse), else the follow-up."""
    name = uuid.uuid4().hex
    answer = slack.command(text, team=team, user=user, response_url=fake.response_url(name))
    assert answer.status == 200, answer.body
    if answer.json():
        return Call("ack", answer.json(), None, {}, time.monotonic())
    return fake.reply(name)


def reply_text(call: Call) -> str:
    return str(call.args.get("text", "")) + blocks_text(call.args.get("blocks") or [])


def pilots_of(server: Server, team: str) -> list[Pilot]:
    with server.sessions() as session:
        return list(session.scalars(select(Pilot).where(Pilot.team_id == team)))


def audit_count(server: Server, team: str) -> int:
    with server.sessions() as session:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.team_id == team)
        return int(session.scalar(query) or 0)


def test_health_answers_with_the_database(server: Server) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as answer:
        assert answer.status == 200
        assert json.loads(answer.read()) == {"status": "ok", "database": "ok"}


def test_help_lists_every_command_and_field(slack: Slack, fake_slack: FakeSlack, team: str) -> None:
    reply = run(slack, fake_slack, "help", team=team)
    text = reply_text(reply)
    for word in ("/pilot new", "/pilot set", "/pilot decide", "/pilot digest", "decide-by",
                 "eval-bar", "cost-per-unit", "rollback"):  # fmt: skip
        assert word in text
    assert reply.args.get("response_type") == "ephemeral"


def test_register_set_measure_and_read_a_pilot(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    reply = run(slack, fake_slack, 'new "Support reply drafting"', team=team)
    assert "P-1" in reply_text(reply)
    run(slack, fake_slack, f'set P-1 sponsor:<@{SPONSOR}|sam> metric:"handle time" unit:min '
        "better:lower threshold:9.8 decide-by:2030-01-31", team=team)  # fmt: skip
    run(slack, fake_slack, "baseline P-1 14 measured over four weeks", team=team)
    reply = run(slack, fake_slack, "update P-1 9 first week", team=team)
    text = reply_text(reply)
    assert "Not ready" in text
    assert "handle time" in text
    assert "9 min" in text
    assert "14 min" in text
    reply = run(slack, fake_slack, "status p-1", team=team)
    assert "No rollback or kill switch" in reply_text(reply)
    [pilot] = pilots_of(server, team)
    assert (pilot.owner_id, pilot.sponsor_id, pilot.threshold) == (OWNER, SPONSOR, 9.8)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Say what to do"),
        ("launch P-1", "is not a /pilot command"),
        ("status", "needs a pilot key"),
        ('set P-1 metric:"handle time', "A quote is not closed"),
        ("set P-1 colour", "is not field:value"),
        ("x" * 4000, "keep it under 3,000"),
    ],
)
def test_a_malformed_command_is_answered_in_the_ack_and_changes_nothing(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server, text: str, says: str
) -> None:
    answer = slack.command(text, team=team, user=OWNER, response_url=fake_slack.response_url())
    assert answer.status == 200
    body = answer.json()
    assert says in body["text"]
    assert "\n" not in body["text"]
    assert body["response_type"] == "ephemeral"
    assert pilots_of(server, team) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("status P-9", "No pilot P-9 in this workspace"),
        ("update P-1 nine", "`nine` is not a number"),
        ("set P-1 decide-by:2026-02-30", "is a date written YYYY-MM-DD"),
        ("set P-1 colour:blue", "`colour` is not a field"),
        ("set P-1 owner:@ann", "type @ and pick them"),
        ('set P-1 name:"\'; DROP TABLE pilots; --" threshold:🚀', "`threshold` takes a number"),
        ("raci P-1 security A <@U0ANN>", "not a RACI area"),
        ("decide P-1 maybe because", "not a decision"),
        ("digest #general weekly", "not a channel"),
    ],
)
def test_bad_values_get_one_line_and_change_nothing(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server, text: str, says: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    before = audit_count(server, team)
    reply = run(slack, fake_slack, text, team=team)
    assert says in reply.args["text"]
    assert "\n" not in reply.args["text"]
    assert audit_count(server, team) == before
    assert pilots_of(server, team)[0].name == "Drafting"


def test_a_stranger_is_told_who_may_change_the_pilot(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    reply = run(slack, fake_slack, "set P-1 workflow:CRM", team=team, user=STRANGER)
    assert reply.args["text"] == (
        f"You can't change P-1: only its owner <@{OWNER}>, its sponsor <@{SPONSOR}>, "
        "its Accountable people, a workspace admin can."
    )
    assert pilots_of(server, team)[0].workflow is None
    # Reading is open to everyone in the workspace.
    assert "Drafting" in reply_text(run(slack, fake_slack, "status P-1", team=team, user=STRANGER))


def test_a_workspace_admin_may_change_any_pilot(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    admin = f"U{uuid.uuid4().hex[:8].upper()}"
    fake_slack.add_user(admin, team_id=team, is_admin=True)
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, "set P-1 workflow:CRM", team=team, user=admin)
    assert pilots_of(server, team)[0].workflow == "CRM"


def test_two_workspaces_side_by_side_never_see_each_other(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    other = f"T{uuid.uuid4().hex[:10].upper()}"
    fake_slack.add_team(other)
    run(slack, fake_slack, "new Ours", team=team)
    run(slack, fake_slack, "new Theirs", team=other)
    assert "P-1" in reply_text(run(slack, fake_slack, "new Second of ours", team=team)).replace(
        "P-2", "P-1"
    )
    theirs = reply_text(run(slack, fake_slack, "list", team=other))
    assert "Theirs" in theirs
    assert "Ours" not in theirs
    reply = run(slack, fake_slack, "set P-2 workflow:CRM", team=other)
    assert reply.args["text"] == "No pilot P-2 in this workspace; `/pilot list` shows them all."


def test_a_forged_signature_is_refused_and_changes_nothing(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    answer = slack.command(
        "new Forged", team=team, user=OWNER, response_url=fake_slack.response_url(),
        signature="v0=" + "0" * 64,
    )  # fmt: skip
    assert answer.status == 401
    forged_secret = Slack(server.url, secret="not-the-real-secret")
    answer = forged_secret.command("new Forged", team=team, user=OWNER,
                                   response_url=fake_slack.response_url())  # fmt: skip
    assert answer.status == 401
    assert pilots_of(server, team) == []


def test_a_stale_signature_is_refused(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    ten_minutes_ago = int(time.time()) - 600
    answer = slack.command(
        "new Replayed", team=team, user=OWNER, response_url=fake_slack.response_url(),
        timestamp=ten_minutes_ago,
    )  # fmt: skip
    assert answer.status == 401
    assert pilots_of(server, team) == []
    assert sign(b"x", 1) != sign(b"y", 1)  # the helper really signs the body
