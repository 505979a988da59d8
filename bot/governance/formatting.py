"""How numbers, money, changes and dates read in sentences people see, and how a sentence
is shortened without breaking what it says."""

from __future__ import annotations

import re
from datetime import date

from bot.governance.people import without_person_marks
from bot.governance.vocabulary import Better

ELLIPSIS = "…"
MINUS = "\u2212"
# Amounts of money closer to zero than half a cent are nothing either way.
_BREAK_EVEN_WITHIN = 0.005
# A token is a run of non-space characters, or a `code span` (spaces and all) glued to one:
# a command shown as code is one token, so a cut never falls inside it. An unclosed backtick
# runs to the end of the text.
_TOKEN = re.compile(r"(?:`[^`]*(?:`|$)|[^\s`])+")
# What may dangle after the last whole word of a cut ("threshold:", "9.8,", "(in").
_DANGLING = " \t\n,;:.(-\u2013\u2014"
# A bare number, as `format_number` writes it, with nothing after it.
_BARE_NUMBER = re.compile(r"[+\-\u2212]?\d[\d,]*(?:\.\d+)?")

NBSP = "\u00a0"
# English whatever the machine's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_number(value: float) -> str:
    """12000.0 -> '12,000'; 0.4200 -> '0.42'; 9.8 -> '9.8'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_quantity(value: float, unit: str | None) -> str:
    text = format_number(value)
    unit = without_person_marks(unit) if unit else unit
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def format_day(day: date) -> str:
    return day.isoformat()


def spoken_day(day: date, today: date) -> str:
    """`15 Dec` this year, `15 Dec 2027` otherwise: the words a person says, joined with
    no-break spaces so a phone never wraps `15` away from `Dec`."""
    text = f"{day.day}{NBSP}{MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text}{NBSP}{day.year}"


def format_money(amount: float, currency: str) -> str:
    """An amount with its ISO 4217 code, never a sign: `12,000 USD`, `0.42 EUR`, and a loss
    with a true minus sign, `\u22121,200 USD`.

    Whole amounts show no cents; others show at least two decimals, and up to four below one
    unit of currency so that a cost of 0.0042 a unit does not read as 0.00.
    """
    places = 2 if abs(amount) >= 1 else 4
    rounded = round(amount, places)
    magnitude = abs(rounded)
    if magnitude == int(magnitude):
        digits = f"{int(magnitude):,}"
    else:
        whole, _, cents = f"{magnitude:,.{places}f}".partition(".")
        digits = f"{whole}.{cents.rstrip('0').ljust(2, '0')}"
    sign = MINUS if rounded < 0 else ""
    return f"{sign}{digits} {without_person_marks(currency)}"


def is_break_even(amount: float) -> bool:
    return abs(amount) < _BREAK_EVEN_WITHIN


def monthly_net_value_text(amount: float, currency: str) -> str:
    """`+12,000 USD a month`, `break-even`, `\u22121,200 USD a month`: (value - cost) * volume."""
    if is_break_even(amount):
        return "break-even"
    sign = "+" if amount > 0 else ""
    return f"{sign}{format_money(amount, currency)} a month"


def change_percent(baseline: float, latest: float) -> float | None:
    """The change of `latest` against `baseline` in percent of the baseline; None when the
    baseline is 0 (no percentage of nothing)."""
    if baseline == 0:
        return None
    return (latest - baseline) / abs(baseline) * 100


def change_against_baseline(baseline: float, latest: float, better: Better | None) -> str | None:
    """`35.7% better`, `5.8% worse` or `no change`, in the metric's direction.

    Without a direction it can only say `5.8% higher` or `35.7% lower`; None when the
    baseline is 0.
    """
    percent = change_percent(baseline, latest)
    if percent is None:
        return None
    shown = round(abs(percent), 1)
    if shown == 0:
        return "no change"
    size = f"{shown:,.1f}%"
    if better is None:
        return f"{size} {'higher' if percent > 0 else 'lower'}"
    improved = (percent < 0) == (better is Better.LOWER)
    return f"{size} {'better' if improved else 'worse'}"


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut after a whole word and ended with "…".

    A word here is anything between spaces, so a date (2027-01-15), a number (1,234.5) or a
    key (P-12) is never cut, and a `code span` counts as one word, spaces and all, so a
    command is shown whole or not at all. Punctuation left dangling by the cut goes, and so
    does a bare number whose unit the cut would drop ("a loss of 12,000…"). Only when the
    first word alone is longer than the limit is it cut inside, as nothing else would fit.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    tokens = [match for match in _TOKEN.finditer(text) if match.end() <= room]
    if len(tokens) > 1 and _BARE_NUMBER.fullmatch(tokens[-1].group().rstrip(_DANGLING)):
        tokens.pop()
    if not tokens:
        return (text[:room].rstrip(_DANGLING) or text[:room]) + ELLIPSIS
    end = tokens[-1].end()
    return (text[:end].rstrip(_DANGLING) or text[:end]) + ELLIPSIS
