"""The decision loop's buttons and forms end to end: the Decide form opens only for those
allowed to decide, a go over open gaps is approved from the second person's DM, and the
Complete the pilot form fills every gap it can in one change."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.slack.ids import Action
from bot.slack.ids import Block
from bot.slack.ids import Callback
from bot.slack.metadata import DecideRef
from bot.slack.metadata import OverrideRef
from bot.slack.metadata import PilotRef
from storage.models import Decision as StoredDecision
from storage.models import RaciAssignment
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import eventually
from tests.listeners.test_interactivity import number
from tests.listeners.test_interactivity import opened_view
from tests.listeners.test_interactivity import pilot
from tests.listeners.test_interactivity import state
from tests.listeners.test_interactivity import text
from tests.listeners.test_interactivity import user
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import SPONSOR
from tests.listeners.test_pilot_command import STRANGER
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack


def test_the_decide_form_opens_only_for_someone_allowed_to_decide(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    fake_slack.clear()
    go = DecideRef(key="P-1", decision="go").dump()  # type: ignore[arg-type]
    slack.block_action(Action.DECIDE_GO, go, team=team, user=STRANGER,
                       response_url=fake_slack.response_url("stranger"))  # fmt: skip
    refusal = fake_slack.reply("stranger")
    assert refusal.args["text"].startswith("You can't change P-1: only its owner <@U0ANN>")
    assert fake_slack.calls("views.open") == []
    slack.block_action(Action.DECIDE_GO, go, team=team, user=SPONSOR,
                       response_url=fake_slack.response_url("sponsor"))  # fmt: skip
    assert opened_view(fake_slack)["callback_id"] == Callback.DECIDE


def test_a_go_over_open_gaps_is_approved_from_the_sponsors_dm(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    said = run(slack, fake_slack, "decide P-1 go the numbers can wait", team=team)
    assert "second person's approval" in json.dumps(said.args)
    stored = pilot(server, team)
    assert stored is not None
    assert stored.stage == "proposed"  # not approved yet
    with server.sessions() as session:
        waiting = session.query(StoredDecision).filter_by(pilot_id=stored.id).one()
        decided_at = waiting.decided_at
    ref = OverrideRef(key="P-1", decided_at=decided_at).dump()
    slack.block_action(Action.APPROVE_OVERRIDE, ref, team=team, user=OWNER,
                       response_url=fake_slack.response_url("self"))  # fmt: skip
    assert "never the one who took it" in fake_slack.reply("self").args["text"]
    slack.block_action(Action.APPROVE_OVERRIDE, ref, team=team, user=SPONSOR,
                       response_url=fake_slack.response_url("approve"))  # fmt: skip
    assert "approved for production" in fake_slack.reply("approve").args["text"]
    deadline = time.monotonic() + 5
    while (stored := pilot(server, team)) is not None and stored.stage != "approved":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert stored is not None
    with server.sessions() as session:
        approved = session.query(StoredDecision).filter_by(pilot_id=stored.id).one()
        assert (approved.status, approved.approved_by) == ("approved", SPONSOR)


def test_complete_the_pilot_fills_the_gaps_and_names_one_accountable(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.clear()
    slack.block_action(Action.COMPLETE_PILOT, PilotRef(key="P-1").dump(), team=team,
                       user=OWNER, response_url=fake_slack.response_url("card"))  # fmt: skip
    view = opened_view(fake_slack)
    assert view["callback_id"] == Callback.COMPLETE
    lower: dict[str, Any] = {
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": "Lower"}, "value": "lower"},
    }
    rollback: dict[str, Any] = {
        "type": "radio_buttons",
        "selected_option": {"text": {"type": "plain_text", "text": "Yes"}, "value": "yes"},
    }
    bad = slack.view_submission(
        Callback.COMPLETE, state(eval_bar=number("0")), team=team, user=OWNER,
        private_metadata=view["private_metadata"],
    )  # fmt: skip
    assert Block.EVAL_BAR in bad.json()["errors"]
    good = slack.view_submission(
        Callback.COMPLETE,
        state(metric=text("handle time"), unit=text("min"), better=lower, threshold=number("9.8"),
              workflow=text("Zendesk"), monitoring=text("quality dashboard"),
              rollback=rollback, cost_per_unit=number("0.1"), value_per_unit=number("0.9"),
              volume=number("10000"), currency=text("eur"), accountable=user("U0ACC"),
              runbook={"type": "url_text_input", "value": "https://wiki.example/runbook"}),
        team=team, user=OWNER, private_metadata=view["private_metadata"],
    )  # fmt: skip
    assert good.status == 200
    fake_slack.reply("card")
    stored = pilot(server, team)
    assert stored is not None
    assert (stored.workflow, stored.monitoring, stored.rollback) == (
        "Zendesk", "quality dashboard", True,
    )  # fmt: skip
    assert (stored.metric_name, stored.unit, stored.better, stored.threshold) == (
        "handle time", "min", "lower", 9.8,
    )  # fmt: skip
    assert (stored.volume, stored.currency) == (10000, "EUR")
    assert stored.runbook == "https://wiki.example/runbook"
    with server.sessions() as session:
        accountable = {
            (row.area, row.user_id)
            for row in session.query(RaciAssignment).filter_by(role=RaciRole.ACCOUNTABLE.value)
        }
    assert accountable == {(area.value, "U0ACC") for area in RaciArea}


def test_an_admins_home_is_the_programme_offices_view_of_the_portfolio(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    fake_slack.add_user("U0ADM", team_id=team, is_admin=True)
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, "new Legal intake", team=team)
    fake_slack.clear()
    event = {"type": "app_home_opened", "user": "U0ADM", "channel": "D0ADM", "tab": "home",
             "event_ts": f"{time.time():.6f}"}  # fmt: skip
    assert slack.event(event, team=team).status == 200
    mine = eventually(
        lambda: [c for c in fake_slack.calls("views.publish") if c.args["user_id"] == "U0ADM"],
        "the admin's Home was never published",
    )
    home = json.dumps(mine[-1].json("view"), ensure_ascii=False)
    assert "AI pilot portfolio" in home
    assert "*2 pilots*: 0 Go · 2 Not ready" in home  # pilots the admin holds no role in
