"""Words and numbers people read: shortened text, money, changes against the baseline."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.governance.formatting import ELLIPSIS
from bot.governance.formatting import change_against_baseline
from bot.governance.formatting import format_money
from bot.governance.formatting import format_quantity
from bot.governance.formatting import monthly_net_value_text
from bot.governance.formatting import shorten
from bot.governance.people import PERSON_END
from bot.governance.people import PERSON_START
from bot.governance.vocabulary import Better

# ---- shorten ---------------------------------------------------------------------------------

LATE_BASELINE = (
    "Baseline was recorded after readings began (2026-09-09 before 2026-09-20), so it may "
    "already include the pilot's effect: the sponsor accepts it with "
    "`/pilot accept P-12 baseline <reason…>`"
)


@pytest.mark.parametrize(
    ("text", "limit", "shortened"),
    [
        ("Support reply drafting", 40, "Support reply drafting"),
        ("Support reply drafting", 22, "Support reply drafting"),
        ("Support reply drafting", 21, "Support reply…"),
        # The user saw "so it may alre…": the cut now falls after "may".
        (LATE_BASELINE, 90, "Baseline was recorded after readings began (2026-09-09 before "
         "2026-09-20), so it may…"),
        # Never "2027-01-1…": a date is kept whole or left out.
        ("decide by 2027-01-15 (in 3 days)", 19, "decide by…"),
        ("decide by 2027-01-15 (in 3 days)", 21, "decide by 2027-01-15…"),
        # Never a number without its unit, never "1,23…".
        ("At full scale a loss of 1,234.5 USD a month", 33, "At full scale a loss of…"),
        ("At full scale a loss of 1,234.5 USD a month", 37, "At full scale a loss of 1,234.5 USD…"),
        # A command is shown whole or not at all, and no dangling colon stays behind.
        ("No baseline: record it with `/pilot baseline P-1 <number>` today", 50,
         "No baseline: record it with…"),
        ("No baseline: record it with `/pilot baseline P-1 <number>` today", 60,
         "No baseline: record it with `/pilot baseline P-1 <number>`…"),
        ("Contract-review assistant", 10, "Contract…"),
        ("Supercalifragilistic", 10, "Supercali…"),
        ("A", 1, "A"),
        ("AB", 1, ELLIPSIS),
    ],
)  # fmt: skip
def test_shorten_cuts_after_a_whole_word(text: str, limit: int, shortened: str) -> None:
    assert shorten(text, limit) == shortened
    assert len(shortened) <= limit


def test_shorten_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shorten("text", 0)


WORDS = st.sampled_from(
    [
        "support", "reply", "drafting", "invoice", "matching", "legal", "intake", "triage",
        "handle", "time", "minutes", "per", "ticket", "Zendesk", "SAP", "the", "a", "of",
        "Kündigungs­prüfung", "contrôle", "naïve", "日本語", "🚀", "P-12", "(2026-09-09", "before",
        "2026-09-20),", "1,234.5", "12,000", "USD", "9.8", "min", "94%", "threshold:", "reading;",
        "baseline", "—", "—so", "e.g.", "re-measured", "it's",
    ]
)  # fmt: skip
COMMANDS = st.sampled_from(
    [
        "`/pilot update P-12 <number>`",
        "`/pilot set P-3 eval-size:<examples> eval-score:<percent>`",
        "`/pilot accept P-7 baseline <reason…>`",
        "`/pilot raci P-1 changes A @name`",
    ]
)
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ": ", " — "])
PARTS = st.tuples(st.one_of(WORDS, WORDS, WORDS, COMMANDS), SEPARATORS)
TEXTS = st.lists(PARTS, min_size=1, max_size=40).map(
    lambda parts: "".join(word + separator for word, separator in parts).strip()
)
WHOLE = re.compile(r"(?:`[^`]*`|[^\s`])+")


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, limit=st.integers(min_value=60, max_value=400))
def test_shortened_text_keeps_every_word_date_number_and_command_whole(
    text: str, limit: int
) -> None:
    shortened = shorten(text, limit)
    assert len(shortened) <= limit
    if len(text) <= limit:
        assert shortened == text
        return
    assert shortened.endswith(ELLIPSIS)
    kept = shortened.removesuffix(ELLIPSIS)
    assert kept
    assert text.startswith(kept)
    # What is kept is a run of whole words of the original: each of its words is one of the
    # original's, and the last one is not cut (the original goes on with a space or with
    # punctuation the cut dropped, never with more of the same word).
    original = [match.group() for match in WHOLE.finditer(text)]
    words = [match.group() for match in WHOLE.finditer(kept)]
    assert words[:-1] == original[: len(words) - 1]
    assert original[len(words) - 1].startswith(words[-1])
    assert re.fullmatch(r"[,;:.(\-\u2013\u2014]*", original[len(words) - 1][len(words[-1]) :])
    assert kept.count("`") % 2 == 0
    assert not kept.endswith((" ", ":", ",", ";"))


# ---- money, quantities and changes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (12_000, "USD", "12,000 USD"),
        (11_999.999999999998, "USD", "12,000 USD"),  # (0.42 - 0.30) * 100,000 in floats
        (0.4, "EUR", "0.40 EUR"),
        (6.5, "GBP", "6.50 GBP"),
        (0.0042, "USD", "0.0042 USD"),
        (1_234.567, "CHF", "1,234.57 CHF"),
        (-1_200, "USD", "\u22121,200 USD"),
        (0, "JPY", "0 JPY"),
    ],
)
def test_money_is_shown_with_its_currency_code_never_a_sign(
    amount: float, currency: str, shown: str
) -> None:
    assert format_money(amount, currency) == shown
    assert "$" not in format_money(amount, currency)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (12_000, "+12,000 USD a month"),
        (-1_200, "\u22121,200 USD a month"),
        (0, "break-even"),
        (0.004, "break-even"),
        (-0.000001, "break-even"),
        (0.01, "+0.01 USD a month"),
    ],
)
def test_monthly_net_value_says_gain_loss_or_break_even(amount: float, shown: str) -> None:
    assert monthly_net_value_text(amount, "USD") == shown


@pytest.mark.parametrize(
    ("baseline", "latest", "better", "said"),
    [
        (14, 9, Better.LOWER, "35.7% better"),
        (14, 9, Better.HIGHER, "35.7% worse"),
        (7.0, 7.41, Better.LOWER, "5.9% worse"),
        (80, 84.64, Better.HIGHER, "5.8% better"),
        (80, 84.64, None, "5.8% higher"),
        (14, 9, None, "35.7% lower"),
        (7, 7, Better.LOWER, "no change"),
        (1_000, 1_000.4, Better.LOWER, "no change"),  # 0.04% rounds to nothing
        (-20, -10, Better.HIGHER, "50.0% better"),  # a negative baseline: its size counts
        (0, 5, Better.HIGHER, None),
    ],
)
def test_change_against_baseline_says_whether_it_is_better(
    baseline: float, latest: float, better: Better | None, said: str | None
) -> None:
    assert change_against_baseline(baseline, latest, better) == said


def test_a_unit_cannot_smuggle_in_a_person_reference() -> None:
    unit = f"min {PERSON_START}U0EVIL{PERSON_END}"
    assert format_quantity(9, unit) == "9 min U0EVIL"
