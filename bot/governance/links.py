"""Evidence links: where the proof of a readiness check lives, shown beside that check."""

from __future__ import annotations

from collections.abc import Mapping

from bot.governance.checks import CheckId
from bot.governance.facts import EvidenceLinks
from bot.governance.vocabulary import Field

# Which check each link supports: the eval report the evaluation, the dashboard the
# monitoring, the runbook the rollback.
SUPPORTS: Mapping[Field, CheckId] = {
    Field.EVAL_REPORT: CheckId.EVALUATION,
    Field.DASHBOARD: CheckId.MONITORING,
    Field.RUNBOOK: CheckId.ROLLBACK,
}
LINK_FIELDS = tuple(SUPPORTS)


def link_of(links: EvidenceLinks, which: Field) -> str | None:
    return {
        Field.EVAL_REPORT: links.eval_report,
        Field.DASHBOARD: links.dashboard,
        Field.RUNBOOK: links.runbook,
    }.get(which)


def links_beside(links: EvidenceLinks, check_id: CheckId) -> tuple[tuple[Field, str], ...]:
    """The links to show beside one check: (which link, its URL), those that are set."""
    return tuple(
        (which, url)
        for which, supported in SUPPORTS.items()
        if supported is check_id and (url := link_of(links, which))
    )
