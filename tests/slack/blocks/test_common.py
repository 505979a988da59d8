"""Escaping, shortening and the lines every surface shares."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.governance.facts import Measurement
from bot.governance.people import person
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Verdict
from bot.slack.blocks.common import change_text
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import code
from bot.slack.blocks.common import decide_by_line
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import escape_keeping_mentions
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import shorten_mrkdwn
from bot.slack.blocks.common import truncate
from bot.slack.blocks.common import verdict_text
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import report_of


def test_escape_turns_control_characters_into_entities() -> None:
    assert escape(HOSTILE) == "&lt;!channel&gt; &amp; &lt;script&gt;"
    assert escape("a & b") == "a &amp; b"
    assert escape("*bold* _it_ @here") == "*bold* _it_ @here"


def test_only_the_rules_person_references_become_mentions() -> None:
    # A person the rules name becomes a mention; a mention, broadcast or link someone typed
    # stays text.
    text = (
        f"stalled: ask {person('U0ANN')} for a reading, not <@U0BOSS>, <!channel> or <https://x|y>"
    )
    assert escape_keeping_mentions(text) == (
        "stalled: ask <@U0ANN> for a reading, not &lt;@U0BOSS&gt;, &lt;!channel&gt; or "
        "&lt;https://x|y&gt;"
    )


def test_a_mention_a_person_typed_stays_text() -> None:
    assert escape_keeping_mentions("unit <@U0EVIL> and <!here>") == (
        "unit &lt;@U0EVIL&gt; and &lt;!here&gt;"
    )


def test_truncate_keeps_within_the_limit_and_shows_the_cut() -> None:
    assert truncate("short", 10) == "short"
    cut = truncate("x" * 200, 150)
    assert len(cut) == 150
    assert cut.endswith("…")


def test_clip_mrkdwn_never_cuts_inside_an_entity() -> None:
    for limit in range(2, 40):
        clipped = clip_mrkdwn("&" * 50, limit)
        assert len(clipped) <= limit
        assert clipped.removesuffix("…").replace("&amp;", "") == ""


def test_shorten_mrkdwn_leaves_no_code_span_or_mention_open() -> None:
    text = "record it with `/pilot baseline P-3 &lt;number&gt;` and ask <@U0ANN>"
    for limit in range(5, len(text)):
        short = shorten_mrkdwn(text, limit)
        assert len(short) <= limit
        assert short.count("`") % 2 == 0
        assert short.count("<") == short.count(">")
        body = short.removesuffix("…")
        assert body.count("&") == body.count(";")


def test_code_shows_a_form_escaped() -> None:
    assert code("/pilot new <name>") == "`/pilot new &lt;name&gt;`"


@pytest.mark.parametrize(
    ("verdict", "shown"),
    [
        (Verdict.GO, "🟢 Go"),
        (Verdict.NOT_READY, "🟡 Not ready"),
        (Verdict.NO_GO, "🔴 No-go"),
        (Verdict.STALLED, "⏸️ Stalled"),
    ],
)
def test_verdicts_read_with_the_exact_words(verdict: Verdict, shown: str) -> None:
    assert verdict_text(verdict) == shown


def test_mention_names_a_person_or_nobody() -> None:
    assert mention("U123") == "<@U123>"
    assert mention(None) == "nobody yet"
    assert mention("") == "nobody yet"
    assert mention("<!here>") == "&lt;!here&gt;"


def test_metric_line_compares_latest_baseline_and_threshold() -> None:
    report = report_of(READY)
    assert metric_line(READY, report.assessment) == (
        "handle time: 9 min now · baseline 14 min (35.7% better) · go at ≤ 9.8 min"
    )


def test_metric_line_for_a_higher_is_better_metric_shows_a_rise() -> None:
    facts = replace(
        READY,
        metric_name="first-contact resolution",
        unit="%",
        better=Better.HIGHER,
        threshold=80,
        baseline=Measurement(64, READY.baseline.at if READY.baseline else NOW),
        latest_reading=Measurement(82, NOW),
    )
    line = metric_line(facts, report_of(facts).assessment)
    assert line == ("first-contact resolution: 82% now · baseline 64% (28.1% better) · go at ≥ 80%")


def test_metric_line_says_a_change_the_wrong_way_is_worse() -> None:
    facts = replace(READY, latest_reading=Measurement(15, NOW))
    line = metric_line(facts, report_of(facts).assessment)
    assert "baseline 14 min (7.1% worse)" in line


def test_metric_line_says_what_is_missing() -> None:
    assert metric_line(FRESH, report_of(FRESH).assessment) == (
        "No go-live metric yet: no reading yet · no baseline · no threshold"
    )


def test_metric_line_escapes_user_text() -> None:
    facts = replace(READY, metric_name=HOSTILE, unit="<@U999|x>")
    line = metric_line(facts, report_of(facts).assessment)
    assert "<" not in line
    assert "&lt;!channel&gt;" in line


def test_change_text_uses_a_true_minus_sign() -> None:
    assert change_text(-35.714) == "\u221235.7%"
    assert change_text(12) == "+12.0%"
    assert change_text(0.01) == "0.0%"


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2026, 12, 15), "decide by 15\u00a0Dec (in 29 days)"),
        (date(2026, 11, 17), "decide by 17\u00a0Nov (tomorrow)"),
        (date(2026, 11, 16), "decide by 16\u00a0Nov (today)"),
        (date(2026, 11, 15), "decide by 15\u00a0Nov (passed yesterday)"),
        (date(2026, 11, 13), "decide by 13\u00a0Nov (passed 3 days ago)"),
        # Across the year's end, the year is said.
        (date(2027, 1, 4), "decide by 4\u00a0Jan\u00a02027 (in 49 days)"),
        (date(2025, 12, 31), "decide by 31\u00a0Dec\u00a02025 (passed 320 days ago)"),
        (None, "no decide-by date"),
    ],
)
def test_decide_by_line(day: date | None, shown: str) -> None:
    assert decide_by_line(day, NOW, UTC_ZONE) == shown


def test_decide_by_line_counts_days_where_the_person_is() -> None:
    late_evening = datetime(2026, 11, 16, 20, 0, tzinfo=UTC)  # already the 17th in Auckland
    auckland = ZoneInfo("Pacific/Auckland")
    assert decide_by_line(date(2026, 11, 17), late_evening, UTC_ZONE).endswith("(tomorrow)")
    assert decide_by_line(date(2026, 11, 17), late_evening, auckland).endswith("(today)")


def test_pack_lines_fills_sections_without_splitting_a_line() -> None:
    lines = [f"line {n} " + "x" * 90 for n in range(100)]
    texts, taken = pack_lines(lines, limit=3000)
    assert taken == 100
    assert all(len(text) <= 3000 for text in texts)
    assert "\n".join(texts).split("\n") == lines
    assert len(texts) == 4


def test_pack_lines_stops_at_the_section_budget() -> None:
    lines = ["y" * 1000] * 10
    texts, taken = pack_lines(lines, limit=3000, max_sections=2)
    assert len(texts) == 2
    assert taken == 4


def test_headline_drops_the_remedy() -> None:
    gaps = report_of(FRESH).assessment.gaps
    assert headline(gaps[0]) == "No sponsor"
    assert headline("decide: ready for a go decision with `/pilot decide P-3 go`") == (
        "decide: ready for a go decision"
    )
    asks = f"stalled: ask {person('U0ANN')} for a reading"
    assert headline(asks) == "stalled: ask <@U0ANN> for a reading"
