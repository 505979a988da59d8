"""Evidence links beside the checks they support: the eval report beside the evaluation, the
dashboard beside the monitoring, the runbook beside the rollback (bot.governance.links).

A link is the one piece of live markup a person's text becomes, so it is built here and
only here: the URL must be https, every character that could end the link or start another
(`|`, `>`, `<`, white space, quotes, backticks, anything beyond printable ASCII) is
percent-encoded, and what is left goes
through the one escaping rule, `escape`. The label is ours, never typed.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.checks import CheckId
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_number
from bot.governance.links import links_beside
from bot.governance.vocabulary import Field
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import escape
from bot.slack.blocks.guardrails import rail_lines
from bot.slack.blocks.guardrails import rail_views
from bot.slack.blocks.guardrails import rails_heading
from bot.slack.blocks.words import NBSP

LABELS = {
    Field.EVAL_REPORT: "eval report",
    Field.DASHBOARD: "dashboard",
    Field.RUNBOOK: "runbook",
}
# The checks a link can stand beside, in the order the card reads them.
EVIDENCE_CHECKS = (CheckId.EVALUATION, CheckId.MONITORING, CheckId.ROLLBACK)
# Stored URLs are at most 500 characters (bot.slack.fields); more is not a link we made.
MAX_LINK_URL = 1000
# Anything but printable ASCII (white space, control and invisible characters, the rules'
# person marks) and the characters that end a link or start markup.
_UNSAFE = re.compile(r'[^\x21-\x7e]|[|<>"`]')
_HTTPS = re.compile(r"^https://[^/?#\s]+", re.IGNORECASE)


def link(url: str, label: str) -> str:
    """`<https://…|label>`, or empty when `url` is not an https URL."""
    if len(url) > MAX_LINK_URL or not _HTTPS.match(url):
        return ""
    safe = _UNSAFE.sub(lambda found: "".join(f"%{b:02X}" for b in found.group().encode()), url)
    return f"<{escape(safe)}|{escape(label)}>"


def links_for(facts: PilotFacts, check_id: CheckId) -> str:
    """The links that support one check, `<…|eval report>`, joined; empty when none."""
    shown = (link(url, LABELS[which]) for which, url in links_beside(facts.links, check_id))
    return " · ".join(text for text in shown if text)


def with_links(text: str, facts: PilotFacts, check_id: CheckId) -> str:
    """`text · <…|runbook>` when a link supports the check, else `text`."""
    links = links_for(facts, check_id)
    return f"{text} · {links}" if links else text


def passing_evidence(report: PilotReport, *, only_linked: bool = False) -> list[str]:
    """A line for each evaluation, monitoring and rollback check that passes, with the links
    that support it: `✅ Evaluation 96% on 150 examples (bar 95%) · eval report`. A failing
    check is a gap, and its links stand beside that gap instead (bot.slack.blocks.gaps)."""
    facts = report.facts
    lines = []
    for check in report.assessment.checks:
        if check.id not in EVIDENCE_CHECKS or not check.passed:
            continue
        if only_linked and not links_for(facts, check.id):
            continue
        lines.append(with_links(f"✅ {_passed_words(facts, check.id)}", facts, check.id))
    return lines


def evidence_lines(
    report: PilotReport, now: datetime, tz: ZoneInfo, *, only_linked: bool = False
) -> list[str]:
    """The guardrails (a heading, then one line each) and the passing checks with their links:
    what a go decision rests on besides the go-live metric."""
    views = rail_views(report)
    lines = [rails_heading(views), *rail_lines(views, now, tz)] if views else []
    return [*lines, *passing_evidence(report, only_linked=only_linked)]


def _passed_words(facts: PilotFacts, check_id: CheckId) -> str:
    if check_id is CheckId.EVALUATION:
        run = facts.latest_eval
        if run is None or facts.eval_bar is None:
            return "Evaluation passes"
        size = f"{format_number(run.size)}{NBSP}examples"
        bar = format_number(facts.eval_bar)
        return f"Evaluation {format_number(run.score)}% on {size} (bar {bar}%)"
    if check_id is CheckId.MONITORING:
        return (
            f"Monitoring: {clip_mrkdwn(facts.monitoring, 60)}" if facts.monitoring else "Monitoring"
        )
    return "Rollback in place"
