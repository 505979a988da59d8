"""How the text people type for a pilot's fields is read into typed values.

Each reader takes the text a person typed and returns the typed value, or raises InvalidInput
with one line that says what was wrong and the right form. Slack's escaped mentions
(`<@U123|ann>`, `<#C123|x>`) are read here and nowhere else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from bot.errors import InvalidInput
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Field

MAX_TEXT = 200
# Slack ids are short; the bound keeps a forged one from overflowing its column.
USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]{1,31})(?:\|[^>]*)?>$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{1,31}$")
CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]{1,31})(?:\|[^>]*)?>$")
# Control characters, and the two private-use marks the rules name people with (no keyboard
# types them; refusing them keeps a person reference unforgeable).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")
MAX_WHOLE = 1_000_000_000
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_CLEAR_WORDS = {"none", "-"}
# A currency sign is allowed before or after the number (`$0.42`, `0.42€`), not inside it.
_CURRENCY = re.compile(r"^[$€£]|[$€£]$")
MAX_NUMBER = 1e15
MAX_URL = 500
# Slack escapes a link as `<https://…>` or `<https://…|label>`, and `&`, `<`, `>` in it.
_SLACK_LINK = re.compile(r"^<([^<>|]*)(?:\|[^<>]*)?>$")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
# Characters that would end a link where Slack shows it, or split it where people copy it.
_NOT_IN_URL = re.compile(r"[\s<>|\"`]")

FieldValue = str | float | int | bool | date | Better | Cadence | None


@dataclass(frozen=True)
class FieldSpec:
    field: Field
    form: str
    meaning: str
    read: Callable[[str, str], FieldValue]

    @property
    def name(self) -> str:
        return self.field.value

    def parse(self, raw: str) -> FieldValue:
        return self.read(self.name, raw.strip())


def mentioned_user(raw: str) -> str | None:
    """The user id in Slack's escaped mention `<@U123|ann>`, or None."""
    match = USER_MENTION.match(raw.strip())
    return match.group(1) if match else None


def read_user_id(name: str, raw: str) -> str:
    """A bare user id as a users_select hands it back; forged ones are refused."""
    if not USER_ID.match(raw):
        raise InvalidInput(f"`{name}` takes a person: pick them from the list.")
    return raw


def read_user(name: str, raw: str) -> str:
    user = mentioned_user(raw)
    if user is None:
        raise InvalidInput(f"`{name}` takes a person: type @ and pick them, like `{name}:@ann`.")
    return user


def read_channel(raw: str) -> str:
    match = CHANNEL_MENTION.match(raw.strip())
    if not match:
        raise InvalidInput("That is not a channel: type # and pick it, like `#ai-sponsors`.")
    return match.group(1)


