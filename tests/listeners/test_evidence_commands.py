"""`/pilot chart` and `/pilot history` end to end: a PNG through Slack's external upload
flow shown in an image block, and the audit trail as a person reads it."""

from __future__ import annotations

from typing import get_args

from bot.slack import commands
from bot.slack import grammar
from tests.fakeslack import FakeSlack
from tests.listeners.test_pilot_command import SPONSOR
from tests.listeners.test_pilot_command import reply_text
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack


def test_every_command_the_grammar_reads_has_an_answer() -> None:
    parsed = {kind for kind in get_args(grammar.Command) if kind is not grammar.OpenRegistration}
    flat = set()
    for kind in parsed:
        flat.update(get_args(kind) or (kind,))
    assert flat - {grammar.OpenRegistration} <= set(commands.ANSWERS)


def test_chart_uploads_a_png_and_shows_it_in_an_image_block(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, 'set P-1 metric:"handle time" unit:min better:lower threshold:9.8',
        team=team)  # fmt: skip
    run(slack, fake_slack, "baseline P-1 14", team=team)
    run(slack, fake_slack, "update P-1 11", team=team)
    run(slack, fake_slack, "update P-1 9", team=team)
    fake_slack.clear()
    reply = run(slack, fake_slack, "chart P-1", team=team)
    [image] = [b for b in reply.args["blocks"] if b["type"] == "image"]
    [completed] = fake_slack.calls("files.completeUploadExternal")
    assert image["slack_file"]["id"] == completed.response["files"][0]["id"]  # type: ignore[index]
    assert "handle time" in image["alt_text"]
    [asked] = fake_slack.calls("files.getUploadURLExternal")
    assert int(asked.args["length"]) > 1000  # a real picture, not an empty file
    assert reply.args.get("response_type") == "ephemeral"


def test_chart_with_nothing_to_draw_says_so_and_uploads_nothing(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    fake_slack.clear()
    reply = run(slack, fake_slack, "chart P-1", team=team)
    assert reply.args["text"] == (
        "P-1 has no readings to chart yet; record one with `/pilot update P-1 <number>`."
    )
    assert fake_slack.calls("files.getUploadURLExternal") == []


def test_history_reads_who_changed_what_from_what_to_what(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    run(slack, fake_slack, "new Drafting", team=team)
    run(slack, fake_slack, "set P-1 threshold:8 better:lower", team=team)
    run(slack, fake_slack, "update P-1 9", team=team)
    run(slack, fake_slack, f"set P-1 sponsor:<@{SPONSOR}>", team=team)
    run(slack, fake_slack, 'set P-1 threshold:9.5 reason:"agreed with finance"', team=team)
    text = reply_text(run(slack, fake_slack, "history P-1", team=team))
    assert "P-1 history" in text
    assert "8 → 9.5" in text
    assert "agreed with finance" in text


def test_the_cards_chart_and_history_buttons_answer_in_place(
    slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    from bot.slack.ids import Action
    from bot.slack.metadata import PilotRef
    from tests.listeners.test_pilot_command import OWNER

    card = run(slack, fake_slack, "new Drafting", team=team)
    ids = [e["action_id"] for b in card.args["blocks"] if b["type"] == "actions"
           for e in b["elements"]]  # fmt: skip
    assert {Action.CHART.value, Action.HISTORY.value} <= set(ids)
    run(slack, fake_slack, "set P-1 better:lower threshold:9.8", team=team)
    run(slack, fake_slack, "update P-1 10", team=team)
    ref = PilotRef(key="P-1").dump()
    slack.block_action(Action.HISTORY, ref, team=team, user=OWNER,
                       response_url=fake_slack.response_url("history"))  # fmt: skip
    assert "P-1 history" in reply_text(fake_slack.reply("history"))
    slack.block_action(Action.CHART, ref, team=team, user=OWNER,
                       response_url=fake_slack.response_url("chart"))  # fmt: skip
    chart = fake_slack.reply("chart")
    assert next(b["type"] for b in chart.args["blocks"]) == "image"
