"""Pieces every surface shares: escaping, Slack's length limits, and the lines people read.

Everything that returns mrkdwn returns it escaped: user text goes through `escape` (or
`clip_mrkdwn`) exactly once, so a pilot named `<!channel>` reads as text and pings nobody.
Plain-text objects (headers, buttons, labels, options) are never parsed for mentions or links,
so they carry user text as typed, only shortened to fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.governance import cadence as cadence_rules
from bot.governance.facts import PilotFacts
from bot.governance.formatting import ELLIPSIS
from bot.governance.formatting import MINUS
from bot.governance.formatting import change_against_baseline
from bot.governance.formatting import format_number
from bot.governance.formatting import format_quantity
from bot.governance.formatting import shorten
from bot.governance.formatting import spoken_day
from bot.governance.people import PERSON
from bot.governance.people import render_people
from bot.governance.people import without_person_marks
from bot.governance.readiness import Assessment
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Verdict
from bot.slack.metadata import PilotRef

# Slack's limits (Block Kit reference). Python counts code points, which is what Slack counts.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_TEXT_OBJECT = 3000  # any mrkdwn text object, context elements included
MAX_FIELD_TEXT = 2000  # each of a section's fields
MAX_SECTION_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_PLAIN_TEXT = 150  # headers, placeholders
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_MODAL_TITLE = 24  # also submit and close labels
MAX_LABEL = 2000  # input labels and hints
MAX_BUTTON_VALUE = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25

NOBODY = "nobody yet"

VERDICT_EMOJI = {
    Verdict.GO: "🟢",
    Verdict.NOT_READY: "🟡",
    Verdict.NO_GO: "🔴",
    Verdict.STALLED: "⏸️",
}

_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,20}$")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

Blocks = list[dict[str, Any]]


# ---- escaping and length -------------------------------------------------------------------


def escape(text: str) -> str:
    """Text made safe for mrkdwn, the one escaping rule of every surface: `&`, `<` and `>`
    become entities, so nothing a person typed becomes a mention, a broadcast or a link; the
    rules' person references (bot.governance.people), which nobody can type, become the only
    live mentions."""
    return "".join(_pieces(text))


def escape_keeping_mentions(text: str) -> str:
    """The same as `escape`: kept for the sentences the rules write."""
    return escape(text)


def live_people(text: str) -> str:
    """The rules' person references as Slack mentions (`<@U123>`), in text that is already
    mrkdwn."""
    return without_person_marks(render_people(text, lambda user_id: f"<@{user_id}>"))


def _pieces(text: str) -> Iterator[str]:
    """`text` escaped, a piece a character, except that a person reference is one piece."""
    at = 0
    for match in PERSON.finditer(text):
        yield from (
            _ESCAPES.get(char, char) for char in without_person_marks(text[at : match.start()])
        )
        yield f"<@{match.group(1)}>"
        at = match.end()
    yield from (_ESCAPES.get(char, char) for char in without_person_marks(text[at:]))


def truncate(text: str, limit: int) -> str:
    """Text of at most `limit` characters, cut after a whole word (the governance rule)."""
    return shorten(text, limit)


def clip_mrkdwn(text: str, limit: int) -> str:
    """Escapes user text and shortens it, after a whole word, so the escaped form fits `limit`.

    The cut falls in the original text, so never inside an entity like `&amp;`.
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    # Entities take more room than the characters they stand for: find the longest cut of
    # the original whose escaped form fits.
    best, low, high = ELLIPSIS, 1, limit
    while low <= high:
        room = (low + high) // 2
        cut = escape(shorten(text, room))
        if len(cut) <= limit:
            best, low = cut, room + 1
        else:
            high = room - 1
    return best


def shorten_mrkdwn(text: str, limit: int) -> str:
    """Shortens text that is already mrkdwn after a whole word, never leaving an entity, a
    mention or a code span cut open (only an over-long first word is cut inside)."""
    if len(text) <= limit:
        return text
    cut = shorten(text, limit).removesuffix(ELLIPSIS)
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    mention = cut.rfind("<")
    if mention != -1 and ">" not in cut[mention:]:
        cut = cut[:mention]
    if cut.count("`") % 2:
        cut = cut[: cut.rfind("`")]
    return cut.rstrip() + ELLIPSIS


