"""The `/pilot` grammar: text in, one typed command out, or one line saying what was wrong.

Parsing is pure and reads every value: a change comes out as the services' own typed command
(numbers, dates, user ids, enums), so what a person typed is read here and nowhere else. A
command that parses can still be refused (no such pilot, no right to change it), and nothing
is changed by a parse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.governance.digest_schedule import DigestSchedule
from bot.governance.text import pilot_name
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import MeasurementKind
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.services import commands
from bot.services.commands import AcceptBaseline
from bot.services.commands import AssignRaci
from bot.services.commands import Decide
from bot.services.commands import PilotKey
from bot.services.commands import RecordMeasurement
from bot.services.commands import Register
from bot.services.commands import SetFields
from bot.services.pilots import MAX_NOTE
from bot.slack import evidence_words
from bot.slack import token_words
from bot.slack.digest_words import parse_schedule
from bot.slack.fields import mentioned_user
from bot.slack.fields import quoting
from bot.slack.fields import read_changes
from bot.slack.fields import read_channel
from bot.slack.fields import read_date
from bot.slack.fields import read_number
from bot.slack.fields import read_text
from bot.slack.fields import read_whole
from bot.slack.fields import shown
from bot.slack.token_words import TokenCommand
from bot.slack.token_words import parse_token

MAX_TEXT = 3000
# Slack's clients turn straight quotes into curly ones as people type.
_QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class OpenRegistration:
    pass


@dataclass(frozen=True)
class ShowRaci:
    key: PilotKey


@dataclass(frozen=True)
class Status:
    key: PilotKey


@dataclass(frozen=True)
class ListPilots:
    pass


@dataclass(frozen=True)
class History:
    """One page of a pilot's audit trail, newest first."""

    key: PilotKey
    page: int = 1


@dataclass(frozen=True)
class Chart:
    key: PilotKey


@dataclass(frozen=True)
class SubscribeDigest:
    channel_id: str
    schedule: DigestSchedule


Command = (
    Help | OpenRegistration | ShowRaci | Status | ListPilots | History | Chart | SubscribeDigest
    | commands.Command | TokenCommand
)  # fmt: skip

FORMS = {
    "help": "/pilot help",
    "new": "/pilot new [name]",
    "set": '/pilot set P-1 field:value … (quote spaces: metric:"handle time")',
    "baseline": "/pilot baseline P-1 <number> [note]",
    "update": "/pilot update P-1 <number> [guardrail:<number> …] [note]",
    "guardrail": "/pilot guardrail P-1 <name> lower|higher <limit> [unit] (or: <name> remove)",
    "eval": "/pilot eval P-1 <score>% [n:<examples>] [note]",
    "raci": "/pilot raci P-1 <area|all> <R|A|C|I> @person…",
    "status": "/pilot status P-1",
    "history": "/pilot history P-1 [page]",
    "chart": "/pilot chart P-1",
    "list": "/pilot list",
    "decide": "/pilot decide P-1 go|no-go|extend <why>",
    "accept": "/pilot accept P-1 baseline <reason>",
    "digest": "/pilot digest #channel daily|weekly [mon…sun] [HH:MM]",
    "token": token_words.FORM,
}


def tokenize(text: str) -> list[str]:
    """Splits on spaces; double quotes group words and are dropped (`metric:"a b"`)."""
    for curly, straight in _QUOTES.items():
        text = text.replace(curly, straight)
    tokens: list[str] = []
    current: list[str] = []
    in_quote = False
    started = False
    for char in text:
        if char == '"':
            in_quote = not in_quote
            started = True
        elif char.isspace() and not in_quote:
            if started:
                tokens.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if in_quote:
        raise InvalidInput(
            'A quote is not closed; quote values with spaces like `metric:"handle time"`.'
        )
    if started:
        tokens.append("".join(current))
    return tokens


def parse(text: str) -> Command:
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"That command is {len(text):,} characters; keep it under {MAX_TEXT:,}, "
            "like `/pilot update P-1 9.5 a short note`."
        )
    tokens = tokenize(text)
    if not tokens:
        raise InvalidInput("Say what to do, like `/pilot status P-1`; `/pilot help` lists it all.")
    verb, args = tokens[0].lower(), tokens[1:]
    parser = _PARSERS.get(verb)
    if parser is None:
        raise InvalidInput(
            f"`{shown(tokens[0])}` is not a /pilot command; `/pilot help` lists them."
        )
    return parser(args)


