"""The "Complete the pilot" form: every field a gap can ask for, in one modal.

The go-live metric (its name, unit, direction and threshold, while no reading has locked
them), production path (workflow, monitoring, rollback), evaluation (set size, score, bar),
unit economics (cost and value of a unit, volume, currency), evidence links and one
Accountable for every RACI area, each prefilled with what the pilot has now. Every input is
optional: the submission handler changes only what was filled in differently, and checks the
values the way `/pilot set` does (an https link, an eval bar above 0 and at most 100, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.governance.locks import has_readings
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MODAL_TITLE
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import option
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import plain
from bot.slack.blocks.common import section
from bot.slack.blocks.decided import standing
from bot.slack.blocks.gaps import GapLine
from bot.slack.blocks.gaps import gap_lines
from bot.slack.blocks.modals import BETTER_OPTIONS
from bot.slack.blocks.modals import input_block
from bot.slack.fields import MAX_TEXT
from bot.slack.ids import Block
from bot.slack.ids import Callback

TITLE = "Complete the pilot"
ROLLBACK_OPTIONS = {"yes": "Yes: a rollback or kill switch is in place", "no": "No, not yet"}

_METRIC_CHECKS = frozenset({CheckId.METRIC, CheckId.THRESHOLD_IMPROVES})
_GROUPS: tuple[tuple[str, frozenset[CheckId]], ...] = (
    ("Go-live metric", _METRIC_CHECKS),
    ("Production path", frozenset({CheckId.WORKFLOW, CheckId.MONITORING, CheckId.ROLLBACK})),
    ("Evaluation", frozenset({CheckId.EVALUATION})),
    ("Unit economics at full scale", frozenset({CheckId.ECONOMICS})),
    ("Evidence", frozenset()),
    ("Accountable", frozenset({CheckId.RACI})),
)


def complete_modal(report: PilotReport, links: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The form for `report`; `links` holds its evidence links by field name, if any."""
    facts = report.facts
    links = links or {}
    gaps = gap_lines(report)
    inputs: dict[str, Blocks] = {
        "Go-live metric": _metric_inputs(report),
        "Production path": [
            _input(Block.WORKFLOW, "Live workflow", _text(facts.workflow, "Zendesk"),
                   hint="The live system it writes into."),
            _input(Block.MONITORING, "Monitoring", _text(facts.monitoring, "quality dashboard"),
                   hint="Where its quality is watched in production."),
            _input(Block.ROLLBACK, "Rollback or kill switch", _rollback(facts.rollback)),
        ],
        "Evaluation": [
            _input(Block.EVAL_SIZE, "Evaluation set size", _number(facts.eval_size, whole=True),
                   hint="Real, labelled examples; at least 100."),
            _input(Block.EVAL_SCORE, "Latest score (%)", _number(facts.eval_score, percent=True),
                   hint="Recorded as a new evaluation run."),
            _input(Block.EVAL_BAR, "Acceptance bar (%)", _number(facts.eval_bar, percent=True)),
        ],
        "Unit economics at full scale": [
            _input(Block.COST_PER_UNIT, "Cost per unit", _number(facts.cost_per_unit)),
            _input(Block.VALUE_PER_UNIT, "Value per unit", _number(facts.value_per_unit)),
            _input(Block.VOLUME, "Units a month at full scale", _number(facts.volume, whole=True)),
            _input(Block.CURRENCY, "Currency", _text(facts.currency, "USD", max_length=3),
                   hint="ISO 4217 code, like USD or EUR."),
        ],
        "Evidence": [
            _input(block, label, _url(links.get(name)))
            for name, block, label in (
                ("eval-report", Block.EVAL_REPORT, "Evaluation report"),
                ("dashboard", Block.DASHBOARD, "Monitoring dashboard"),
                ("runbook", Block.RUNBOOK, "Runbook"),
            )
        ],
        "Accountable": [
            _input(Block.ACCOUNTABLE, "Accountable for every area",
                   _users(_one_accountable(report)),
                   hint="Named A for incidents, changes, evaluation, integration and reporting."),
        ],
    }  # fmt: skip
    blocks: Blocks = [
        section(
            f"*{facts.key}* {pilot_name(facts)} — {standing(report)}\nFill in what you know; "
            "what you leave as it is stays unchanged."
        )
    ]
    for title, checks in _GROUPS:
        open_gaps = [gap for gap in gaps if gap.check in checks]
        if not inputs[title] and not open_gaps:
            continue
        blocks.append(section(_heading(title, open_gaps)))
        blocks.extend(inputs[title])
    return {
        "type": "modal",
        "callback_id": Callback.COMPLETE.value,
        "title": plain(TITLE, MAX_MODAL_TITLE),
        "submit": plain("Save", MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": pilot_value(report.key),
        "blocks": blocks,
    }


def _metric_inputs(report: PilotReport) -> Blocks:
    """The metric's fields while no reading has locked its direction and threshold. After
    that its name and unit stay here, and the direction and threshold change only through the
    reasoned `set` the form names, so that the goalposts never move unseen."""
    facts = report.facts
    named = [
        _input(Block.METRIC, "Metric", _text(facts.metric_name, "handle time"),
               hint="The one number, agreed before the build, that decides go or no-go."),
        _input(Block.UNIT, "Unit", _text(facts.unit, "min")),
    ]  # fmt: skip
    if not has_readings(facts):
        return [
            *named,
            _input(Block.BETTER, "Which way is better", _better(facts.better)),
            _input(Block.THRESHOLD, "Go-live threshold", _number(facts.threshold, signed=True),
                   hint="The value of the metric that means go. Locked once readings begin."),
        ]  # fmt: skip
    open_checks = {gap.check for gap in gap_lines(report)} & _METRIC_CHECKS
    if not open_checks:
        return []
    locked = []
    if facts.better is None:
        locked.append("better:lower|higher")
    if facts.threshold is None or CheckId.THRESHOLD_IMPROVES in open_checks:
        locked.append("threshold:<number>")
    if not locked:
        return named
    form = f'/pilot set {facts.key} {" ".join(locked)} reason:"…"'
    return [
        *named,
        context("It has readings, so its direction and threshold change only with a reason, "
                "on the record: " + code(form)),
    ]  # fmt: skip


def _heading(title: str, gaps: list[GapLine]) -> str:
    """`*Evaluation*` and, under it, what its open gap says is missing."""
    if not gaps:
        return f"*{title}*"
    return "\n".join([f"*{title}*", *(f"🟡 {gap.title}" for gap in gaps)])


def _input(
    block: Block, label: str, element: dict[str, Any], *, hint: str | None = None
) -> dict[str, Any]:
    """Every input of this form is optional: what is left empty stays as it is."""
    return input_block(block, label, element, optional=True, hint=hint)


def _text(value: str | None, example: str, max_length: int = MAX_TEXT) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": max_length,
        "placeholder": plain(example),
    }
    if value:
        element["initial_value"] = value[:max_length]
    return element


