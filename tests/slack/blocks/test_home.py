"""The App Home: what needs me first, then the rest, within 100 blocks however many pilots."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.governance.attention import needs_from, roles_of
from bot.services.pilots import PilotReport
from bot.slack.blocks.home import HomeItem, home_view
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import (
    FRESH,
    HOSTILE,
    NOW,
    OWNER,
    READY,
    SPONSOR,
    STALLED,
    UTC_ZONE,
    all_mrkdwn,
    check_view,
    elements_of,
    portfolio,
    report_of,
)


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
    assert f"• stalled: ask <@{OWNER}> for a reading" in text
    assert "*1 other pilot of yours*" in text
    buttons = list(elements_of(blocks, "button"))
    assert [b["action_id"] for b in buttons[:3]] == [
        Action.RECORD_READING,
        Action.RECORD_BASELINE,
        Action.OPEN_PILOT,
    ]
    assert {PilotRef.load(b["value"]).key for b in buttons} == {"P-3", "P-9"}


def test_the_owner_sees_their_gaps_on_the_home() -> None:
    report = report_of(FRESH)
    view = home_view(OWNER, [item_for(OWNER, report)], NOW, UTC_ZONE)
    check_view(view)
    text = all_mrkdwn(view["blocks"])
    assert "_You: owner_ · no decide-by date" in text
    assert "• No baseline: measure the before-state and record it with " in text
    assert "`/pilot baseline P-7 &lt;number&gt;`" in text


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
