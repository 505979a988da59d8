"""How the rules name a person in the sentences they write, without speaking Slack.

Governance text is plain text. Where it names a person it writes `person(user_id)`: the user
id between two private-use code points (U+E000 … U+E001), which no keyboard types and Slack
never sends for a mention. A surface escapes the whole sentence as it escapes any user text,
then turns each `PERSON` match, and nothing else, into a live mention (`<@U123>` in mrkdwn,
a display name in plain text). User text embedded in a sentence goes through
`without_person_marks` first, so a pilot named "\ue000U1\ue001" cannot forge a mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PERSON_START = "\ue000"
PERSON_END = "\ue001"
# A user id as Slack forms them (`U…`, `W…`, upper-case letters and digits), between the marks.
PERSON = re.compile(f"{PERSON_START}([A-Z0-9]{{1,32}}){PERSON_END}")
_MARKS = re.compile(f"[{PERSON_START}{PERSON_END}]")


def person(user_id: str) -> str:
    """The reference to one person in a governance sentence; see the module docstring."""
    if not re.fullmatch(r"[A-Z0-9]{1,32}", user_id):
        # Only ids pilotgate stored from Slack reach here; anything else is shown as text.
        return without_person_marks(user_id)
    return f"{PERSON_START}{user_id}{PERSON_END}"


def without_person_marks(text: str) -> str:
    """User text made safe to embed in a governance sentence: the two marks removed."""
    return _MARKS.sub("", text)


def people_named(text: str) -> tuple[str, ...]:
    """The user ids a sentence names, in order of appearance."""
    return tuple(match.group(1) for match in PERSON.finditer(text))


def render_people(text: str, render: Callable[[str], str]) -> str:
    """`text` with each person reference replaced by `render(user_id)`.

    Surfaces call it after escaping, with a renderer such as `lambda uid: f"<@{uid}>"`;
    `plain_people` is the renderer-free form for logs, tests and plain-text fallbacks.
    """
    return PERSON.sub(lambda match: render(match.group(1)), text)


def plain_people(text: str) -> str:
    """`text` with each person reference written `@U123`."""
    return render_people(text, lambda user_id: f"@{user_id}")