def _form(verb: str) -> str:
    return f"`{FORMS[verb]}`"


def _key(verb: str, args: list[str]) -> PilotKey:
    if not args:
        raise InvalidInput(f"`/pilot {verb}` needs a pilot key: {_form(verb)}.")
    key = PilotKey.parse(args[0])
    if key is None:
        raise InvalidInput(f"`{shown(args[0])}` is not a pilot key; keys look like `P-12`.")
    return key


Parser = Callable[[list[str]], Command]


def _nothing(verb: str, result: Command) -> Parser:
    def parse_args(args: list[str]) -> Command:
        if args:
            raise InvalidInput(f"`/pilot {verb}` takes nothing more: {_form(verb)}.")
        return result

    return parse_args


def _one_key(verb: str, result: Callable[[PilotKey], Command]) -> Parser:
    def parse_args(args: list[str]) -> Command:
        key = _key(verb, args)
        if len(args) > 1:
            raise InvalidInput(f"`/pilot {verb}` takes one key: {_form(verb)}.")
        return result(key)

    return parse_args


def _new(args: list[str]) -> Command:
    if not args:
        return OpenRegistration()
    form = "`/pilot new <name>`"
    try:
        return Register(pilot_name(read_text("name", " ".join(args), form=form)))
    except InvalidInput as error:
        raise InvalidInput(f"{error.message.rstrip('.').split(', like ')[0]}: {form}.") from None


def _set(args: list[str]) -> Command:
    key = _key("set", args)
    fields: dict[str, str] = {}
    for token in evidence_words.rejoin_slack_escapes(args[1:]):
        name, colon, value = token.partition(":")
        if not colon or not name:
            raise InvalidInput(f"`{shown(token)}` is not field:value: {_form('set')}.")
        if name.lower() in fields:
            raise InvalidInput(f"`{shown(name)}` is given twice; set it once: {_form('set')}.")
        fields[name.lower()] = value
    reason = _reason(fields.pop("reason", None), _form("set"))
    if not fields:
        raise InvalidInput(f"Say what to set: {_form('set')}.")
    return SetFields(key, read_changes(fields), reason)


def _reason(raw: str | None, form: str) -> str | None:
    """`reason:"…"`: why a fact locked by readings changes (the baseline, the threshold)."""
    if raw is None:
        return None
    return read_text("reason", raw.strip(), limit=MAX_NOTE, form=form)


def _take_reason(args: list[str], form: str) -> tuple[list[str], str | None]:
    """The words without a `reason:"…"` token, and the reason it gave."""
    reasons = [a for a in args if a.lower().startswith("reason:")]
    if len(reasons) > 1:
        raise InvalidInput(f"Give one reason, not {len(reasons)}: {form}.")
    rest = [a for a in args if not a.lower().startswith("reason:")]
    return rest, _reason(reasons[0][len("reason:") :], form) if reasons else None


def _measurement(verb: str) -> Parser:
    kind = MeasurementKind.BASELINE if verb == "baseline" else MeasurementKind.READING

    def parse_args(args: list[str]) -> Command:
        key = _key(verb, args)
        form = f"`/pilot {verb} {key} <number> [note]`"
        reason = None
        if kind is MeasurementKind.BASELINE:
            args, reason = _take_reason(args, f'`/pilot baseline {key} <number> reason:"…"`')
        if len(args) < 2:
            raise InvalidInput(f"`/pilot {verb}` needs a number: {_form(verb)}.")
        with quoting(args[1], f"is not a number: {form}"):
            value = read_number("value", args[1])
        return RecordMeasurement(key, kind, value, evidence_words.read_note(args[2:], form), reason)

    return parse_args


def _update(args: list[str]) -> Command:
    key = _key("update", args)
    return evidence_words.parse_update(key, args[1:])


def _guardrail(args: list[str]) -> Command:
    key = _key("guardrail", args)
    return evidence_words.parse_guardrail(key, args[1:])


