"""The programme office's App Home: the portfolio at a glance, for workspace admins."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from bot.governance.attention import needs_from
from bot.governance.attention import roles_of
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.home import HomeItem
from bot.slack.blocks.programme import programme_home
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_view
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of

ADMIN = "U0ADMIN"


def numbered(*facts: Any) -> list[PilotReport]:
    return [report_of(replace(f, key=f"P-{n}")) for n, f in enumerate(facts, 1)]


def home(reports: list[PilotReport], items: list[HomeItem] | None = None) -> dict[str, Any]:
    view = programme_home(ADMIN, reports, items or [], NOW, UTC_ZONE)
    check_view(view)
    return view


def read(view: dict[str, Any]) -> str:
    return all_mrkdwn(view["blocks"]).replace("\u00a0", " ")


def test_an_admin_with_no_pilots_of_their_own_sees_the_portfolio() -> None:
    reports = numbered(READY, FRESH, STALLED, NO_GO)
    view = home(reports)
    assert view["type"] == "home"
    assert view["blocks"][0]["text"]["text"] == "AI pilot portfolio"
    text = read(view)
    assert "*4 pilots*: 1 Go · 1 Not ready · 1 No-go · 1 Stalled" in text
    assert "💰 *244,000 USD a month* waits on decisions (1 pilot at full scale)" in text
    assert "Start one with" not in text
    assert "Your pilots" not in text


def test_decisions_due_name_the_sponsor_who_must_take_them() -> None:
    soon = replace(FRESH, sponsor=SPONSOR, decide_by=date(2026, 11, 20))
    text = read(home(numbered(READY, FRESH, NO_GO, soon)))
    assert "*Decisions due* (3)" in text
    lines = text.split("\n")
    due = lines[lines.index("*Decisions due* (3)") + 1 :][:3]
    # Oldest date first: the overdue one, then the one due this week, then the Go one.
    assert due == [
        "*P-3* Sales email drafts — 🔴 No-go · <@U0SPO> to decide, due 1 Nov (15 days ago)",
        "*P-4* Invoice matching — 🟡 Not ready · <@U0SPO> to decide by 20 Nov (in 4 days)",
        "*P-1* Support drafting — 🟢 Go · <@U0SPO> to decide by 15 Dec (in 29 days)",
    ]


def test_stalled_pilots_say_how_long_they_have_been_silent() -> None:
    text = read(home(numbered(STALLED, FRESH)))
    assert (
        "*Stalled* (1)\n*P-1* Contract review — silent since 26 Oct · owner <@U0ANN> · "
        "sponsor <@U0SPO>"
    ) in text


def test_the_most_common_gaps_are_counted_across_pilots() -> None:
    text = read(home(numbered(FRESH, FRESH, FRESH, replace(READY, rollback=False))))
    lines = text.split("\n")
    start = lines.index("*Most common gaps*")
    gaps = lines[start + 1 : start + 6]
    assert gaps[0] == "• No rollback or kill switch — 4 pilots"
    assert all(re.fullmatch(r"• .+ — \d+ pilots?", line) for line in gaps)
    assert len(gaps) == 5


def test_decided_pilots_are_counted_by_decision_and_never_shown_as_a_bare_verdict() -> None:
    reports = [
        report_of(replace(decided(READY, Decision.GO), key="P-1"), stage=Stage.APPROVED),
        report_of(replace(decided(READY, Decision.NO_GO), key="P-2"), stage=Stage.STOPPED),
        report_of(replace(READY, key="P-3")),
    ]
    text = read(home(reports))
    assert (
        "*3 pilots*: 1 Go · 0 Not ready · 0 No-go · 0 Stalled · ✅ 1 approved · ⛔ 1 stopped"
        in (text)
    )
    # The stopped Go pilot waits on no decision.
    assert "*Decisions due* (1)" in text
    assert "(1 pilot at full scale)" in text


def test_money_waiting_is_summed_per_currency() -> None:
    text = read(home(numbered(READY, replace(READY, currency="EUR"))))
    assert "💰 *244,000 EUR + 244,000 USD a month* waits on decisions" in text


def test_500_pilots_fit_in_100_blocks_with_the_admins_own_pilots_below() -> None:
    reports = portfolio(500)
    items = [
        HomeItem(r, roles_of(r.facts, SPONSOR), needs_from(r.facts, r.assessment, SPONSOR))
        for r in reports
    ]
    view = home(reports, items)
    assert len(view["blocks"]) <= 100
    text = read(view)
    assert "*500 pilots*: " in text
    due = re.search(r"\*Decisions due\* \((\d+)\)", text)
    assert due is not None
    more = int(due.group(1)) - 8
    assert f"…and {more} more: `/pilot list`" in text
    assert "*Most common gaps*" in text
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert headers == ["AI pilot portfolio", "Your pilots"]
    # The admin's own pilots end, as everyone's Home does, pointing at the full list.
    last = view["blocks"][-1]
    assert last["type"] == "context"
    assert "`/pilot list`" in last["elements"][0]["text"]


def test_the_hostile_name_never_becomes_a_mention_on_the_admin_home() -> None:
    # portfolio() names every seventh pilot with the hostile name; check_view refuses live
    # markup other than user mentions.
    view = home(portfolio(60))
    assert "&lt;!channel&gt; &amp; &lt;script&gt;" in read(view)


def test_an_empty_workspace_says_how_to_start() -> None:
    view = home([], [HomeItem(report_of(READY), ("owner",), ())])
    text = read(view)
    assert "No pilots in this workspace yet" in text
    assert "`/pilot new &lt;name&gt;`" in text
    assert OWNER not in text