def code(text: str) -> str:
    """A command or form shown as code in mrkdwn: `/pilot new <name>` stays readable."""
    flat = text.replace("`", "'")
    return f"`{escape(flat)}`"


# ---- Block Kit pieces ----------------------------------------------------------------------


def plain(text: str, limit: int = MAX_PLAIN_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text or " ", limit), "emoji": True}


def mrkdwn(text: str, limit: int = MAX_TEXT_OBJECT) -> dict[str, Any]:
    """A mrkdwn text object from text that is already escaped. `verbatim` keeps Slack from
    turning bare words such as `@here` or `#general` into live mentions or links."""
    return {"type": "mrkdwn", "text": shorten_mrkdwn(text or " ", limit), "verbatim": True}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text, MAX_SECTION_TEXT)}


def fields_section(fields: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "section",
        "fields": [mrkdwn(text, MAX_FIELD_TEXT) for text in fields[:MAX_SECTION_FIELDS]],
    }


def context(*texts: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [mrkdwn(text) for text in texts[:MAX_CONTEXT_ELEMENTS]],
    }


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, primary: bool = False) -> dict[str, Any]:
    if len(value) > MAX_BUTTON_VALUE:
        raise ValueError(f"a button value is at most {MAX_BUTTON_VALUE} characters")
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": str(action_id),
        "value": value,
    }
    if primary:
        element["style"] = "primary"
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "actions", "elements": list(elements[:MAX_ACTIONS_ELEMENTS])}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> dict[str, Any]:
    if len(value) > MAX_OPTION_VALUE:
        raise ValueError(f"an option value is at most {MAX_OPTION_VALUE} characters")
    return {"text": plain(text, MAX_OPTION_TEXT), "value": str(value)}


def pilot_value(key: str) -> str:
    """A button value or private_metadata naming one pilot."""
    return PilotRef(key=key).dump()


def pack_lines(
    lines: Iterable[str], limit: int = MAX_SECTION_TEXT, max_sections: int | None = None
) -> tuple[list[str], int]:
    """Joins lines with newlines into as few texts of at most `limit` characters as fit.

    A line longer than the limit is shortened. Returns the texts and how many lines they hold;
    with `max_sections`, the lines that would need more texts are left out (and counted out).
    """
    texts: list[str] = []
    current: list[str] = []
    size = 0
    taken = 0
    for raw in lines:
        line = shorten_mrkdwn(raw, limit)
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            texts.append("\n".join(current))
            current, size = [], 0
            extra = len(line)
        if not current and max_sections is not None and len(texts) >= max_sections:
            return texts, taken
        current.append(line)
        size += extra
        taken += 1
    if current:
        texts.append("\n".join(current))
    return texts, taken


def bullets(items: Iterable[str], limit: int = MAX_SECTION_TEXT, title: str = "") -> str:
    """A bulleted mrkdwn list of already-escaped items within `limit`, ending in a count of
    what did not fit."""
    lines = [title] if title else []
    items = list(items)
    for index, item in enumerate(items):
        candidate = "\n".join([*lines, f"• {item}"])
        rest = len(items) - index - 1
        reserve = len(f"\n…and {len(items)} more") if rest else 0
        if len(candidate) + reserve > limit:
            lines.append(f"…and {len(items) - index} more")
            break
        lines.append(f"• {item}")
    return shorten_mrkdwn("\n".join(lines), limit)


# ---- lines people read ---------------------------------------------------------------------


def verdict_text(verdict: Verdict) -> str:
    """`🟡 Not ready`: the emoji, then the exact verdict word."""
    return f"{VERDICT_EMOJI[verdict]} {verdict.label}"


def mention(user_id: str | None) -> str:
    """`<@U123>` for a well-formed Slack user id, else the id as escaped text, or nobody yet."""
    if not user_id:
        return NOBODY
    if _USER_ID.match(user_id):
        return f"<@{user_id}>"
    return escape(user_id)


def pilot_title(facts: PilotFacts, limit: int = MAX_HEADER_TEXT) -> str:
    """`P-3 · Support drafting` as plain text (headers)."""
    return truncate(f"{facts.key} · {facts.name}", limit)


