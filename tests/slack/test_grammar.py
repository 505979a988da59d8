"""The `/pilot` grammar of the contract: every form it accepts, read into its typed command,
and every malformed one answered with one short line naming the problem and the right form.

The evidence verbs (guardrails, readings of them, eval runs) and links are in
test_evidence_words."""

from __future__ import annotations

from datetime import date
from datetime import time

import pytest

from bot.governance.digest_schedule import DigestSchedule
from bot.governance.digest_schedule import Frequency
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import MeasurementKind
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.services.commands import AcceptBaseline
from bot.services.commands import AssignRaci
from bot.services.commands import Decide
from bot.services.commands import PilotKey
from bot.services.commands import RecordEval
from bot.services.commands import RecordMeasurement
from bot.services.commands import Register
from bot.services.commands import RemoveGuardrail
from bot.services.commands import SetFields
from bot.services.commands import SetGuardrail
from bot.slack.grammar import MAX_TEXT
from bot.slack.grammar import Chart
from bot.slack.grammar import Command
from bot.slack.grammar import Help
from bot.slack.grammar import History
from bot.slack.grammar import ListPilots
from bot.slack.grammar import OpenRegistration
from bot.slack.grammar import ShowRaci
from bot.slack.grammar import Status
from bot.slack.grammar import SubscribeDigest
from bot.slack.grammar import parse
from bot.slack.grammar import tokenize
from tests.slack.test_evidence_words import EVIDENCE_VALID
from tests.slack.typed_input import assert_refused_in_one_line

P1 = PilotKey(1)
P2 = PilotKey(2)
HANDLE_TIME = SetFields(P1, {Field.METRIC: "handle time", Field.THRESHOLD: 9.8})
BASELINE, READING = MeasurementKind.BASELINE, MeasurementKind.READING

