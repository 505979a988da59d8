"""Modals, buttons, the App Home and events, end to end over HTTP."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.slack.ids import INPUT
from bot.slack.ids import Action
from bot.slack.ids import Block
from bot.slack.ids import Callback
from bot.slack.metadata import PilotRef
from storage.models import Pilot
from storage.models import Workspace
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import SPONSOR
from tests.listeners.test_pilot_command import STRANGER
from tests.listeners.test_pilot_command import reply_text
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack


def state(**values: dict[str, Any]) -> dict[str, Any]:
    return {block: {INPUT: element} for block, element in values.items()}


def text(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def number(value: str) -> dict[str, Any]:
    return {"type": "number_input", "value": value}


def user(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def choice(value: str, kind: str = "static_select") -> dict[str, Any]:
    return {
        "type": kind,
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def date(value: str) -> dict[str, Any]:
    return {"type": "datepicker", "selected_date": value}


def registration(name: str) -> dict[str, Any]:
    """A registration form filled in completely, for a pilot called `name`."""
    return state(
        name=text(name), owner=user(OWNER), sponsor=user(SPONSOR),
        metric=text("handle time"), unit=text("min"), better=choice("lower"),
        threshold=number("8"), decide_by=date("2030-03-31"), cadence=choice("weekly"),
    )  # fmt: skip


def opened_view(fake: FakeSlack, method: str = "views.open") -> dict[str, Any]:
    [call] = fake.wait_for(method, timeout=10)
    view: dict[str, Any] = call.json("view")
    return view


def pilot(server: Server, team: str, number: int = 1) -> Pilot | None:
    with server.sessions() as session:
        return session.scalars(
            select(Pilot).where(Pilot.team_id == team, Pilot.number == number)
        ).one_or_none()


def test_the_registration_modal_round_trip(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    origin = uuid.uuid4().hex
    answer = slack.command(
        "new", team=team, user=OWNER, response_url=fake_slack.response_url(origin)
    )
    assert answer.status == 200
    view = opened_view(fake_slack)
    assert view["callback_id"] == Callback.REGISTER
    assert {b.get("block_id") for b in view["blocks"]} >= {Block.NAME, Block.OWNER, Block.THRESHOLD}

    bad = slack.view_submission(
        Callback.REGISTER,
        state(name=text(""), threshold=number("nine"), decide_by=date("2026-02-30")),
        team=team, user=OWNER, private_metadata=view["private_metadata"],
    )  # fmt: skip
    assert bad.status == 200
    errors = bad.json()["errors"]
    assert bad.json()["response_action"] == "errors"
    assert set(errors) == {Block.NAME, Block.THRESHOLD, Block.DECIDE_BY}
    assert pilot(server, team) is None

    good = slack.view_submission(
        Callback.REGISTER,
        state(
            name=text("Legal intake triage"), owner=user(OWNER), sponsor=user(SPONSOR),
            workflow=text("matter intake"), metric=text("triage accuracy"), unit=text("%"),
            better=choice("higher"), threshold=number("90"), decide_by=date("2030-03-31"),
            cadence=choice("biweekly"),
        ),
        team=team, user=OWNER, private_metadata=view["private_metadata"],
    )  # fmt: skip
    assert good.status == 200
    assert good.body in ("", "{}") or good.json() in (None, {})
    reply = fake_slack.reply(origin)
    assert "P-1" in reply_text(reply)
    registered = pilot(server, team)
    assert registered is not None
    assert (registered.name, registered.sponsor_id, registered.better) == (
        "Legal intake triage", SPONSOR, "higher",
    )  # fmt: skip
    assert registered.cadence == "biweekly"
    assert str(registered.decide_by) == "2030-03-31"


def test_record_a_reading_from_the_status_card_button(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    card = run(slack, fake_slack, 'set P-1 metric:"handle time" unit:min', team=team)
    buttons = [
        element
        for block in card.args["blocks"] if block["type"] == "actions"
        for element in block["elements"]
    ]  # fmt: skip
    record = next(b for b in buttons if b["action_id"] == Action.RECORD_READING)
    assert PilotRef.load(record["value"]).key == "P-1"

    origin = uuid.uuid4().hex
    fake_slack.clear()
    answer = slack.block_action(
        Action.RECORD_READING, record["value"], team=team, user=OWNER,
        response_url=fake_slack.response_url(origin),
    )  # fmt: skip
    assert answer.status == 200
    view = opened_view(fake_slack)
    assert view["callback_id"] == Callback.RECORD_READING

    metadata = view["private_metadata"]
    bad = slack.view_submission(
        Callback.RECORD_READING, state(value=number("abc")), team=team, user=OWNER,
        private_metadata=metadata,
    )  # fmt: skip
    assert bad.json()["errors"] == {Block.VALUE: "Enter a number, like 9.8."}

    good = slack.view_submission(
        Callback.RECORD_READING, state(value=number("11.5"), note=text("week one")),
        team=team, user=OWNER, private_metadata=view["private_metadata"],
    )  # fmt: skip
    assert good.status == 200
    reply = fake_slack.reply(origin)
    assert reply.args["replace_original"] is True
    assert "11.5 min" in reply_text(reply)
    stored = pilot(server, team)
    assert stored is not None
    assert stored.stage == "piloting"


def test_the_decide_button_appears_for_owner_and_sponsor_only(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)

    def action_ids(user_id: str) -> set[str]:
        card = run(slack, fake_slack, "status P-1", team=team, user=user_id)
        return {
            element["action_id"]
            for block in card.args["blocks"] if block["type"] == "actions"
            for element in block["elements"]
        }  # fmt: skip

    assert Action.DECIDE in action_ids(OWNER)
    assert Action.DECIDE in action_ids(SPONSOR)
    assert Action.DECIDE not in action_ids(STRANGER)


def test_deciding_through_the_modal_records_the_decision(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.clear()
    slack.block_action(Action.DECIDE, PilotRef(key="P-1").dump(), team=team, user=OWNER,
                       response_url=fake_slack.response_url("decide"))  # fmt: skip
    view = opened_view(fake_slack)
    assert view["callback_id"] == Callback.DECIDE
    missing = slack.view_submission(
        Callback.DECIDE, state(decision=choice("go", "radio_buttons")), team=team, user=OWNER,
        private_metadata=view["private_metadata"],
    )  # fmt: skip
    assert set(missing.json()["errors"]) == {Block.RATIONALE}
    slack.view_submission(
        Callback.DECIDE,
        state(decision=choice("no-go", "radio_buttons"), rationale=text("misses the bar")),
        team=team, user=OWNER, private_metadata=view["private_metadata"],
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while (stored := pilot(server, team)) is not None and stored.stage != "stopped":
        assert time.monotonic() < deadline, "the decision was not recorded"
        time.sleep(0.05)


def test_a_forged_button_for_another_workspace_reveals_nothing(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Ours", team=team)
    other = f"T{uuid.uuid4().hex[:10].upper()}"
    fake_slack.clear()
    slack.block_action(Action.RECORD_READING, PilotRef(key="P-1").dump(), team=other,
                       user=OWNER, response_url=fake_slack.response_url("forged"))  # fmt: skip
    reply = fake_slack.reply("forged")
    assert reply.args["text"] == "No pilot P-1 in this workspace; `/pilot list` shows them all."
    assert fake_slack.calls("views.open") == []
    garbage = slack.block_action(Action.RECORD_READING, "not json", team=team, user=OWNER,
                                 response_url=fake_slack.response_url("garbage"))  # fmt: skip
    assert garbage.status == 200
    assert "out of date" in fake_slack.reply("garbage").args["text"]


def test_the_home_tab_is_published_once_per_event_and_refreshed_on_change(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.wait_for("views.publish", timeout=10)  # the owner's Home, refreshed after `new`
    fake_slack.clear()
    event = {"type": "app_home_opened", "user": OWNER, "channel": "D0HOME", "tab": "home",
             "event_ts": f"{time.time():.6f}"}  # fmt: skip
    event_id = f"Ev{uuid.uuid4().hex[:10].upper()}"
    assert slack.event(event, team=team, event_id=event_id).status == 200
    assert slack.event(event, team=team, event_id=event_id,
                       headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
                       ).status == 200  # fmt: skip
    [published] = fake_slack.wait_for("views.publish", timeout=10)
    time.sleep(0.3)
    assert len(fake_slack.calls("views.publish")) == 1, "a retried event is not handled twice"
    assert published.args["user_id"] == OWNER
    home = published.json("view")
    assert home["type"] == "home"
    assert "Drafting" in json.dumps(home)

    fake_slack.clear()
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    refreshed = {c.args["user_id"] for c in fake_slack.wait_for("views.publish", count=2)}
    assert refreshed == {OWNER, SPONSOR}


def test_uninstall_and_token_revocation_are_recorded(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    assert slack.event({"type": "app_uninstalled"}, team=team).status == 200
    assert (
        slack.event({"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}}, team=team).status
        == 200
    )
    deadline = time.monotonic() + 10
    while True:
        with server.sessions() as session:
            workspace = session.get(Workspace, team)
        if workspace and workspace.uninstalled_at and workspace.tokens_revoked_at:
            break
        assert time.monotonic() < deadline, "the events were not recorded"
        time.sleep(0.05)


def test_subscribing_a_channel_the_bot_is_in(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    fake_slack.add_channel("C0SPONSORS", name="ai-sponsors", is_member=True)
    fake_slack.add_channel("C0OUTSIDE", name="elsewhere", is_member=False)
    reply = run(slack, fake_slack, "digest <#C0SPONSORS|ai-sponsors> weekly fri 16:30", team=team)
    assert reply.args["text"].startswith(
        "<#C0SPONSORS> will get the sponsor digest every Friday at 16:30"
    )
    refused = run(slack, fake_slack, "digest <#C0OUTSIDE> daily", team=team)
    assert "invite me there first" in refused.args["text"]


def test_snooze_buttons_quiet_the_pilot_for_the_person_who_clicked(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    from bot.slack.metadata import SnoozeRef
    from storage.models import Snooze

    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.clear()
    slack.block_action(Action.SNOOZE_WEEK, SnoozeRef(key="P-1", days=7).dump(), team=team,
                       user=OWNER, response_url=fake_slack.response_url("snooze"))  # fmt: skip
    reply = fake_slack.reply("snooze")
    assert reply.args["text"].startswith("Snoozed: no nudges about P-1 until ")
    stored = pilot(server, team)
    assert stored is not None
    with server.sessions() as session:
        snoozed = session.get(Snooze, (stored.id, OWNER))
    assert snoozed is not None
    # A day's snooze, clicked later, is what counts from then: six days sooner than the week.
    slack.block_action(Action.SNOOZE_DAY, SnoozeRef(key="P-1", days=1).dump(), team=team,
                       user=OWNER, response_url=fake_slack.response_url("day"))  # fmt: skip
    assert fake_slack.reply("day").args["text"].startswith("Snoozed: no nudges about P-1 until ")
    with server.sessions() as session:
        for_a_day = session.get(Snooze, (stored.id, OWNER))
        assert for_a_day is not None
        assert snoozed.until - for_a_day.until > timedelta(days=5)
    slack.block_action(Action.SNOOZE_DAY, '{"key": "P-1", "days": 3}', team=team, user=OWNER,
                       response_url=fake_slack.response_url("bad-snooze"))  # fmt: skip
    assert "out of date" in fake_slack.reply("bad-snooze").args["text"]


def test_a_reminders_no_go_button_opens_the_form_with_no_go_chosen(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    from bot.slack.metadata import DecideRef

    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.clear()
    value = DecideRef.model_validate({"key": "P-1", "decision": "no-go"}).dump()
    slack.block_action(Action.DECIDE_NO_GO, value, team=team, user=OWNER,
                       response_url=fake_slack.response_url("overdue"))  # fmt: skip
    view = opened_view(fake_slack)
    [radio] = [b["element"] for b in view["blocks"] if b.get("block_id") == Block.DECISION]
    assert radio["initial_option"]["value"] == "no-go"


def test_a_forged_response_url_in_a_form_is_not_followed(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.clear()
    forged = '{"key": "P-1", "response_url": "https://attacker.example/collect"}'
    answer = slack.view_submission(Callback.RECORD_READING, state(value=number("9")), team=team,
                                   user=OWNER, private_metadata=forged)  # fmt: skip
    assert answer.status == 200
    [dm] = [c for c in fake_slack.wait_for("chat.postMessage", timeout=10)
            if c.args.get("channel") == OWNER]  # fmt: skip
    assert "9" in reply_text(dm)
    assert not [c for c in fake_slack.calls() if "attacker" in json.dumps(c.args)]


def test_a_change_is_told_even_when_refreshing_the_home_tab_fails(
    slack: Slack, fake_slack: FakeSlack, team: str, server: Server
) -> None:
    fake_slack.disconnect("views.publish", times=None)
    try:
        reply = run(slack, fake_slack, "new Drafting", team=team)
    finally:
        fake_slack.clear_faults()
    assert "P-1" in reply_text(reply)
    assert "Something went wrong" not in reply_text(reply)
    assert pilot(server, team) is not None


def test_a_bad_digest_schedule_is_named_before_the_channel_is_checked(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    fake_slack.add_channel("C0NOTIN", name="not-in", is_member=False)
    reply = run(slack, fake_slack, "digest <#C0NOTIN> weekly mon fri", team=team)
    assert "Give one day, not two" in reply.args["text"]
    assert fake_slack.calls("conversations.info") == []
