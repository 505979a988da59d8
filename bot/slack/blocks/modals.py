"""The modals: register a pilot, record a reading or baseline, record a decision.

Every input block's id comes from `Block` and its one element's action_id is `INPUT`, so a
submission reads back with `submitted_values(view["state"]["values"])`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from typing import Literal

from bot.governance.cadence import local_date
from bot.governance.formatting import format_quantity
from bot.governance.formatting import spoken_day
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.services.pilots import MAX_NOTE
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_LABEL
from bot.slack.blocks.common import MAX_MODAL_TITLE
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import count_noun
from bot.slack.blocks.common import decide_by_line
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.common import option
from bot.slack.blocks.common import pilot_name
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.common import plain
from bot.slack.blocks.common import section
from bot.slack.blocks.common import truncate
from bot.slack.blocks.decided import standing
from bot.slack.blocks.gaps import gap_lines
from bot.slack.fields import MAX_TEXT
from bot.slack.ids import INPUT
from bot.slack.ids import Block
from bot.slack.ids import Callback

MeasurementKind = Literal["reading", "baseline"]

BETTER_OPTIONS = {Better.LOWER: "Lower is better", Better.HIGHER: "Higher is better"}
CADENCE_OPTIONS = {
    Cadence.WEEKLY: "Weekly",
    Cadence.BIWEEKLY: "Every two weeks",
    Cadence.MONTHLY: "Monthly",
}
DECISION_OPTIONS = {
    Decision.GO: "Go: take it into production",
    Decision.NO_GO: "No-go: stop the pilot",
    Decision.EXTEND: "Extend: keep piloting, set a new date",
}
# Gaps listed in the decision modal before "and n more".
_DECISION_GAPS = 5


def _modal(
    callback_id: str,
    title: str,
    submit: str,
    blocks: Blocks,
    private_metadata: str | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": str(callback_id),
        "title": plain(title, MAX_MODAL_TITLE),
        "submit": plain(submit, MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "blocks": blocks,
    }
    if private_metadata is not None:
        view["private_metadata"] = private_metadata
    return view


def input_block(
    block: Block,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "input",
        "block_id": block.value,
        "label": plain(label, MAX_LABEL),
        "element": {**element, "action_id": INPUT},
        "optional": optional,
    }
    if hint:
        result["hint"] = plain(hint, MAX_LABEL)
    return result


def _text_input(
    max_length: int, *, multiline: bool = False, placeholder: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "max_length": max_length}
    if multiline:
        element["multiline"] = True
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return element


def _select(options: Iterable[tuple[str, str]], initial: str | None = None) -> dict[str, Any]:
    choices = [option(text, value) for value, text in options]
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain("Choose"),
        "options": choices,
    }
    if initial is not None:
        element["initial_option"] = next(c for c in choices if c["value"] == initial)
    return element


def _number(placeholder: str = "a number, like 9.8") -> dict[str, Any]:
    return {"type": "number_input", "is_decimal_allowed": True, "placeholder": plain(placeholder)}


def registration_modal(caller_id: str) -> dict[str, Any]:
    """`/pilot new` without a name: only the name is required, the rest can be set later."""
    later = "Optional; /pilot set changes it later."
    blocks: Blocks = [
        input_block(
            Block.NAME, "Pilot name", _text_input(MAX_TEXT, placeholder="Support drafting")
        ),
        input_block(
            Block.OWNER,
            "Owner",
            {"type": "users_select", "initial_user": caller_id},
            hint="The one person accountable for the go-live number.",
        ),
        input_block(
            Block.SPONSOR,
            "Sponsor",
            {"type": "users_select", "placeholder": plain("The executive who decides")},
            optional=True,
        ),
        input_block(
            Block.WORKFLOW,
            "Live workflow",
            _text_input(MAX_TEXT, placeholder="Zendesk"),
            optional=True,
            hint="The live system it will write into. " + later,
        ),
        input_block(
            Block.METRIC,
            "Go-live metric",
            _text_input(MAX_TEXT, placeholder="handle time"),
            optional=True,
            hint="The one number, agreed before the build, that decides go or no-go.",
        ),
        input_block(Block.UNIT, "Unit", _text_input(MAX_TEXT, placeholder="min"), optional=True),
        input_block(
            Block.BETTER, "Which way is better", _select(BETTER_OPTIONS.items()), optional=True
        ),
        input_block(
            Block.THRESHOLD,
            "Go-live threshold",
            _number(),
            optional=True,
            hint="The value of the metric that means go.",
        ),
        input_block(
            Block.DECIDE_BY,
            "Decide by",
            {"type": "datepicker", "placeholder": plain("The go/no-go date")},
            optional=True,
        ),
        input_block(
            Block.CADENCE,
            "Readings due",
            _select(CADENCE_OPTIONS.items(), initial=Cadence.WEEKLY.value),
        ),
    ]
    blocks.append(
        context(
            "Evaluation, unit economics, the production path and RACI come next: once it is "
            f"registered, {code('/pilot status <key>')} shows what is still missing."
        )
    )
    return _modal(Callback.REGISTER, "Register a pilot", "Register", blocks)


def measurement_modal(kind: MeasurementKind, report: PilotReport, now: datetime) -> dict[str, Any]:
    """Record a reading or the baseline; the last one's day is read on the owner's clock."""
    facts, tz = report.facts, report.owner_zone
    if kind == "baseline":
        callback, title, last = Callback.RECORD_BASELINE, "Record baseline", facts.baseline
        intro = "The before-state, measured before the pilot changes the work."
    else:
        callback, title, last = Callback.RECORD_READING, "Record a reading", facts.latest_reading
        intro = "The go-live metric as it is now."
    metric = facts.metric_name or "the go-live metric"
    label = f"{metric} ({facts.unit})" if facts.unit else metric
    if last is None:
        previous = f"no {kind} yet"
    else:
        shown = clip_mrkdwn(format_quantity(last.value, facts.unit), 60)
        day = spoken_day(last.at.astimezone(tz).date(), local_date(now, tz))
        previous = f"last {kind} {shown} on {day}"
    blocks: Blocks = [
        section(f"*{facts.key}* {pilot_name(facts)}\n{intro}"),
        context(metric_line(facts, report.assessment), previous),
        input_block(Block.VALUE, truncate(label, 200), _number()),
        input_block(
            Block.NOTE,
            "Note",
            _text_input(MAX_NOTE, multiline=True, placeholder="How it was measured"),
            optional=True,
        ),
    ]
    if kind == "baseline" and facts.first_reading is not None:
        blocks.append(
            input_block(
                Block.REASON,
                "Why measure it again? Readings have begun, so the sponsor is told.",
                _text_input(MAX_NOTE, multiline=True, placeholder="Re-measured on the full queue"),
            )
        )
    return _modal(callback, title, "Record", blocks, pilot_value(report.key))


def decision_modal(report: PilotReport, now: datetime, chosen: str | None = None) -> dict[str, Any]:
    """The Decide form; `chosen` preselects go, no-go or extend (from a reminder's button).

    Slack cannot make one input required only for one choice, so the new date is optional
    here and the submission handler asks for it when Extend is chosen.
    """
    facts, assessment = report.facts, report.assessment
    options = [option(text, value) for value, text in DECISION_OPTIONS.items()]
    radio: dict[str, Any] = {"type": "radio_buttons", "options": options}
    if chosen in DECISION_OPTIONS:
        radio["initial_option"] = next(o for o in options if o["value"] == chosen)
    summary = [
        f"*{facts.key}* {pilot_name(facts)} — {standing(report)}",
        metric_line(facts, assessment),
    ]
    if facts.decide_by is not None:
        summary.append(decide_by_line(facts.decide_by, now, report.owner_zone))
    gaps = [line.title for line in gap_lines(report)]
    if gaps:
        summary.append(f"*{count_noun(len(gaps), 'open gap')}:*")
        summary.extend(f"• {gap}" for gap in gaps[:_DECISION_GAPS])
        if len(gaps) > _DECISION_GAPS:
            summary.append(f"…and {len(gaps) - _DECISION_GAPS} more")
    else:
        summary.append("Every readiness check passes.")
    blocks: Blocks = [
        section("\n".join(summary)),
        input_block(Block.DECISION, "Decision", radio),
        input_block(
            Block.UNTIL,
            "New decide-by date (for Extend)",
            {"type": "datepicker", "placeholder": plain("Pick the new date")},
            optional=True,
            hint="Extend moves the decide-by date here; it must be after today.",
        ),
        input_block(
            Block.RATIONALE,
            "Why",
            _text_input(MAX_NOTE, multiline=True, placeholder="The reason, for the record"),
            hint="Decisions are never edited; a new one supersedes this.",
        ),
    ]
    return _modal(
        Callback.DECIDE, "Go / no-go decision", "Record decision", blocks, pilot_value(report.key)
    )


# ---- reading a submission ------------------------------------------------------------------

_KNOWN_BLOCKS = frozenset(block.value for block in Block)


def submitted_values(state_values: object) -> dict[str, str | None]:
    """`view.state.values` as `{block_id: value}` for the blocks pilotgate knows.

    Text, number and URL inputs give their text, users_select the user id, static_select and
    radio_buttons the chosen option's value, datepicker `YYYY-MM-DD`. An empty or missing
    value is None; unknown blocks are ignored; nothing here raises on odd input.
    """
    if not isinstance(state_values, Mapping):
        return {}
    values: dict[str, str | None] = {}
    for block_id, actions in state_values.items():
        if not isinstance(block_id, str) or block_id not in _KNOWN_BLOCKS:
            continue
        element = actions.get(INPUT) if isinstance(actions, Mapping) else None
        values[block_id] = _element_value(element)
    return values


def _element_value(element: object) -> str | None:
    if not isinstance(element, Mapping):
        return None
    kind = element.get("type")
    if kind in ("plain_text_input", "number_input", "url_text_input"):
        raw = element.get("value")
    elif kind == "users_select":
        raw = element.get("selected_user")
    elif kind in ("static_select", "radio_buttons"):
        chosen = element.get("selected_option")
        raw = chosen.get("value") if isinstance(chosen, Mapping) else None
    elif kind == "datepicker":
        raw = element.get("selected_date")
    else:
        raw = None
    return raw if isinstance(raw, str) and raw != "" else None