VALID: list[tuple[str, Command]] = [
    # help
    ("help", Help()),
    ("HELP", Help()),
    # new
    ("new", OpenRegistration()),
    ("  new  ", OpenRegistration()),
    ("new Support drafting", Register("Support drafting")),
    ("new   Support\tdrafting  ", Register("Support drafting")),
    ('new "Support  drafting"', Register("Support  drafting")),
    ("new 🚀 launch notes", Register("🚀 launch notes")),
    ("New Legal intake", Register("Legal intake")),
    # set
    ('set P-1 metric:"handle time" threshold:9.8', HANDLE_TIME),
    ("set P-1 metric:\u201chandle time\u201d threshold:9.8", HANDLE_TIME),
    ("set P-1 metric:\u201ehandle time\u201c threshold:9.8", HANDLE_TIME),
    ('set P-1 "metric:handle time" threshold:9.8', HANDLE_TIME),
    ('set  P-1\tmetric:"handle time"\t\tthreshold:9.8 ', HANDLE_TIME),
    ("set P-1 Threshold:9.8", SetFields(P1, {Field.THRESHOLD: 9.8})),
    (
        "set p-2 owner:<@U0ANN|ann> sponsor:<@U0SPO> decide-by:2026-12-31 rollback:yes",
        SetFields(
            P2,
            {
                Field.OWNER: "U0ANN",
                Field.SPONSOR: "U0SPO",
                Field.DECIDE_BY: date(2026, 12, 31),
                Field.ROLLBACK: True,
            },
        ),
    ),
    (
        "set P-1 workflow:https://zendesk.example/a:b",
        SetFields(P1, {Field.WORKFLOW: "https://zendesk.example/a:b"}),
    ),
    (
        "set P-1 better:lower cadence:biweekly eval-size:150 eval-score:96 eval-bar:95",
        SetFields(
            P1,
            {
                Field.BETTER: Better.LOWER,
                Field.CADENCE: Cadence.BIWEEKLY,
                Field.EVAL_SIZE: 150,
                Field.EVAL_SCORE: 96.0,
                Field.EVAL_BAR: 95.0,
            },
        ),
    ),
    (
        "set P-1 monitoring:none cost-per-unit:$0.12 value-per-unit:0.90 volume:100,000",
        SetFields(
            P1,
            {
                Field.MONITORING: None,
                Field.COST_PER_UNIT: 0.12,
                Field.VALUE_PER_UNIT: 0.9,
                Field.VOLUME: 100_000.0,
            },
        ),
    ),
    # baseline / update
    ("baseline P-1 14", RecordMeasurement(P1, BASELINE, 14.0)),
    (
        "baseline P-1 14 measured over 4 weeks",
        RecordMeasurement(P1, BASELINE, 14.0, "measured over 4 weeks"),
    ),
    ("update P-1 9", RecordMeasurement(P1, READING, 9.0)),
    (
        "update p-2 9.5  after the\tnew prompt",
        RecordMeasurement(P2, READING, 9.5, "after the new prompt"),
    ),
    ("UPDATE P-1 9.5", RecordMeasurement(P1, READING, 9.5)),
    # raci
    ("raci P-1", ShowRaci(P1)),
    (
        "raci P-1 incidents A <@U1|ann>",
        AssignRaci(P1, (RaciArea.INCIDENTS,), RaciRole.ACCOUNTABLE, ("U1",)),
    ),
    (
        "raci P-1 changes R <@U1|ann> <@U2|bo>",
        AssignRaci(P1, (RaciArea.CHANGES,), RaciRole.RESPONSIBLE, ("U1", "U2")),
    ),
    (
        "raci P-1 Incidents r <@U1> <@U2|bo> <@U1>",
        AssignRaci(P1, (RaciArea.INCIDENTS,), RaciRole.RESPONSIBLE, ("U1", "U2")),
    ),
    ("raci P-1 all A <@U1|ann>", AssignRaci(P1, tuple(RaciArea), RaciRole.ACCOUNTABLE, ("U1",))),
    (
        "raci P-1 ALL i <@U1> <@U2>",
        AssignRaci(P1, tuple(RaciArea), RaciRole.INFORMED, ("U1", "U2")),
    ),
    # the goalposts, moved with a reason
    (
        'baseline P-1 12 reason:"re-measured on the full queue"',
        RecordMeasurement(P1, BASELINE, 12.0, None, "re-measured on the full queue"),
    ),
    (
        'baseline P-1 12 on the full queue reason:"the first was a sample"',
        RecordMeasurement(P1, BASELINE, 12.0, "on the full queue", "the first was a sample"),
    ),
    (
        'set P-1 threshold:9.5 reason:"agreed with finance"',
        SetFields(P1, {Field.THRESHOLD: 9.5}, "agreed with finance"),
    ),
    (
        "accept P-1 baseline measured the week the pilot began",
        AcceptBaseline(P1, "measured the week the pilot began"),
    ),
    # status
    ("status P-1", Status(P1)),
    ("STATUS P-1", Status(P1)),
    ("Status p-12", Status(PilotKey(12))),
    ("  status \t P-1  ", Status(P1)),
    ("status\u00a0P-1", Status(P1)),
    # list
    ("list", ListPilots()),
    ("LIST", ListPilots()),
    # decide
    ("decide P-1 no-go misses the bar", Decide(P1, Decision.NO_GO, "misses the bar")),
    (
        "decide P-2 extend until:2027-03-05 two more months of data",
        Decide(P2, Decision.EXTEND, "two more months of data", date(2027, 3, 5)),
    ),
    ("decide P-1 go 14 -> 9 minutes", Decide(P1, Decision.GO, "14 -> 9 minutes")),
    (
        'decide P-1 extend until:2027-01-31 "needs  another month"',
        Decide(P1, Decision.EXTEND, "needs  another month", date(2027, 1, 31)),
    ),
    ("DECIDE P-1 go ok", Decide(P1, Decision.GO, "ok")),
    ("decide P-1 No-Go misses the bar", Decide(P1, Decision.NO_GO, "misses the bar")),
    # digest
    (
        "digest <#C1|x> weekly fri 16:30",
        SubscribeDigest("C1", DigestSchedule(Frequency.WEEKLY, time(16, 30), 4)),
    ),
    (
        "digest <#C1|ai-sponsors> daily",
        SubscribeDigest("C1", DigestSchedule(Frequency.DAILY, time(9, 0))),
    ),
    (
        "Digest\t<#C1|x>  weekly",
        SubscribeDigest("C1", DigestSchedule(Frequency.WEEKLY, time(9, 0), 0)),
    ),
    # history and chart: read-only, answered on the Slack side
    ("history P-1", History(P1)),
    ("History p-2 3", History(P2, 3)),
    ("chart P-1", Chart(P1)),
    ("CHART p-12", Chart(PilotKey(12))),
    # exactly at the length limit: the command as a whole, and the name
    ("new " + "x" * 200, Register("x" * 200)),
    (
        ("update P-1 9 " + "n" * 2000).ljust(MAX_TEXT),
        RecordMeasurement(P1, READING, 9.0, "n" * 2000),
    ),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[repr(t)[:50] for t, _ in VALID])
def test_a_valid_command_parses_to_exactly_its_command(text: str, expected: Command) -> None:
    assert parse(text) == expected


def test_every_subcommand_of_the_contract_is_covered() -> None:
    kinds = {type(command) for _, command in [*VALID, *EVIDENCE_VALID]}
    assert kinds == {
        Help,
        OpenRegistration,
        Register,
        SetFields,
        RecordMeasurement,
        AssignRaci,
        AcceptBaseline,
        ShowRaci,
        Status,
        ListPilots,
        Decide,
        SubscribeDigest,
        SetGuardrail,
        RemoveGuardrail,
        RecordEval,
        History,
        Chart,
    }


def test_parsing_is_pure_and_repeatable() -> None:
    text = 'set P-1 metric:"handle time"'
    assert parse(text) == parse(text)
    assert parse(text) is not parse(text)


