"""`/pilot list`: verdict counts, one line per pilot, pages that cover everyone once."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.pilot_list import pilot_line
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.ids import Action
from bot.slack.metadata import ListPage
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import elements_of
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of

_KEY = re.compile(r"^\*(P-\d+)\*", re.MULTILINE)


def _keys(blocks: list[dict[str, Any]]) -> list[str]:
    return _KEY.findall(all_mrkdwn(blocks))


def _pages(reports: list[PilotReport], page_size: int = 40) -> list[list[dict[str, Any]]]:
    """Follows the Next page buttons from page 1, as a person would."""
    pages = [pilot_list(reports, 1, page_size)]
    while True:
        nexts = [b for b in elements_of(pages[-1], "button") if b["text"]["text"] == "Next page"]
        if not nexts:
            return pages
        assert nexts[0]["action_id"] == Action.LIST_PAGE
        pages.append(pilot_list(reports, ListPage.load(nexts[0]["value"]).page, page_size))


def test_an_empty_workspace_says_how_to_start() -> None:
    blocks = pilot_list([], 1)
    check_blocks(blocks)
    assert len(blocks) == 1
    assert "`/pilot new &lt;name&gt;`" in all_mrkdwn(blocks)


def test_counts_by_verdict_come_first() -> None:
    reports = [
        report_of(replace(f, key=f"P-{n}"))
        for n, f in enumerate(
            [READY, READY, FRESH, FRESH, FRESH, FRESH, FRESH, NO_GO, STALLED, STALLED, STALLED], 1
        )
    ]
    blocks = pilot_list(reports, 1)
    check_blocks(blocks)
    assert blocks[0]["text"]["text"] == "*11 pilots*: 2 Go · 5 Not ready · 1 No-go · 3 Stalled"
    assert _keys(blocks) == [f"P-{n}" for n in range(1, 12)]
    assert not list(elements_of(blocks, "button"))


def test_a_line_shows_key_name_verdict_and_the_top_gap() -> None:
    assert pilot_line(report_of(READY)) == "*P-3* Support drafting — 🟢 Go"
    assert pilot_line(report_of(FRESH)) == (
        "*P-7* Invoice matching — 🟡 Not ready · No sponsor (+9 more)"
    )
    assert pilot_line(report_of(NO_GO)).startswith("*P-11* Sales email drafts — 🔴 No-go · ")
    assert pilot_line(report_of(STALLED)).startswith("*P-9* Contract review — ⏸️ Stalled · ")


def test_a_hostile_name_is_escaped_and_shortened() -> None:
    line = pilot_line(report_of(replace(FRESH, name=(HOSTILE + " ") * 20)))
    assert "<" not in line
    assert line.startswith("*P-7* &lt;!channel&gt; &amp; &lt;script&gt;")
    assert len(line) < 300


@pytest.mark.parametrize("count", [41, 200, 500])
def test_pages_cover_every_pilot_exactly_once(count: int) -> None:
    reports = portfolio(count)
    pages = _pages(reports)
    assert len(pages) == -(-count // 40)
    seen = [key for page in pages for key in _keys(page)]
    assert seen == [report.key for report in reports]
    for page in pages:
        check_blocks(page)


def test_a_middle_page_says_where_it_is_and_goes_both_ways() -> None:
    blocks = pilot_list(portfolio(200), 2)
    check_blocks(blocks)
    assert "Showing 41\u201380 of 200" in all_mrkdwn(blocks)
    buttons = {
        b["text"]["text"]: ListPage.load(b["value"]).page for b in elements_of(blocks, "button")
    }
    assert buttons == {"Previous page": 1, "Next page": 3}
    assert blocks[0]["text"]["text"].startswith("*200 pilots*: ")


def test_the_last_page_has_no_next_and_a_page_past_the_end_shows_the_last() -> None:
    reports = portfolio(200)
    last = pilot_list(reports, 5)
    assert "Showing 161\u2013200 of 200" in all_mrkdwn(last)
    assert [b["text"]["text"] for b in elements_of(last, "button")] == ["Previous page"]
    assert pilot_list(reports, 99) == last


def test_a_large_page_size_still_fits_one_message() -> None:
    reports = portfolio(500)
    blocks = pilot_list(reports, 1, page_size=500)
    check_blocks(blocks)
    assert len(_keys(blocks)) == 200
    assert all(len(block["text"]["text"]) <= 3000 for block in blocks if block["type"] == "section")


def test_decided_pilots_are_counted_under_their_decision_not_their_verdict() -> None:
    reports = [
        report_of(replace(decided(READY, Decision.NO_GO), key="P-1"), stage=Stage.STOPPED),
        report_of(replace(decided(READY, Decision.GO), key="P-2"), stage=Stage.APPROVED),
        report_of(replace(READY, key="P-3")),
    ]
    blocks = pilot_list(reports, 1)
    check_blocks(blocks)
    text = all_mrkdwn(blocks)
    assert (
        "*3 pilots*: 1 Go · 0 Not ready · 0 No-go · 0 Stalled · ✅ 1 approved · ⛔ 1 stopped"
        in (text)
    )
    assert "*P-1* Support drafting — ⛔ Stopped · 🟢 Go when decided" in text
