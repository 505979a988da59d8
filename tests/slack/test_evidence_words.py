"""The words of the evidence verbs after the pilot key, and the links `set` takes: guardrails
set and removed, readings of them beside a reading of the metric, eval runs, and https links
as typed or as Slack escapes them. Each malformed one is answered with one short line naming
the problem and the right form."""

from __future__ import annotations

import pytest

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import MeasurementKind
from bot.services.commands import PilotKey
from bot.services.commands import RecordEval
from bot.services.commands import RecordMeasurement
from bot.services.commands import RemoveGuardrail
from bot.services.commands import SetFields
from bot.services.commands import SetGuardrail
from bot.slack.grammar import Command
from bot.slack.grammar import parse
from tests.slack.typed_input import assert_refused_in_one_line

P1 = PilotKey(1)
P2 = PilotKey(2)
READING = MeasurementKind.READING

EVIDENCE_VALID: list[tuple[str, Command]] = [
    # evidence links: https only, as typed or as Slack escapes them, stored bare
    (
        "set P-1 eval-report:<https://eval.example/r/7?a=1&amp;b=2|report 7> "
        "dashboard:https://grafana.example/d/1 runbook:<https://wiki.example/rb>",
        SetFields(
            P1,
            {
                Field.EVAL_REPORT: "https://eval.example/r/7?a=1&b=2",
                Field.DASHBOARD: "https://grafana.example/d/1",
                Field.RUNBOOK: "https://wiki.example/rb",
            },
        ),
    ),
    (
        "set P-1 Dashboard:HTTPS://Grafana.example",
        SetFields(P1, {Field.DASHBOARD: "HTTPS://Grafana.example"}),
    ),
    ("set P-1 runbook:none", SetFields(P1, {Field.RUNBOOK: None})),
    # guardrails
    (
        "guardrail P-1 errors lower 2 %",
        SetGuardrail(P1, "errors", Better.LOWER, 2.0, "%"),
    ),
    (
        "Guardrail P-1 Latency HIGHER 1,250 ms per call",
        SetGuardrail(P1, "latency", Better.HIGHER, 1250.0, "ms per call"),
    ),
    ("guardrail p-2 csat higher 4.2", SetGuardrail(P2, "csat", Better.HIGHER, 4.2)),
    (
        "guardrail P-1 first_reply-time lower -3",
        SetGuardrail(P1, "first_reply-time", Better.LOWER, -3.0),
    ),
    ("guardrail P-1 errors remove", RemoveGuardrail(P1, "errors")),
    ("guardrail P-1 Errors REMOVE", RemoveGuardrail(P1, "errors")),
    # update with guardrail readings: right after the key or the number, then the note
    (
        "update P-1 9 errors:1.8 latency:1.4 after the macro change",
        RecordMeasurement(
            P1, READING, 9.0, "after the macro change", None, (("errors", 1.8), ("latency", 1.4))
        ),
    ),
    ("update P-1 errors:1.8", RecordMeasurement(P1, READING, None, None, None, (("errors", 1.8),))),
    (
        "update P-1 Errors:-0.5 weekend only",
        RecordMeasurement(P1, READING, None, "weekend only", None, (("errors", -0.5),)),
    ),
    (
        "update P-1 9 after 16:30 errors:2",
        RecordMeasurement(P1, READING, 9.0, "after 16:30 errors:2"),
    ),
    ("update P-1 9 note:later", RecordMeasurement(P1, READING, 9.0, "note:later")),
    # eval
    ("eval P-1 96%", RecordEval(P1, 96.0)),
    ("eval P-1 96.5 n:150 prompt v3", RecordEval(P1, 96.5, 150, "prompt v3")),
    ("EVAL p-2 100% N:1,000", RecordEval(P2, 100.0, 1000)),
    ("eval P-1 0% n:120 broken tokenizer", RecordEval(P1, 0.0, 120, "broken tokenizer")),
    ("eval P-1 91 after n:150", RecordEval(P1, 91.0, None, "after n:150")),
]


@pytest.mark.parametrize(
    ("text", "expected"), EVIDENCE_VALID, ids=[repr(t)[:50] for t, _ in EVIDENCE_VALID]
)
def test_evidence_words_parse_to_exactly_their_command(text: str, expected: Command) -> None:
    assert parse(text) == expected


EVIDENCE_MALFORMED: list[tuple[str, str, list[str]]] = [
    ("guardrail-without-key", "guardrail", ["needs a pilot key", "`/pilot guardrail P-1 <name>"]),
    ("guardrail-alone", "guardrail P-1", ["Name the guardrail", "`/pilot guardrail P-1 <name>"]),
    ("guardrail-name-only", "guardrail P-1 errors", ["Name the guardrail", "lower|higher <limit>"]),
    ("guardrail-no-limit", "guardrail P-1 errors lower", ["Say the limit of errors", "<limit>"]),
    ("guardrail-direction", "guardrail P-1 errors down 2", ["`down` is not lower or higher"]),
    ("guardrail-limit", "guardrail P-1 errors lower two", ["`two` is not a number"]),
    ("guardrail-digit-name", "guardrail P-1 9lives lower 2", ["`9lives` is no guardrail name"]),
    ("guardrail-long-name", f"guardrail P-1 {'e' * 25} lower 2", ["is no guardrail name"]),
    ("guardrail-odd-name", "guardrail P-1 <@U1> lower 2", ["is no guardrail name"]),
    (
        "guardrail-remove-more",
        "guardrail P-1 errors remove now",
        ["Removing takes nothing more", "`/pilot guardrail P-1 errors remove`"],
    ),
    ("update-read-twice", "update P-1 9 errors:1 Errors:2", ["`errors` is read twice"]),
    ("update-word-for-number", "update P-1 nine errors:1", ["`nine` is not a number"]),
    ("eval-without-key", "eval", ["needs a pilot key", "`/pilot eval P-1 <score>%"]),
    ("eval-without-score", "eval P-1", ["needs the run's score", "`/pilot eval P-1 <score>%"]),
    ("eval-word-score", "eval P-1 high", ["`high` is not a score from 0 to 100%"]),
    ("eval-over-100", "eval P-1 101%", ["`101%` is not a score"]),
    ("eval-size-0", "eval P-1 96 n:0", ["`n:0` is no number of examples", "n:150"]),
    ("eval-size-fraction", "eval P-1 96 n:1.5", ["`n:1.5` is no number of examples"]),
    ("link-http", "set P-1 dashboard:http://grafana.example", ["`dashboard` is an https://"]),
    ("link-script", "set P-1 runbook:<javascript:alert(1)>", ["`runbook` is an https:// link"]),
    ("link-no-host", "set P-1 eval-report:https://", ["`eval-report` is an https:// link"]),
    ("link-bare-word", "set P-1 runbook:wiki", ["`runbook` is an https:// link"]),
    ("link-space", 'set P-1 runbook:"https://a.example/x y"', ["is an https:// link"]),
]


@pytest.mark.parametrize(
    ("text", "words"),
    [(t, w) for _, t, w in EVIDENCE_MALFORMED],
    ids=[i for i, _, _ in EVIDENCE_MALFORMED],
)
def test_malformed_evidence_words_say_what_was_wrong_and_the_right_form(
    text: str, words: list[str]
) -> None:
    assert_refused_in_one_line(text, words)
