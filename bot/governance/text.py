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


def pilot_name(name: str) -> str:
    """The name to store, or one line saying what is wrong with it."""
    name = name.strip()
    if not visible(name):
        raise InvalidInput("A pilot needs a name that shows: letters, digits or signs.")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"A pilot's name is at most {MAX_NAME} characters; this is {len(name):,}."
        )
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput("A pilot's name can't hold control characters; type plain text.")
    return name
