"""Rules for text people give a pilot, whichever door it came through."""

from __future__ import annotations

import unicodedata

from bot.errors import InvalidInput

MAX_NAME = 200
# Characters that show nothing: controls, formats (zero-width joiners, direction marks),
# line and paragraph separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def visible(text: str) -> str:
    """`text` without the characters that show nothing, and without outer white space."""
    return "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE).strip()


def shown_text(text: str, *, limit: int, blank: str, whose: str) -> str:
    """`text` without outer white space, or InvalidInput: `blank` when nothing in it shows,
    or that `whose` (like "A pilot's name") is at most `limit` characters."""
    text = text.strip()
    if not visible(text):
        raise InvalidInput(blank)
    if len(text) > limit:
        raise InvalidInput(f"{whose} is at most {limit} characters; this is {len(text):,}.")
    return text


def pilot_name(name: str) -> str:
    """The name to store, or one line saying what is wrong with it."""
    name = shown_text(
        name,
        limit=MAX_NAME,
        blank="A pilot needs a name that shows: letters, digits or signs.",
        whose="A pilot's name",
    )
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput("A pilot's name can't hold control characters; type plain text.")
    return name