def pilot_name(facts: PilotFacts, limit: int = 80) -> str:
    """The pilot's name, escaped and shortened for a mrkdwn line."""
    return clip_mrkdwn(facts.name, limit)


def change_text(percent: float) -> str:
    """-35.71 -> `\u221235.7%` (a true minus sign), 12 -> `+12.0%`."""
    if round(percent, 1) == 0:
        return "0.0%"
    sign = MINUS if percent < 0 else "+"
    return f"{sign}{abs(percent):,.1f}%"


def metric_line(facts: PilotFacts, assessment: Assessment) -> str:
    """`handle time: 9 min now · baseline 14 min (35.7% better) · go at ≤ 9.8 min`, escaped."""
    head = clip_mrkdwn(facts.metric_name, 100) if facts.metric_name else "No go-live metric yet"
    unit = facts.unit
    parts: list[str] = []
    if facts.latest_reading is not None:
        parts.append(f"{_quantity(facts.latest_reading.value, unit)} now")
    else:
        parts.append("no reading yet")
    if facts.baseline is not None:
        baseline = f"baseline {_quantity(facts.baseline.value, unit)}"
        latest = facts.latest_reading
        change = (
            change_against_baseline(facts.baseline.value, latest.value, facts.better)
            if latest is not None
            else None
        )
        if change is not None:
            baseline += f" ({change})"
        parts.append(baseline)
    else:
        parts.append("no baseline")
    if facts.threshold is None:
        parts.append("no threshold")
    elif facts.better is None:
        parts.append(f"threshold {_quantity(facts.threshold, unit)} (better: not set)")
    else:
        bound = "≤" if facts.better is Better.LOWER else "≥"
        parts.append(f"go at {bound} {_quantity(facts.threshold, unit)}")
    return f"{head}: {' · '.join(parts)}"


def _quantity(value: float, unit: str | None) -> str:
    return clip_mrkdwn(format_quantity(value, unit), 60)


def decide_by_line(day: date | None, now: datetime, tz: ZoneInfo) -> str:
    """`decide by 2026-12-15 (in 29 days)`, `(today)`, `(passed 3 days ago)`."""
    if day is None:
        return "no decide-by date"
    days = cadence_rules.days_until(day, now, tz)
    if days > 1:
        when = f"in {format_number(days)} days"
    elif days == 1:
        when = "tomorrow"
    elif days == 0:
        when = "today"
    elif days == -1:
        when = "passed yesterday"
    else:
        when = f"passed {format_number(-days)} days ago"
    return f"decide by {spoken_day(day, cadence_rules.local_date(now, tz))} ({when})"


def due_words(day: date | None, now: datetime, tz: ZoneInfo) -> str:
    """`by 15 Dec (in 29 days)`, `today, 16 Nov`, `due 1 Nov (15 days ago)`: a date in words
    a phone never wraps inside, for lines read at a glance."""
    if day is None:
        return "no decide-by date"
    when = spoken_day(day, cadence_rules.local_date(now, tz))
    days = cadence_rules.days_until(day, now, tz)
    if days > 1:
        return f"by {when} (in {format_number(days)} days)"
    if days == 1:
        return f"by {when} (tomorrow)"
    if days == 0:
        return f"today, {when}"
    ago = "yesterday" if days == -1 else f"{format_number(-days)} days ago"
    return f"due {when} ({ago})"


def headline(text: str, limit: int = 90) -> str:
    """The gist of a gap or need without its remedy, escaped (mentions kept) and shortened.

    `No baseline: measure … with `/pilot baseline …`` gives `No baseline`; a short prefix
    such as `decide: ready for a go decision with `…`` keeps the words up to the command.
    """
    head, colon, _ = text.partition(": ")
    if colon and len(head) >= _MIN_HEADLINE:
        gist = head
    else:
        gist = text.split("`", 1)[0].rstrip(" :;,")
        gist = gist.removesuffix(" with").rstrip(" :;,") or text
    return shorten_mrkdwn(escape_keeping_mentions(gist), limit)


_MIN_HEADLINE = 8


def count_noun(count: int, singular: str, plural: str | None = None) -> str:
    word = singular if count == 1 else (plural or singular + "s")
    return f"{format_number(count)} {word}"