def shown(raw: str, limit: int = 40) -> str:
    """What a person typed, safe to quote back on one line inside backticks."""
    flat = " ".join(raw.replace("`", "'").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@contextmanager
def quoting(word: str, says: str) -> Iterator[None]:
    """Turns a refusal inside the block (a reader's InvalidInput, or the ValueError of a word
    that names no member of an enum) into one line that quotes the word as typed and `says`
    what it is not, with the command's form: "`nine` is not a number: `/pilot …`."
    """
    try:
        yield
    except (InvalidInput, ValueError):
        raise InvalidInput(f"`{shown(word)}` {says}.") from None


def _form(name: str) -> str:
    spec = FIELDS.get(name)
    return spec.form if spec else f"{name}:9.8"


def read_number(name: str, raw: str, *, minimum: float | None = None) -> float:
    text = _CURRENCY.sub("", raw.strip())
    if not text:
        raise InvalidInput(f"`{name}` needs a number, like `{_form(name)}`.")
    if not _NUMBER.match(text):
        raise InvalidInput(
            f"`{name}` takes a number, like `{_form(name)}`; `{shown(raw)}` is not one."
        )
    value = float(text.replace(",", ""))
    if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
        raise InvalidInput(f"`{name}` is too large to be real; use a number like `{_form(name)}`.")
    if minimum is not None and value < minimum:
        raise InvalidInput(
            f"`{name}` can't be below {minimum:g}; use a number like `{_form(name)}`."
        )
    return value


def _number(minimum: float | None = None) -> Callable[[str, str], float]:
    return lambda name, raw: read_number(name, raw, minimum=minimum)


def read_percent(name: str, raw: str) -> float:
    """A percentage from 0 to 100, with or without its `%`."""
    value = read_number(name, raw.strip().removesuffix("%"))
    if not 0 <= value <= 100:
        raise InvalidInput(f"`{name}` is a percentage from 0 to 100, like `{_form(name)}`.")
    return value


def read_whole(name: str, raw: str) -> int:
    """A count of something: a whole number above 0."""
    value = read_number(name, raw, minimum=0)
    if value != int(value) or value > MAX_WHOLE or value < 1:
        raise InvalidInput(f"`{name}` is a whole number above 0, like `{_form(name)}`.")
    return int(value)


def _bar(name: str, raw: str) -> float:
    """A bar of 0% is no bar: above 0 and at most 100."""
    value = read_percent(name, raw)
    if value <= 0:
        raise InvalidInput(
            f"`{name}` is a percentage above 0 and at most 100, like `{_form(name)}`."
        )
    return value


def _currency(name: str, raw: str) -> str:
    code = raw.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidInput(
            f"`{name}` is a three-letter ISO 4217 code, like `{_form(name)}`; "
            f"`{shown(raw)}` is not one."
        )
    return code


def read_text(name: str, raw: str, *, limit: int = MAX_TEXT, form: str | None = None) -> str:
    """Free text people typed: not empty, not too long, no control characters (a NUL cannot
    even be stored by PostgreSQL)."""
    example = form or f"`{_form(name)}`"
    if not raw:
        raise InvalidInput(f"`{name}` needs a value; quote one with spaces, like {example}.")
    if len(raw) > limit:
        raise InvalidInput(
            f"`{name}` is {len(raw):,} characters; {limit:,} at most, like {example}."
        )
    if _CONTROL.search(raw):
        raise InvalidInput(
            f"`{name}` has a control character in it; type plain text, like {example}."
        )
    return raw


def _text(name: str, raw: str) -> str:
    return read_text(name, raw)


def _optional_text(name: str, raw: str) -> str | None:
    return None if raw.lower() in _CLEAR_WORDS else _text(name, raw)


def _monitoring(name: str, raw: str) -> str | None:
    """`monitoring:no` reads as "there is none", so it clears like `none`."""
    return None if raw.lower() == "no" else _optional_text(name, raw)


def _link(name: str, raw: str) -> str | None:
    """An https URL as typed or as Slack escapes it (`<https://…>`, `<https://…|label>`),
    stored bare; `none` clears it. Any other scheme is refused."""
    if raw.lower() in _CLEAR_WORDS:
        return None
    escaped = _SLACK_LINK.match(raw)
    url = escaped.group(1) if escaped else raw
    for entity, char in _ENTITIES:
        url = url.replace(entity, char)
    refusal = InvalidInput(
        f"`{name}` is an https:// link, like `{_form(name)}`; `{shown(raw)}` is not one."
    )
    if _NOT_IN_URL.search(url) or _CONTROL.search(url):
        raise refusal
    try:
        parts = urlsplit(url)
    except ValueError:
        raise refusal from None
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise refusal
    if len(url) > MAX_URL:
        raise InvalidInput(f"`{name}` is {len(url):,} characters; {MAX_URL} at most.")
    return url


def _choice(choices: type[Better] | type[Cadence]) -> Callable[[str, str], Better | Cadence]:
    def read(name: str, raw: str) -> Better | Cadence:
        try:
            return choices(raw.lower())
        except ValueError:
            options = "|".join(choice.value for choice in choices)
            raise InvalidInput(
                f"`{name}` is one of {options}, like `{name}:{options.split('|')[0]}`."
            ) from None

    return read


def _yes_no(name: str, raw: str) -> bool:
    answer = raw.lower()
    if answer in {"yes", "y", "true"}:
        return True
    if answer in {"no", "n", "false"}:
        return False
    raise InvalidInput(f"`{name}` is yes or no, like `{name}:yes`.")


def read_date(name: str, raw: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"`{name}` is a date written YYYY-MM-DD, like `{name}:2026-12-31`; "
            f"`{shown(raw)}` is not one."
        ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        # Far dates are typos, and date arithmetic near year 1 or 9999 overflows.
        raise InvalidInput(
            f"`{name}` must fall between {EARLIEST_DATE.year} and {LATEST_DATE.year}, "
            f"like `{name}:2026-12-31`."
        )
    return day


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec(Field.NAME, 'name:"support drafting"', "what the pilot is called", _text),
        FieldSpec(Field.OWNER, "owner:@person", "the one accountable owner", read_user),
        FieldSpec(Field.SPONSOR, "sponsor:@person", "the executive who decides", read_user),
        FieldSpec(Field.METRIC, 'metric:"handle time"', "the go-live metric", _text),
        FieldSpec(Field.UNIT, "unit:min", "the metric's unit", _optional_text),
        FieldSpec(Field.BETTER, "better:lower|higher", "which way is better", _choice(Better)),
        FieldSpec(Field.THRESHOLD, "threshold:9.8", "the value that means go", _number()),
        FieldSpec(
            Field.CADENCE,
            "cadence:weekly|biweekly|monthly",
            "how often a reading is due",
            _choice(Cadence),
        ),
        FieldSpec(Field.DECIDE_BY, "decide-by:YYYY-MM-DD", "the go/no-go date", read_date),
        FieldSpec(
            Field.WORKFLOW,
            "workflow:Zendesk",
            "the live system it writes into",
            _optional_text,
        ),
        FieldSpec(
            Field.EVAL_SIZE,
            "eval-size:150",
            "labelled examples in the eval set (with eval-score, records a run)",
            read_whole,
        ),
        FieldSpec(
            Field.EVAL_SCORE,
            "eval-score:96",
            "an eval run's score, percent; records the run, as `eval` does",
            read_percent,
        ),
        FieldSpec(Field.EVAL_BAR, "eval-bar:95", "the acceptance bar, percent", _bar),
        FieldSpec(
            Field.MONITORING,
            "monitoring:Grafana",
            "where production quality is watched (`none` clears)",
            _monitoring,
        ),
        FieldSpec(Field.ROLLBACK, "rollback:yes|no", "a rollback or kill switch exists", _yes_no),
        FieldSpec(
            Field.COST_PER_UNIT,
            "cost-per-unit:0.12",
            "cost of one unit at full scale",
            _number(minimum=0),
        ),
        FieldSpec(
            Field.VALUE_PER_UNIT,
            "value-per-unit:0.90",
            "value of one unit at full scale",
            _number(minimum=0),
        ),
        FieldSpec(Field.VOLUME, "volume:100000", "units a month at full scale", read_whole),
        FieldSpec(Field.CURRENCY, "currency:EUR", "the ISO 4217 code money is shown in", _currency),
        FieldSpec(
            Field.EVAL_REPORT,
            "eval-report:https://…",
            "link to the evaluation report (`none` clears)",
            _link,
        ),
        FieldSpec(
            Field.DASHBOARD,
            "dashboard:https://…",
            "link to the monitoring dashboard (`none` clears)",
            _link,
        ),
        FieldSpec(
            Field.RUNBOOK,
            "runbook:https://…",
            "link to the rollback runbook (`none` clears)",
            _link,
        ),
    )
}


def field_spec(name: str) -> FieldSpec:
    spec = FIELDS.get(name.lower())
    if spec is None:
        raise InvalidInput(
            f"`{shown(name)}` is not a field; the fields are {', '.join(FIELDS)}. "
            "Try `/pilot help`."
        )
    return spec


def read_changes(raw: Mapping[str, str]) -> dict[Field, FieldValue]:
    """Reads every field first, so one bad value means nothing is changed."""
    return {field_spec(name).field: field_spec(name).parse(value) for name, value in raw.items()}
