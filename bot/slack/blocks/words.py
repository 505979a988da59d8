"""Words and numbers as people read them: text shortened at a word boundary, money with its
currency, a change against the baseline as better or worse, days as people say them.

Plain text in, plain text out, no Block Kit: small rules the governance package may take
over. Amounts and days join their parts with a no-break space, so neither a cut nor a
phone's line wrap separates `USD` from its number or `15` from `Dec`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from bot.governance.formatting import format_number
from bot.governance.vocabulary import Better

ELLIPSIS = "…"
MINUS = "\u2212"
NBSP = "\u00a0"

# Only these break a line into words: a no-break space, a date or a number never does.
_BREAKS = frozenset(" \t\n")
# Left dangling before the ellipsis they read as a broken sentence.
_DANGLING = " \t\n,;:·(/\u2013\u2014"  # en and em dashes too
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# English whatever the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shorten(text: str, limit: int, cost: Callable[[str], int] | None = None) -> str:
    """`text` within `limit`, cut after a whole word and ending in `…` when it had to be cut.

    `cost` says how much room each character takes (an escaped `&` takes five); by default
    one. Only a first word longer than the limit is cut inside, as nothing else would fit.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    measure = cost or _one
    if sum(measure(char) for char in text) <= limit:
        return text
    return word_prefix(text, limit - 1, measure) + ELLIPSIS


def word_prefix(text: str, room: int, cost: Callable[[str], int]) -> str:
    """The longest start of `text` that ends after a whole word and costs at most `room`."""
    used, end = 0, 0
    for char in text:
        used += cost(char)
        if used > room:
            break
        end += 1
    if end == len(text) or text[end] in _BREAKS:
        cut = end
    else:
        cut = max((i for i in range(end) if text[i] in _BREAKS), default=-1)
        if cut < 0:
            return text[:end]  # one word longer than the room: nothing else would fit
    prefix = text[:cut]
    return prefix.rstrip(_DANGLING) or prefix.rstrip()


def _one(_: str) -> int:
    return 1


def money(amount: float, currency: str) -> str:
    """`USD 244,000`, `EUR 0.40`, `USD 0.0042`: the code first, never a sign like `$`.

    Whole amounts and amounts of a thousand or more have no decimals; others show cents,
    or up to four decimals when a unit costs less than a cent. A loss has a true minus sign
    before its number.
    """
    size = abs(amount)
    if size == int(size) or size >= 1000:
        number = f"{round(size):,}"
    elif round(size, 2) == size or size >= 1:
        number = f"{size:,.2f}"
    else:
        number = format_number(size)
    sign = MINUS if amount < 0 and number.strip("0.,") else ""
    return f"{currency_code(currency)}{NBSP}{sign}{number}"


def currency_code(currency: str) -> str:
    """An ISO 4217 code as given; anything else escaped for mrkdwn, so it is only text."""
    if _CURRENCY.match(currency):
        return currency
    return currency[:10].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def money_totals(amounts: Mapping[str, float]) -> str:
    """`USD 488,000 + EUR 12,000`: sums in several currencies are never added together."""
    return " + ".join(money(amounts[code], code) for code in sorted(amounts))


def net_value_words(net: float, currency: str) -> str:
    """`net value of USD 244,000 a month`, `break-even`, `net loss of USD 12,000 a month`."""
    if abs(net) < 0.005:
        return "break-even"
    word = "net value" if net > 0 else "net loss"
    return f"{word} of {money(abs(net), currency)} a month"


def change_words(percent: float, better: Better | None) -> str:
    """`35.7% better`, `12.0% worse`, `no change`; a signed `+5.8%` when no direction is set."""
    if round(percent, 1) == 0:
        return "no change"
    size = f"{abs(percent):,.1f}%"
    if better is None:
        return f"{MINUS if percent < 0 else '+'}{size}"
    improved = percent < 0 if better is Better.LOWER else percent > 0
    return f"{size} {'better' if improved else 'worse'}"


def short_day(day: date, today: date) -> str:
    """`15 Dec` this year, `15 Dec 2027` otherwise: the words a person says."""
    text = f"{day.day}{NBSP}{_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text}{NBSP}{day.year}"
