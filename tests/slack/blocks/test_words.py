"""Words and numbers: cuts after whole words, money with its currency, better or worse."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.governance.vocabulary import Better
from bot.slack.blocks.common import clip_mrkdwn, shorten_mrkdwn, truncate
from bot.slack.blocks.words import (
    NBSP,
    change_words,
    money,
    money_totals,
    net_value_words,
    short_day,
    shorten,
)
from tests.slack.blocks.factory import HOSTILE

# Words, dates and numbers as they occur in names, notes and gap sentences.
WORD = st.one_of(
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12),
    st.dates().map(date.isoformat),
    st.integers(0, 10**9).map(lambda n: f"{n:,}"),
    st.sampled_from(["&", "<!channel>", "<script>", "—", "P-12", "9.8", "(+5.8%)", "*bold*"]),
)
SENTENCE = st.lists(WORD, min_size=1, max_size=60).map(" ".join)


def assert_cut_after_whole_words(text: str, short: str, limit: int) -> None:
    assert len(short) <= limit
    if short == text:
        return
    assert short.endswith("…")
    kept = short.removesuffix("…").split(" ")
    words = text.split(" ")
    if len(words[0]) >= limit:
        return  # one word longer than the room: the only cut inside a word
    # Every word kept is whole; the last may have lost only a trailing comma or dash.
    assert kept[:-1] == words[: len(kept) - 1]
    last = words[len(kept) - 1]
    assert kept[-1] in (last, last.rstrip(",;:·(/\u2013\u2014"))


@given(SENTENCE, st.integers(2, 120))
@example("so it may already include the pilot's effect", 16)
@example("Latest reading is from 2027-01-14, older than the weekly cadence", 28)
def test_shorten_never_cuts_inside_a_word_date_or_number(text: str, limit: int) -> None:
    assert_cut_after_whole_words(text, shorten(text, limit), limit)
    assert_cut_after_whole_words(text, truncate(text, limit), limit)


@given(SENTENCE, st.integers(8, 200))
def test_escaped_text_is_cut_after_whole_words_and_pings_nobody(text: str, limit: int) -> None:
    clipped = clip_mrkdwn(text, limit)
    assert len(clipped) <= limit
    assert "<" not in clipped
    plain = clipped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert_cut_after_whole_words(text, plain, len(plain))


def test_the_reported_cuts_now_end_after_a_word() -> None:
    assert shorten("so it may already include the pilot's effect", 16) == "so it may…"
    assert shorten("Latest reading is from 2027-01-14, older", 36) == (
        "Latest reading is from 2027-01-14…"
    )
    name = f"{HOSTILE} rollout for the customer support queues in Berlin"
    assert clip_mrkdwn(name, 40) == "&lt;!channel&gt; &amp; &lt;script&gt;…"


def test_a_single_word_longer_than_the_room_is_still_cut_to_fit() -> None:
    assert shorten("x" * 200, 150) == "x" * 149 + "…"
    assert clip_mrkdwn("&" * 50, 12) == "&amp;&amp;…"


def test_shortened_mrkdwn_ends_after_a_word_and_closes_its_code() -> None:
    text = "• No sponsor: name one with `/pilot set P-7 sponsor:@name` today"
    assert shorten_mrkdwn(text, 40) == "• No sponsor: name one with…"
    assert shorten_mrkdwn(text, 24) == "• No sponsor: name one…"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (244_000, "USD", "USD 244,000"),
        (487_999.6, "EUR", "EUR 488,000"),
        (0.4, "USD", "USD 0.40"),
        (6.5, "GBP", "GBP 6.50"),
        (12, "CHF", "CHF 12"),
        (0.0042, "USD", "USD 0.0042"),
        (-1200, "USD", "USD \u22121,200"),
        (5, "<!here>", "&lt;!here&gt; 5"),
    ],
)
def test_money_is_shown_with_its_currency_code(amount: float, currency: str, shown: str) -> None:
    assert money(amount, currency) == shown.replace(" ", NBSP)
    assert "$" not in money(amount, currency)


def test_sums_in_several_currencies_are_never_added_together() -> None:
    totals = money_totals({"USD": 488_000, "EUR": 12_000})
    assert totals == f"EUR{NBSP}12,000 + USD{NBSP}488,000"


@pytest.mark.parametrize(
    ("net", "shown"),
    [
        (244_000, "net value of USD 244,000 a month"),
        (0.0, "break-even"),
        (0.001, "break-even"),
        (-12_000, "net loss of USD 12,000 a month"),
    ],
)
def test_the_money_a_month_says_value_loss_or_break_even(net: float, shown: str) -> None:
    assert net_value_words(net, "USD") == shown.replace("USD ", f"USD{NBSP}")


@pytest.mark.parametrize(
    ("percent", "better", "shown"),
    [
        (-35.714, Better.LOWER, "35.7% better"),
        (-35.714, Better.HIGHER, "35.7% worse"),
        (5.8, Better.HIGHER, "5.8% better"),
        (5.8, Better.LOWER, "5.8% worse"),
        (0.01, Better.LOWER, "no change"),
        (5.8, None, "+5.8%"),
        (-5.8, None, "\u22125.8%"),
    ],
)
def test_a_change_against_the_baseline_says_better_or_worse(
    percent: float, better: Better | None, shown: str
) -> None:
    assert change_words(percent, better) == shown


def test_days_read_as_people_say_them_and_never_split() -> None:
    today = date(2026, 11, 16)
    assert short_day(date(2026, 12, 15), today) == f"15{NBSP}Dec"
    assert short_day(date(2027, 1, 4), today) == f"4{NBSP}Jan{NBSP}2027"
