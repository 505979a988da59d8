"""Evidence links and guardrails are the one place a person's text becomes a live link: a
stored URL holding `|`, `>`, `<`, `&`, spaces or markup, or a guardrail unit full of
mentions, never breaks out of its link or becomes a mention, a broadcast or a second link on
any surface that shows them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.governance.direct_messages import direct_messages
from bot.governance.facts import EvidenceLinks
from bot.governance.facts import Guardrail
from bot.governance.facts import Measurement
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import Better
from bot.slack.blocks.asks import asks_message
from bot.slack.blocks.decision import Ask
from bot.slack.blocks.decision import decision_due_message
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.evidence import link
from bot.slack.blocks.status_card import status_reply
from tests.slack.blocks.factory import GUARDED
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import report_of

MARKUP = [
    "|", ">", "<", "&", " ", "\n", "`", '"', "*", "_", "<!channel>", "<@U0EVIL>",
    "<https://evil.example|click>", "&gt;", "%7C", "\ue000U0EVIL\ue001",
]  # fmt: skip
typed = st.lists(
    st.sampled_from(MARKUP) | st.text(alphabet=st.characters(exclude_categories=["Cs"]),
                                      max_size=8),
    max_size=6,
).map("".join)  # fmt: skip
# A host that starts like one, then anything: what a stored URL could hold at worst.
urls = st.builds(lambda host, rest: f"https://h{host}{rest}", typed, typed)
# A piece of live markup: a link, a mention, a broadcast, a channel.
LIVE = re.compile(r"<([^<>]*)>")
OUR_LINK = re.compile(r"^https://[\x21-\x7b\x7d\x7e]+\|(eval report|dashboard|runbook)$")
LABELS = ("eval report", "dashboard", "runbook")


def mrkdwn_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "mrkdwn" else []
        return own + [text for value in node.values() for text in mrkdwn_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in mrkdwn_texts(value)]
    return []


def surfaces(facts: Any) -> list[Any]:
    report = report_of(facts)
    due = Due(OWNER, Reason.READING_DUE, facts.key, "p", NOW - timedelta(hours=1))
    [reminder] = direct_messages([due], report.facts, report.assessment, NOW, UTC_ZONE)
    return [
        status_reply(report, NOW, UTC_ZONE, OWNER),
        decision_due_message(report, Ask.TURNED_GO, NOW, UTC_ZONE, SPONSOR),
        asks_message(reminder, report, UTC_ZONE, NOW),
        digest_messages([report], NOW, UTC_ZONE),
    ]


@settings(max_examples=80, deadline=None)
@given(eval_report=urls, dashboard=urls, runbook=urls, unit=typed)
def test_no_url_or_unit_breaks_out_of_its_link_on_any_surface(
    eval_report: str, dashboard: str, runbook: str, unit: str
) -> None:
    rails = tuple(replace(rail, unit=unit) for rail in GUARDED.guardrails)
    facts = replace(GUARDED, guardrails=rails, links=EvidenceLinks(eval_report, dashboard, runbook))
    links_seen = 0
    for surface in surfaces(facts):
        json.dumps(surface)
        for text in mrkdwn_texts(surface):
            for live in LIVE.findall(text):
                if live.startswith("@"):
                    assert live[1:] in {OWNER, SPONSOR, "U0ACC"}, (live, text)
                    continue
                assert OUR_LINK.match(live), (live, text)
                links_seen += 1
    assert links_seen >= 3, "the links are shown"


@given(url=urls)
def test_a_link_keeps_to_its_own_target_and_label(url: str) -> None:
    for label in LABELS:
        shown = link(url, label)
        target, bar, rest = shown[1:-1].partition("|")
        assert shown.startswith("<https://")
        assert shown.endswith(">")
        assert (bar, rest) == ("|", label)
        assert not set(target) & set('|<> \n`"')
        # Slack reads the entities back: the link goes where the stored URL said.
        assert "&" not in target.replace("&amp;", "")


def test_a_url_other_than_https_is_never_linked() -> None:
    for url in ("http://a.example", "javascript:alert(1)", "https://", "mailto:x@y.z", ""):
        assert link(url, "runbook") == ""


def test_a_guardrail_unit_with_a_mention_reads_as_text() -> None:
    rail = Guardrail("errors", Better.LOWER, 2, "<!channel> %", Measurement(1, ago(days=1)))
    [card, *_] = surfaces(replace(GUARDED, guardrails=(rail,)))
    text = json.dumps(card)
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text