def _number(
    value: float | None, *, whole: bool = False, percent: bool = False, signed: bool = False
) -> dict[str, Any]:
    """A number input; `signed` for a threshold, which may be below zero (an NPS change)."""
    example = (
        "a whole number" if whole else "a percent, like 95" if percent else "a number, like 0.42"
    )
    element: dict[str, Any] = {
        "type": "number_input",
        "is_decimal_allowed": not whole,
        "placeholder": plain(example),
    }
    if not signed:
        element["min_value"] = "1" if whole else "0"
    if percent:
        element["max_value"] = "100"
    if value is not None:
        element["initial_value"] = plain_number(value)
    return element


def plain_number(value: float) -> str:
    """What a number input shows: `40000`, `0.42`, `0.0000002`, never `4e+04` or `1,000`, and
    always the very number stored, so that a form sent back untouched changes nothing (a
    rounded threshold would read as a change, and once readings begin, a locked one)."""
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rollback(value: bool | None) -> dict[str, Any]:
    options = [option(text, key) for key, text in ROLLBACK_OPTIONS.items()]
    element: dict[str, Any] = {"type": "radio_buttons", "options": options}
    if value is not None:
        element["initial_option"] = options[0] if value else options[1]
    return element


def _better(value: Better | None) -> dict[str, Any]:
    options = [option(text, key.value) for key, text in BETTER_OPTIONS.items()]
    element: dict[str, Any] = {"type": "static_select", "placeholder": plain("Choose"),
                               "options": options}  # fmt: skip
    if value is not None:
        element["initial_option"] = next(o for o in options if o["value"] == value.value)
    return element


def _url(value: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "url_text_input", "placeholder": plain("https://…")}
    if value:
        element["initial_value"] = value
    return element


def _users(user: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "users_select", "placeholder": plain("Choose a person")}
    if user:
        element["initial_user"] = user
    return element


def _one_accountable(report: PilotReport) -> str | None:
    """The person Accountable for every area, when it is one and the same person."""
    holders = {report.facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE, ()) for area in RaciArea}
    if len(holders) == 1:
        (only,) = holders
        if len(only) == 1:
            return only[0]
    return None
