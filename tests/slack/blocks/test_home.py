"""The App Home: what needs me first, then the rest, within 100 blocks however many pilots."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.governance.attention import needs_from
from bot.governance.attention import roles_of
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.home import HomeItem
from bot.slack.blocks.home import home_view
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_view
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import elements_of
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of


def item_for(user: str, report: PilotReport) -> HomeItem:
    facts = report.facts
    return HomeItem(
        report=report,
        roles=roles_of(facts, user),
        needs=needs_from(facts, report.assessment, user),
    )


def test_an_empty_home_says_what_pilotgate_does_and_how_to_start() -> None:
    view = home_view(OWNER, [], NOW, UTC_ZONE)
    check_view(view)
    assert view["type"] == "home"
    text = all_mrkdwn(view["blocks"])
    assert "ready for a go decision" in text
    assert "`/pilot new &lt;name&gt;`" in text
    assert len(text.split("\n")) == 2


def test_what_needs_me_comes_first_with_buttons() -> None:
    items = [item_for(SPONSOR, report_of(facts)) for facts in (FRESH, READY, STALLED)]
    view = home_view(SPONSOR, items, NOW, UTC_ZONE)
    check_view(view)
    blocks = view["blocks"]
    text = all_mrkdwn(blocks)
    assert text.index("*P-3* Support drafting — 🟢 Go") < text.index("*P-7*")
    assert "_You: sponsor_" in text
    assert "• decide: ready for a go decision" in text
    assert "/pilot decide" not in text  # the Decide button does it
    assert f"• stalled: ask <@{OWNER}> for a reading" in text
    assert "*1 other pilot of yours*" in text
    rows = [
        [(b["action_id"], PilotRef.load(b["value"]).key, b.get("style")) for b in block["elements"]]
        for block in blocks
        if block["type"] == "actions"
    ]
    # The sponsor decides P-3 (Decide leads); for the stalled P-9 there is only Open.
    assert rows == [
        [(Action.DECIDE, "P-3", "primary"), (Action.OPEN_PILOT, "P-3", None)],
        [(Action.OPEN_PILOT, "P-9", None)],
    ]


def test_the_owner_sees_their_gaps_on_the_home() -> None:
    report = report_of(FRESH)
    view = home_view(OWNER, [item_for(OWNER, report)], NOW, UTC_ZONE)
    check_view(view)
    text = all_mrkdwn(view["blocks"])
    assert "_You: owner_ · no decide-by date" in text
    lines = text.split("\n")
    assert "• No baseline · _Record baseline_" in lines
    assert "• No sponsor" in lines
    assert "\u2003`/pilot set P-7 sponsor:@name`" in lines
    buttons = [b["text"]["text"] for b in elements_of(view["blocks"], "button")]
    assert buttons == ["Record baseline", "Record a reading", "Open"]


def test_with_the_form_wired_the_owner_gets_one_button_for_seven_gaps() -> None:
    report = report_of(FRESH)
    view = home_view(OWNER, [item_for(OWNER, report)], NOW, UTC_ZONE, complete=True)
    check_view(view)
    lines = all_mrkdwn(view["blocks"]).split("\n")
    assert "_Complete the pilot_ closes these:" in lines
    assert "• No rollback or kill switch" in lines
    assert "• No agreed go-live metric or direction or threshold" in lines
    assert not any("rollback:yes" in line or "metric:" in line for line in lines)
    # Nothing can be measured before the metric is agreed: the form that agrees it leads.
    buttons = [b["text"]["text"] for b in elements_of(view["blocks"], "button")]
    assert buttons == ["Complete the pilot", "Record baseline", "Record a reading", "Open"]


def test_a_decided_pilot_on_the_home_leads_with_the_decision() -> None:
    stopped = report_of(decided(READY, Decision.NO_GO), stage=Stage.STOPPED)
    view = home_view(SPONSOR, [item_for(SPONSOR, stopped)], NOW, UTC_ZONE)
    check_view(view)
    text = all_mrkdwn(view["blocks"])
    assert "*P-3* Support drafting — ⛔ Stopped · 🟢 Go when decided" in text
    assert "— 🟢 Go" not in text


def test_a_hostile_name_pings_nobody_from_the_home() -> None:
    report = report_of(replace(FRESH, name=HOSTILE, unit="<!here>"))
    view = home_view(OWNER, [item_for(OWNER, report)], NOW, UTC_ZONE)
    check_view(view)
    assert "&lt;!channel&gt; &amp; &lt;script&gt;" in all_mrkdwn(view["blocks"])


def test_two_hundred_pilots_fit_in_a_hundred_blocks() -> None:
    reports = portfolio(200)
    for user in (OWNER, SPONSOR):
        items = [item_for(user, report) for report in reports]
        view = home_view(user, items, NOW, UTC_ZONE)
        check_view(view)
        text = all_mrkdwn(view["blocks"])
        assert "`/pilot list`" in text
        keys = re.findall(r"^\*(P-\d+)\*", text, re.MULTILINE)
        wanted = [item.report.key for item in items if item.needs]
        others = [item.report.key for item in items if not item.needs]
        # Those needing something first, in order, then the others; none twice.
        assert keys == (wanted + others)[: len(keys)]
        shown = len(keys)
        if shown < len(items):
            assert f"…and {len(items) - shown} more pilots not shown here" in text


def test_three_thousand_pilots_still_fit_and_say_how_many_are_left_out() -> None:
    reports = portfolio(3000)
    items = [item_for(OWNER, report) for report in reports]
    view = home_view(OWNER, items, NOW, UTC_ZONE)
    check_view(view)
    text = all_mrkdwn(view["blocks"])
    shown = len(re.findall(r"^\*(P-\d+)\*", text, re.MULTILINE))
    assert shown < 3000
    assert f"…and {3000 - shown:,} more pilots not shown here" in text
