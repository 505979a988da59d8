"""The governance words for money and days, as a phone shows them.

The rules (bot.governance.formatting) say how money and changes read; here the parts of an
amount or a day are joined with a no-break space, so a phone's line wrap never separates
`244,000` from `USD` or `15` from `Dec`, and what reaches mrkdwn is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.governance.formatting import NBSP as NBSP
from bot.governance.formatting import format_money
from bot.governance.formatting import is_break_even

# A pilot key never wraps at its hyphen (`P-` at a line's end, `3` on the next); the
# grammar reads a key written with it as with the plain hyphen.
NB_HYPHEN = "\u2011"


def money(amount: float, currency: str) -> str:
    """`244,000 USD`, `0.40 EUR`, a loss with a minus sign; escaped, never wrapped apart."""
    shown = format_money(amount, currency)
    escaped = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace(" ", NBSP)


def money_totals(amounts: Mapping[str, float]) -> str:
    """`12,000 EUR + 488,000 USD`: sums in several currencies are never added together."""
    return " + ".join(money(amounts[code], code) for code in sorted(amounts))


def net_value_words(net: float, currency: str) -> str:
    """`net value of 244,000 USD a month`, `break-even`, `net loss of 12,000 USD a month`."""
    if is_break_even(net):
        return "break-even"
    word = "net value" if net > 0 else "net loss"
    return f"{word} of {money(abs(net), currency)} a month"


def key_text(key: str) -> str:
    """`P-3` written with a no-break hyphen, for prose a phone wraps."""
    return key.replace("-", NB_HYPHEN)
