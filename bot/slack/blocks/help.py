"""`/pilot help` and `/pilot raci <key>`."""

from __future__ import annotations

from bot.governance.attention import ROLE_WORDS
from bot.governance.readiness import CheckId
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Verdict
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import escape
from bot.slack.blocks.common import header
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import pilot_title
from bot.slack.blocks.common import section
from bot.slack.blocks.common import verdict_text
from bot.slack.fields import FIELDS
from bot.slack.grammar import FORMS

# What each command does, in the words of the contract; a verb missing here shows its form only.
COMMAND_MEANINGS = {
    "help": "this list",
    "new": "register a pilot (you own it); without a name, a form",
    "set": "set fields, listed below",
    "baseline": "record the before-state of the go-live metric",
    "update": "record a reading of the go-live metric",
    "raci": "assign a RACI role; with only the key, show the matrix",
    "status": "verdict, metric vs baseline vs threshold, open gaps",
    "list": "the workspace's pilots with their verdicts",
    "decide": "record a go/no-go decision, with the reason",
    "digest": "send the sponsor digest to a channel",
    "token": "workspace API tokens for live systems (admins only)",
}

EMPTY = "—"


def help_blocks() -> Blocks:
    """Every `/pilot` form and every `set` field with its form and meaning."""
    commands = [
        f"{code(form)} — {escape(COMMAND_MEANINGS[verb])}"
        if verb in COMMAND_MEANINGS
        else code(form)
        for verb, form in FORMS.items()
    ]
    fields = [f"{code(spec.form)} — {escape(spec.meaning)}" for spec in FIELDS.values()]
    areas = ", ".join(area.value for area in RaciArea)
    roles = ", ".join(f"{role.value} {name}" for role, name in ROLE_WORDS.items())
    verdicts = " · ".join(verdict_text(verdict) for verdict in Verdict)
    blocks: Blocks = [header("pilotgate: the /pilot command")]
    for title, lines in (("*Commands*", commands), ("*Fields of `set`*", fields)):
        texts, _ = pack_lines([title, *lines])
        blocks.extend(section(text) for text in texts)
    blocks.append(
        context(
            f"RACI areas: {areas}. Roles: {roles}; each area has exactly one Accountable.",
            f"Verdicts: {verdicts}. Pilot keys look like `P-1`.",
        )
    )
    return blocks[:MAX_MESSAGE_BLOCKS]


def raci_blocks(report: PilotReport) -> Blocks:
    """The RACI matrix of one pilot, an area per line; `—` where nobody holds a role."""
    facts = report.facts
    lines = []
    for area in RaciArea:
        held = facts.raci.get(area, {})
        cells = [
            f"{role.value}: {', '.join(mention(u) for u in held.get(role, ())) or EMPTY}"
            for role in RaciRole
        ]
        lines.append(f"*{area.value}* — {' · '.join(cells)}")
    texts, _ = pack_lines(lines)
    blocks: Blocks = [header(f"RACI · {pilot_title(facts)}")]
    blocks.extend(section(text) for text in texts)
    gap = report.assessment.check(CheckId.RACI).gap
    if gap:
        blocks.append(context(escape(gap)))
    else:
        blocks.append(context("Every area has exactly one Accountable."))
    blocks.append(
        context(
            "R Responsible · A Accountable · C Consulted · I Informed. Change it with "
            f"{code(FORMS['raci'].replace('P-1', facts.key))}"
        )
    )
    return blocks