MALFORMED: list[tuple[str, str, list[str]]] = [
    ("empty", "", ["Say what to do", "/pilot status P-1"]),
    ("only-spaces", "   ", ["Say what to do"]),
    ("only-tabs-and-newlines", "\t\n \t", ["Say what to do"]),
    ("unknown-verb", "frobnicate P-1", ["`frobnicate` is not a /pilot command", "/pilot help"]),
    ("unknown-verb-with-newline", '"frob\nnicate" P-1', ["`frob nicate` is not a /pilot"]),
    ("unknown-verb-very-long", "x" * 100, ["is not a /pilot command", "…`"]),
    ("status-without-key", "status", ["needs a pilot key", "`/pilot status P-1`"]),
    ("set-without-key", "set", ["needs a pilot key", "/pilot set P-1 field:value"]),
    ("baseline-without-key", "baseline", ["needs a pilot key", "/pilot baseline P-1 <number>"]),
    ("update-without-key", "update", ["needs a pilot key", "/pilot update P-1 <number>"]),
    ("raci-without-key", "RACI", ["needs a pilot key", "/pilot raci P-1"]),
    ("decide-without-key", "decide", ["needs a pilot key", "/pilot decide P-1"]),
    ("unbalanced-quote", 'set P-1 metric:"handle time', ["quote is not closed", "metric:"]),
    ("unbalanced-curly-quote", "set P-1 metric:\u201chandle time", ["quote is not closed"]),
    ("field-without-value", "set P-1 colour", ["`colour` is not field:value", "/pilot set"]),
    ("value-without-field", "set P-1 :x", ["`:x` is not field:value", "/pilot set"]),
    ("field-twice", "set P-1 unit:min unit:h", ["`unit` is given twice", "/pilot set"]),
    ("field-twice-any-case", "set P-1 unit:min UNIT:h", ["given twice", "/pilot set"]),
    ("set-nothing", "set P-1", ["Say what to set", "/pilot set P-1 field:value"]),
    ("update-without-number", "update P-1", ["needs a number", "`/pilot update P-1 <number>"]),
    ("baseline-without-number", "baseline P-1", ["needs a number", "/pilot baseline P-1"]),
    ("raci-without-role", "raci P-1 incidents", ["Name the area, the role and the people"]),
    ("raci-without-people", "raci P-1 incidents A", ["the role and the people", "/pilot raci"]),
    ("decide-without-reason", "decide P-1 go", ["Say the decision and why", "/pilot decide"]),
    ("decide-without-decision", "decide P-1", ["Say the decision and why"]),
    ("digest-alone", "digest", ["Name the channel", "`/pilot digest #channel"]),
    ("list-extra", "list extra", ["`/pilot list` takes nothing more", "`/pilot list`."]),
    ("help-extra", "help me", ["takes nothing more", "`/pilot help`"]),
    ("status-two-keys", "status P-1 P-2", ["takes one key", "`/pilot status P-1`"]),
    ("extend-without-date", "decide P-1 extend more data", ["needs its new date", "until:"]),
    ("extend-bad-date", "decide P-1 extend until:2027-02-30 x", ["`until` is a date", "until:"]),
    ("extend-date-only", "decide P-1 extend until:2027-03-05", ["needs its reason", "until:"]),
    ("accept-what", "accept P-1 threshold ok", ["Say what is accepted", "/pilot accept"]),
    ("accept-why", "accept P-1 baseline", ["Say what is accepted", "/pilot accept"]),
    ("two-reasons", "baseline P-1 9 reason:a reason:b", ["one reason", "reason:"]),
    ("raci-all-two-a", "raci P-1 all A <@U1> <@U2>", ["exactly one Accountable", "every area"]),
    ("too-long", "new " + "x" * (MAX_TEXT - 3), ["3,001 characters", "3,000"]),
    ("history-without-key", "history", ["needs a pilot key", "`/pilot history P-1 [page]`"]),
    ("history-word-page", "history P-1 two", ["`two` is not a page", "`/pilot history P-1 2`"]),
    ("history-page-0", "history P-1 0", ["`0` is not a page number"]),
    ("history-more", "history P-1 2 3", ["takes a key and a page", "`/pilot history P-1"]),
    ("chart-without-key", "chart", ["needs a pilot key", "`/pilot chart P-1`"]),
    ("chart-two-keys", "chart P-1 P-2", ["takes one key", "`/pilot chart P-1`"]),
]


@pytest.mark.parametrize(
    ("text", "words"), [(t, w) for _, t, w in MALFORMED], ids=[i for i, _, _ in MALFORMED]
)
def test_a_malformed_command_says_what_was_wrong_and_the_right_form(
    text: str, words: list[str]
) -> None:
    assert_refused_in_one_line(text, words)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("  a \t b\n", ["a", "b"]),
        ('metric:"handle time"', ["metric:handle time"]),
        ("metric:\u201chandle time\u201d x", ["metric:handle time", "x"]),
        ("\u00aba b\u00bb", ["a b"]),
        ('a "" b', ["a", "", "b"]),
        ('x"y z"w', ["xy zw"]),
    ],
)
def test_tokenize_splits_on_spaces_and_groups_quoted_words(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens
