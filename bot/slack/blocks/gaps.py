"""Open gaps as they read on a phone: one short line each, and the way to close it.

A gap from the rules is a sentence and a command (`No baseline: measure … with `/pilot
baseline P-3 <number>``). On a 390-pixel screen nine of those are a wall in which commands
wrap mid-token. Here each gap becomes its short title; a gap a button closes names that
button (shown once, below), and only a gap no button closes keeps its command, on a line of
its own where it wraps between words, not inside them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.governance.locks import has_readings
from bot.governance.locks import metric_to_agree
from bot.governance.readiness import Check
from bot.governance.readiness import CheckId
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import actions
from bot.slack.blocks.common import button
from bot.slack.blocks.common import code
from bot.slack.blocks.common import headline
from bot.slack.blocks.common import pilot_value
from bot.slack.blocks.evidence import links_for
from bot.slack.ids import Action

BUTTON_LABELS = {
    Action.RECORD_READING: "Record a reading",
    Action.RECORD_BASELINE: "Record baseline",
    Action.COMPLETE_PILOT: "Complete the pilot",
    Action.DECIDE: "Decide",
}
# The checks whose missing facts the "Complete the pilot" form asks for.
COMPLETE_FORM_CHECKS = frozenset(
    {
        CheckId.WORKFLOW,
        CheckId.EVALUATION,
        CheckId.MONITORING,
        CheckId.ROLLBACK,
        CheckId.ECONOMICS,
        CheckId.RACI,
    }
)
_READING_CHECKS = frozenset({CheckId.READING_CURRENT, CheckId.THRESHOLD_CLEARED})
_METRIC_CHECKS = frozenset({CheckId.METRIC, CheckId.THRESHOLD_IMPROVES})
_COMMAND = re.compile(r"`([^`]+)`")
# Room for the longest gist the rules write (the economics one) without a cut.
TITLE_LIMIT = 130
# Indents a command under its gap; an em space is kept where leading spaces are not.
INDENT = "\u2003"


@dataclass(frozen=True)
class GapLine:
    """One open gap: its short title (mrkdwn), the command that closes it (typed text, not
    yet formatted), and the button that closes it instead, if any."""

    check: CheckId
    title: str
    command: str | None
    fixed_by: Action | None
    # The evidence links that stand beside this check (mrkdwn), or empty.
    evidence: str = ""

    @property
    def with_evidence(self) -> str:
        """The title, and the links beside it: `Eval below its bar · eval report`."""
        return f"{self.title} · {self.evidence}" if self.evidence else self.title


def gap_lines(report: PilotReport) -> list[GapLine]:
    """Every open gap of the pilot, in the order of the checks."""
    lines = []
    for check in report.assessment.checks:
        if check.passed or not check.gap:
            continue
        lines.append(
            GapLine(
                check=check.id,
                title=_title(check),
                command=command_of(check.gap),
                fixed_by=_fixed_by(report, check),
                evidence=links_for(report.facts, check.id),
            )
        )
    return lines


def command_of(sentence: str) -> str | None:
    """The command a rule's sentence names in backticks, as typed."""
    found = _COMMAND.search(sentence)
    return found.group(1) if found else None


def _title(check: Check) -> str:
    return headline(check.gap or "", TITLE_LIMIT)


def _fixed_by(report: PilotReport, check: Check) -> Action | None:
    if check.id in _METRIC_CHECKS:
        # The form holds the metric until a reading locks it; then a reasoned `set` does.
        return None if has_readings(report.facts) else Action.COMPLETE_PILOT
    if check.id is CheckId.BASELINE:
        # A baseline recorded too late is for the sponsor to accept, not to record again.
        return Action.RECORD_BASELINE if report.facts.first_baseline is None else None
    if check.id in _READING_CHECKS:
        return Action.RECORD_READING
    if check.id in COMPLETE_FORM_CHECKS:
        return Action.COMPLETE_PILOT
    return None


def gap_text(line: GapLine, offered: Collection[Action]) -> str:
    """`• No baseline · _Record baseline_` when a button below closes it, else the title and
    its command on the next line."""
    if line.fixed_by is not None and line.fixed_by in offered:
        return f"• {line.with_evidence} · _{BUTTON_LABELS[line.fixed_by]}_"
    if line.command:
        return f"• {line.with_evidence}\n{INDENT}{code(line.command)}"
    return f"• {line.with_evidence}"


def gap_list(lines: Sequence[GapLine], offered: Collection[Action]) -> list[str]:
    """The lines to show, in the order of the checks; the gaps that one offered button closes
    several of come last, under that button's name, instead of naming it on every line."""
    shared: dict[Action, list[GapLine]] = {}
    for line in lines:
        if line.fixed_by is not None and line.fixed_by in offered:
            shared.setdefault(line.fixed_by, []).append(line)
    grouped = {action: group for action, group in shared.items() if len(group) > 1}
    out = [gap_text(line, offered) for line in lines if line.fixed_by not in grouped]
    for action, group in grouped.items():
        out.append(f"_{BUTTON_LABELS[action]}_ closes these:")
        out.extend(f"• {line.with_evidence}" for line in group)
    return out


def fixing_buttons(report: PilotReport, *, complete: bool = True) -> list[Action]:
    """The buttons that close the pilot's open gaps, most pressing first (no Decide)."""
    wanted = {line.fixed_by for line in gap_lines(report)}
    order = [Action.RECORD_BASELINE, Action.RECORD_READING]
    if complete and metric_to_agree(report.facts):
        # No number of a metric nobody agreed: the form that agrees it comes first.
        order.insert(0, Action.COMPLETE_PILOT)
    elif complete:
        order.append(Action.COMPLETE_PILOT)
    return [action for action in order if action in wanted]


def buttons_block(
    key: str, offered: list[Action], primary: Action | None = None
) -> dict[str, Any] | None:
    """One actions block of the given buttons, each naming the pilot; None when empty."""
    if not offered:
        return None
    value = pilot_value(key)
    return actions(
        *(
            button(BUTTON_LABELS[action], action, value, primary=action is primary)
            for action in offered
        )
    )
