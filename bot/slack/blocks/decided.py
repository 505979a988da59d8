"""How a pilot with a decision reads on Slack: the decision first, the verdict beside it.

The words are the rules' (bot.governance.decided): a stopped pilot reads "⛔ Stopped · 🟢 Go
when decided", never a bare "🟢 Go". A final decision freezes the assessment at its moment
(see `readiness.assess`), so the report's verdict is the verdict when decided; after an
extension the pilot goes on, and its live verdict ("now 🟡 Not ready") is the one to act on.
These take a report alone, as the list and count builders have no clock to ask
`decided.decided_headline` with.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.governance.decided import decision_words
from bot.governance.decided import pending_headline
from bot.governance.facts import DecisionRecord
from bot.governance.formatting import spoken_day
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import escape_keeping_mentions
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import verdict_text

# A card, a list or a digest is read long after the decision, and these builders have no
# clock: an extension's date is said with its year, so "5 Jun" never reads as still to come.
ALWAYS_THE_YEAR = date.min
DECISION_EMOJI = {Decision.GO: "✅", Decision.NO_GO: "⛔", Decision.EXTEND: "⏩"}
_STAGE_DECISION = {
    Stage.APPROVED: Decision.GO,
    Stage.STOPPED: Decision.NO_GO,
    Stage.EXTENDED: Decision.EXTEND,
}


def decision_in_force(report: PilotReport) -> Decision | None:
    """What was decided for the pilot, from its latest decision in force, else its stage."""
    record = report.facts.latest_decision
    if record is not None and record.status.in_force:
        return record.decision
    return _STAGE_DECISION.get(report.stage)


def decided_headline(report: PilotReport) -> str | None:
    """`✅ Approved for production`, `⛔ Stopped`, `⏩ Extended to 2027-03-05`, or None."""
    decision = decision_in_force(report)
    if decision is None:
        return None
    words = decision_words(decision, _until(report), ALWAYS_THE_YEAR)
    return f"{DECISION_EMOJI[decision]} {words}"


def verdict_beside(report: PilotReport) -> str:
    """The verdict as it reads next to a decision: at the decision, or now after an extension."""
    verdict = verdict_text(report.assessment.verdict)
    if decision_in_force(report) is Decision.EXTEND:
        return f"now {verdict}"
    return f"{verdict} when decided"


def standing(report: PilotReport) -> str:
    """What leads a line about the pilot: the decision and the verdict beside it, or the
    verdict alone while nothing is decided. Mrkdwn-safe, no user text."""
    headline = decided_headline(report)
    if headline is None:
        return verdict_text(report.assessment.verdict)
    return f"{headline} · {verdict_beside(report)}"


def standing_text(report: PilotReport) -> str:
    """`Stopped (Go when decided)`: the same without emoji, for notifications."""
    decision = decision_in_force(report)
    label = report.assessment.verdict.label
    if decision is None:
        return label
    words = decision_words(decision, _until(report), ALWAYS_THE_YEAR)
    if decision is Decision.EXTEND:
        return f"{words} (now {label})"
    return f"{words} ({label} when decided)"


def is_final(report: PilotReport) -> bool:
    decision = decision_in_force(report)
    return decision is not None and decision.is_final


def decided_by_line(record: DecisionRecord, tz: ZoneInfo, today: date) -> str:
    """`decided 15 Nov by <@U0SPO>` (the day where the reader is), with the approver of an
    override."""
    line = f"decided {spoken_day(record.at.astimezone(tz).date(), today)} by {mention(record.by)}"
    if record.approved_by:
        line += f", approved by {mention(record.approved_by)}"
    return line


def pending_line(report: PilotReport) -> str | None:
    """`⏳ Go decision waiting for approval by <@U0SPO>`, while a go over open gaps waits."""
    waiting = pending_headline(report.facts)
    return f"⏳ {escape_keeping_mentions(waiting)}" if waiting else None


def _until(report: PilotReport) -> date | None:
    record = report.facts.latest_decision
    if record is not None and record.decision is Decision.EXTEND and record.until is not None:
        return record.until
    return report.facts.decide_by
