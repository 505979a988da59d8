"""The `/pilot` grammar: text in, one typed command out, or one line saying what was wrong.

Parsing is pure: values are checked for shape here and for meaning by the services, so a
command that parses can still be refused, and nothing is changed by a parse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.errors import InvalidInput
from bot.governance.fields import shown

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
class Register:
    name: str


@dataclass(frozen=True)
class SetFields:
    key: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordBaseline:
    key: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class RecordReading:
    key: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class AssignRaci:
    key: str
    area: str
    role: str
    users: tuple[str, ...]


@dataclass(frozen=True)
class ShowRaci:
    key: str


@dataclass(frozen=True)
class Status:
    key: str


@dataclass(frozen=True)
class ListPilots:
    pass


@dataclass(frozen=True)
class Decide:
    key: str
    decision: str
    rationale: str


@dataclass(frozen=True)
class SubscribeDigest:
    channel: str
    schedule: tuple[str, ...]


Command = (
    Help | OpenRegistration | Register | SetFields | RecordBaseline | RecordReading
    | AssignRaci | ShowRaci | Status | ListPilots | Decide | SubscribeDigest
)  # fmt: skip

FORMS = {
    "help": "/pilot help",
    "new": "/pilot new [name]",
    "set": '/pilot set P-1 field:value … (quote spaces: metric:"handle time")',
    "baseline": "/pilot baseline P-1 <number> [note]",
    "update": "/pilot update P-1 <number> [note]",
    "raci": "/pilot raci P-1 <area> <R|A|C|I> @person…",
    "status": "/pilot status P-1",
    "list": "/pilot list",
    "decide": "/pilot decide P-1 go|no-go|extend <why>",
    "digest": "/pilot digest #channel daily|weekly [mon…sun] [HH:MM]",
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


def _key(verb: str, args: list[str]) -> str:
    if not args:
        raise InvalidInput(f"`/pilot {verb}` needs a pilot key: {_form(verb)}.")
    return args[0]


Parser = Callable[[list[str]], "Command"]


def _nothing(verb: str, result: Command) -> Parser:
    def parse_args(args: list[str]) -> Command:
        if args:
            raise InvalidInput(f"`/pilot {verb}` takes nothing more: {_form(verb)}.")
        return result

    return parse_args


def _new(args: list[str]) -> Command:
    return Register(" ".join(args)) if args else OpenRegistration()


def _set(args: list[str]) -> Command:
    key = _key("set", args)
    fields: dict[str, str] = {}
    for token in args[1:]:
        name, colon, value = token.partition(":")
        if not colon or not name:
            raise InvalidInput(f"`{shown(token)}` is not field:value: {_form('set')}.")
        if name.lower() in fields:
            raise InvalidInput(f"`{shown(name)}` is given twice; set it once: {_form('set')}.")
        fields[name.lower()] = value
    if not fields:
        raise InvalidInput(f"Say what to set: {_form('set')}.")
    return SetFields(key, fields)


def _measurement(verb: str) -> Parser:
    def parse_args(args: list[str]) -> Command:
        key = _key(verb, args)
        if len(args) < 2:
            raise InvalidInput(f"`/pilot {verb}` needs a number: {_form(verb)}.")
        kind = RecordBaseline if verb == "baseline" else RecordReading
        return kind(key, args[1], " ".join(args[2:]))

    return parse_args


def _raci(args: list[str]) -> Command:
    key = _key("raci", args)
    if len(args) == 1:
        return ShowRaci(key)
    if len(args) < 4:
        raise InvalidInput(f"Name the area, the role and the people: {_form('raci')}.")
    return AssignRaci(key, args[1], args[2], tuple(args[3:]))


def _status(args: list[str]) -> Command:
    key = _key("status", args)
    if len(args) > 1:
        raise InvalidInput(f"`/pilot status` takes one key: {_form('status')}.")
    return Status(key)


def _decide(args: list[str]) -> Command:
    key = _key("decide", args)
    if len(args) < 3:
        raise InvalidInput(f"Say the decision and why: {_form('decide')}.")
    return Decide(key, args[1], " ".join(args[2:]))


def _digest(args: list[str]) -> Command:
    if not args:
        raise InvalidInput(f"Name the channel: {_form('digest')}.")
    return SubscribeDigest(args[0], tuple(args[1:]))


_PARSERS: dict[str, Parser] = {
    "help": _nothing("help", Help()),
    "new": _new,
    "set": _set,
    "baseline": _measurement("baseline"),
    "update": _measurement("update"),
    "raci": _raci,
    "status": _status,
    "list": _nothing("list", ListPilots()),
    "decide": _decide,
    "digest": _digest,
}