def _eval(args: list[str]) -> Command:
    key = _key("eval", args)
    return evidence_words.parse_eval(key, args[1:])


def _raci(args: list[str]) -> Command:
    key = _key("raci", args)
    if len(args) == 1:
        return ShowRaci(key)
    if len(args) < 4:
        raise InvalidInput(f"Name the area, the role and the people: {_form('raci')}.")
    form = f"`/pilot raci {key} <area|all> <R|A|C|I> @person…`"
    areas = _areas(args[1], form)
    with quoting(args[2], f"is not a RACI role; use R, A, C or I: {form}"):
        role = RaciRole(args[2].upper())
    users = tuple(dict.fromkeys(_person(raw, form) for raw in args[3:]))
    if role is RaciRole.ACCOUNTABLE and len(users) != 1:
        named = "every area" if len(areas) > 1 else areas[0].value
        raise InvalidInput(
            f"Each area has exactly one Accountable; name one person for {named}: {form}."
        )
    return AssignRaci(key, areas, role, users)


def _areas(word: str, form: str) -> tuple[RaciArea, ...]:
    if word.lower() == "all":
        return tuple(RaciArea)
    names = "|".join(a.value for a in RaciArea)
    with quoting(word, f"is not a RACI area; use {names} or all: {form}"):
        return (RaciArea(word.lower()),)


def _person(raw: str, form: str) -> str:
    user = mentioned_user(raw)
    if user is None:
        raise InvalidInput(f"`{shown(raw)}` is not a person; type @ and pick them: {form}.")
    return user


def _history(args: list[str]) -> Command:
    key = _key("history", args)
    if len(args) > 2:
        raise InvalidInput(f"`/pilot history` takes a key and a page: {_form('history')}.")
    if len(args) == 1:
        return History(key)
    with quoting(args[1], f"is not a page number: `/pilot history {key} 2`"):
        return History(key, read_whole("page", args[1]))


def _decide(args: list[str]) -> Command:
    key = _key("decide", args)
    if len(args) < 3:
        raise InvalidInput(f"Say the decision and why: {_form('decide')}.")
    form = f"`/pilot decide {key} go|no-go|extend <why>`"
    with quoting(args[1], f"is not a decision: {form}"):
        decision = Decision(args[1].lower())
    words, until = args[2:], None
    if decision is Decision.EXTEND:
        extend_form = f"`/pilot decide {key} extend until:YYYY-MM-DD <why>`"
        if not words or not words[0].lower().startswith("until:"):
            raise InvalidInput(f"An extension needs its new date: {extend_form}.")
        until = read_date("until", words[0][len("until:") :])
        words, form = words[1:], extend_form
    rationale = " ".join(words).strip()
    if not rationale:
        raise InvalidInput(f"A decision needs its reason, for the record: {form}.")
    read_text("reason", rationale, limit=MAX_NOTE, form=form)
    return Decide(key, decision, rationale, until)


def _accept(args: list[str]) -> Command:
    key = _key("accept", args)
    if len(args) < 3 or args[1].lower() != "baseline":
        raise InvalidInput(f"Say what is accepted and why: {_form('accept')}.")
    reason = " ".join(args[2:]).strip()
    form = f"`/pilot accept {key} baseline <reason>`"
    return AcceptBaseline(key, read_text("reason", reason, limit=MAX_NOTE, form=form))


def _digest(args: list[str]) -> Command:
    if not args:
        raise InvalidInput(f"Name the channel: {_form('digest')}.")
    return SubscribeDigest(read_channel(args[0]), parse_schedule(args[1:]))


_PARSERS: dict[str, Parser] = {
    "help": _nothing("help", Help()),
    "new": _new,
    "set": _set,
    "baseline": _measurement("baseline"),
    "update": _update,
    "guardrail": _guardrail,
    "eval": _eval,
    "raci": _raci,
    "status": _one_key("status", Status),
    "history": _history,
    "chart": _one_key("chart", Chart),
    "list": _nothing("list", ListPilots()),
    "decide": _decide,
    "accept": _accept,
    "digest": _digest,
    "token": parse_token,
}
