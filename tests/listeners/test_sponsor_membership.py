"""A sponsor deactivated in Slack: learned from a user_change event, shown as a gap naming
them, and refused as the sponsor of a pilot."""

from __future__ import annotations

from storage.models import Person
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import eventually
from tests.listeners.test_pilot_command import SPONSOR
from tests.listeners.test_pilot_command import pilots_of
from tests.listeners.test_pilot_command import reply_text
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack


def deactivate(slack: Slack, server: Server, team: str, user: str) -> None:
    change = {"type": "user_change", "user": {"id": user, "team_id": team, "deleted": True}}
    assert slack.event(change, team=team).status == 200
    eventually(lambda: deactivated(server, team, user), f"{user} was never recorded as deactivated")


def deactivated(server: Server, team: str, user: str) -> bool:
    with server.sessions() as session:
        person = session.get(Person, (team, user))
        return person is not None and person.deactivated


def test_a_deactivated_sponsor_is_a_gap_naming_them(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    gap = f"The sponsor, <@{SPONSOR}>, is no longer a member of the workspace"
    assert gap not in reply_text(run(slack, fake_slack, "status P-1", team=team))
    deactivate(slack, server, team, SPONSOR)
    assert gap in reply_text(run(slack, fake_slack, "status P-1", team=team))


def test_naming_a_deactivated_person_as_sponsor_is_refused(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    deactivate(slack, server, team, SPONSOR)
    reply = run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    assert reply.args["text"] == (
        f"<@{SPONSOR}> is deactivated in Slack; name a sponsor who is still a member."
    )
    (pilot,) = pilots_of(server, team)
    assert pilot.sponsor_id is None


def test_users_info_saying_deactivated_refuses_the_sponsor(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    fake_slack.add_user("U0GONE", team_id=team, deleted=True)
    run(slack, fake_slack, "new Drafting", team=team)
    reply = run(slack, fake_slack, "set P-1 sponsor:<@U0GONE>", team=team)
    assert reply.args["text"] == (
        "<@U0GONE> is deactivated in Slack; name a sponsor who is still a member."
    )
    (pilot,) = pilots_of(server, team)
    assert pilot.sponsor_id is None
