"""`/pilot help` and `/pilot raci P-3`."""

from __future__ import annotations

from dataclasses import replace

from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.slack.blocks.common import code
from bot.slack.blocks.common import escape
from bot.slack.blocks.help import help_blocks
from bot.slack.blocks.help import raci_blocks
from bot.slack.fields import FIELDS
from bot.slack.grammar import FORMS
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import report_of


def test_help_lists_every_command_and_every_field() -> None:
    blocks = help_blocks()
    check_blocks(blocks)
    text = all_mrkdwn(blocks)
    for form in FORMS.values():
        assert code(form) in text
    for spec in FIELDS.values():
        assert f"{code(spec.form)} — {escape(spec.meaning)}" in text
    assert "🟢 Go · 🟡 Not ready · 🔴 No-go · ⏸️ Stalled" in text
    assert "<" not in text


def test_the_raci_matrix_shows_holders_and_blanks() -> None:
    raci = {
        RaciArea.INCIDENTS: {
            RaciRole.RESPONSIBLE: (OWNER, "U0DEV"),
            RaciRole.ACCOUNTABLE: (ACCOUNTABLE,),
            RaciRole.INFORMED: (SPONSOR,),
        },
    }
    blocks = raci_blocks(report_of(replace(READY, raci=raci)))
    check_blocks(blocks)
    assert blocks[0]["text"]["text"] == "RACI · P-3 · Support drafting"
    text = all_mrkdwn(blocks)
    assert (
        f"*incidents* — R: <@{OWNER}>, <@U0DEV> · A: <@{ACCOUNTABLE}> · C: — · I: <@{SPONSOR}>"
        in text
    )
    assert "*reporting* — R: — · A: — · C: — · I: —" in text
    assert "RACI has no Accountable for changes, evaluation, integration, reporting" in text
    assert "`/pilot raci P-3 &lt;area|all&gt; &lt;R|A|C|I&gt; @person…`" in text


def test_a_complete_matrix_says_so() -> None:
    blocks = raci_blocks(report_of(READY))
    check_blocks(blocks)
    assert "Every area has exactly one Accountable." in all_mrkdwn(blocks)


def test_an_empty_matrix_is_valid_too() -> None:
    check_blocks(raci_blocks(report_of(FRESH)))
