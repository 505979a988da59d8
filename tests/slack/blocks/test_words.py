"""Words and numbers on Slack: cuts after whole words (escaped or not), money with its
currency kept on one line. The rules themselves are tested in tests/governance."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st

from bot.governance.formatting import spoken_day
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import shorten_mrkdwn
from bot.slack.blocks.common import truncate
from bot.slack.blocks.words import NBSP
from bot.slack.blocks.words import money
from bot.slack.blocks.words import money_totals
from bot.slack.blocks.words import net_value_words
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
def test_truncate_never_cuts_inside_a_word_date_or_number(text: str, limit: int) -> None:
    assert_cut_after_whole_words(text, truncate(text, limit), limit)


@given(SENTENCE, st.integers(8, 200))
def test_escaped_text_is_cut_after_whole_words_and_pings_nobody(text: str, limit: int) -> None:
    clipped = clip_mrkdwn(text, limit)
    assert len(clipped) <= limit
    assert "<" not in clipped
    plain = clipped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert_cut_after_whole_words(text, plain, len(plain))


def test_the_reported_cuts_now_end_after_a_word() -> None:
    assert truncate("so it may already include the pilot's effect", 16) == "so it may…"
    assert truncate("Latest reading is from 2027-01-14, older", 36) == (
        "Latest reading is from 2027-01-14…"
    )
    name = f"{HOSTILE} rollout for the customer support queues in Berlin"
    assert clip_mrkdwn(name, 40) == "&lt;!channel&gt; &amp; &lt;script&gt;…"


def test_a_single_word_longer_than_the_room_is_still_cut_to_fit() -> None:
    assert truncate("x" * 200, 150) == "x" * 149 + "…"
    assert clip_mrkdwn("&" * 50, 12) == "&amp;&amp;…"


def test_shortened_mrkdwn_ends_after_a_word_and_closes_its_code() -> None:
    text = "• No sponsor: name one with `/pilot set P-7 sponsor:@name` today"
    assert shorten_mrkdwn(text, 40) == "• No sponsor: name one with…"
    assert shorten_mrkdwn(text, 24) == "• No sponsor: name one…"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (244_000, "USD", "244,000 USD"),
        (487_999.6, "EUR", "487,999.60 EUR"),
        (0.4, "USD", "0.40 USD"),
        (6.5, "GBP", "6.50 GBP"),
        (12, "CHF", "12 CHF"),
        (0.0042, "USD", "0.0042 USD"),
        (-1200, "USD", "\u22121,200 USD"),
        (5, "<!here>", "5 &lt;!here&gt;"),
    ],
)
def test_money_is_shown_with_its_currency_code(amount: float, currency: str, shown: str) -> None:
    assert money(amount, currency) == shown.replace(" ", NBSP)
    assert "$" not in money(amount, currency)


def test_sums_in_several_currencies_are_never_added_together() -> None:
    totals = money_totals({"USD": 488_000, "EUR": 12_000})
    assert totals == f"12,000{NBSP}EUR + 488,000{NBSP}USD"


@pytest.mark.parametrize(
    ("net", "shown"),
    [
        (244_000, "net value of 244,000 USD a month"),
        (0.0, "break-even"),
        (0.001, "break-even"),
        (-12_000, "net loss of 12,000 USD a month"),
    ],
)
def test_the_money_a_month_says_value_loss_or_break_even(net: float, shown: str) -> None:
    assert net_value_words(net, "USD") == shown.replace(" USD", f"{NBSP}USD")


def test_days_read_as_people_say_them_and_never_split() -> None:
    today = date(2026, 11, 16)
    assert spoken_day(date(2026, 12, 15), today) == f"15{NBSP}Dec"
    assert spoken_day(date(2027, 1, 4), today) == f"4{NBSP}Jan{NBSP}2027"
