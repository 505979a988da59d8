"""No text a person typed reaches any surface as a live mention, broadcast, channel link or
link: every field that reaches a message, on every surface that shows it (issue: trust under
abuse). Only the people the pilot names (owner, sponsor, Accountables) may be mentioned."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.governance.attention import needs_from
from bot.governance.attention import roles_of
from bot.governance.facts import Amendment
from bot.governance.facts import Measurement
from bot.governance.vocabulary import Decision
from bot.slack.blocks.decision import Ask
from bot.slack.blocks.decision import decision_due_message
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.home import HomeItem
from bot.slack.blocks.home import home_view
from bot.slack.blocks.outcome import decision_announcement
from bot.slack.blocks.outcome import decision_outcome_message
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.blocks.programme import programme_home
from bot.slack.blocks.status_card import status_reply
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import report_of

# What people type, with every piece of Slack markup they could try, minus the two private-
# use marks the readers refuse.
MARKUP = [
    "<@U0EVIL>", "<@U0EVIL|eve>", "<!channel>", "<!here>", "<!everyone>", "<#C0SECRET>",
    "<https://evil.example|click>", "<mailto:x@y.z>", "&", "<", ">", "*", "`", "\n",
]  # fmt: skip
typed = st.lists(
    st.sampled_from(MARKUP) | st.text(alphabet=st.characters(exclude_categories=["Cs"],
                                                             exclude_characters="\ue000\ue001"),
                                      max_size=12),
    min_size=1, max_size=6,
).map("".join)  # fmt: skip
LIVE = re.compile(r"<([@!#][^>]*|https?:[^>]*|mailto:[^>]*)>")


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text object (the only places Slack parses markup)."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found.extend(mrkdwn_texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(mrkdwn_texts(value))
    return found


def assert_no_typed_markup(surface: Any, allowed: set[str]) -> None:
    texts = mrkdwn_texts(surface)
    assert texts, "the surface shows nothing to check"
    for text in texts:
        for live in LIVE.findall(text):
            assert live.startswith("@"), (live, text)
            assert live[1:] in allowed, (live, text)
    # Notification text is shown as is by Slack's clients: it must never ping anyone.
    for message in surface if isinstance(surface, list) else [surface]:
        if isinstance(message, dict) and isinstance(message.get("text"), str):
            assert "<!" not in message["text"]
            assert "<@U0EVIL" not in message["text"]


@settings(max_examples=60, deadline=None)
@given(name=typed, unit=typed, metric=typed, workflow=typed, note=typed, why=typed)
def test_typed_text_never_becomes_live_markup_on_any_surface(
    name: str, unit: str, metric: str, workflow: str, note: str, why: str
) -> None:
    facts = replace(
        READY,
        name=name.strip() or "x",
        unit=unit,
        metric_name=metric,
        workflow=workflow,
        monitoring=note,
        latest_reading=Measurement(9.0, ago(days=1), READY.owner, note),
        amendments=(Amendment("threshold", "8", "9.8", why, str(READY.owner), ago(days=2)),),
    )
    report = report_of(facts)
    stopped = report_of(decided(replace(facts), Decision.NO_GO))
    stopped = replace(
        stopped,
        facts=replace(
            stopped.facts,
            latest_decision=replace(stopped.facts.latest_decision, rationale=why),  # type: ignore[type-var]
        ),
    )
    allowed = {str(facts.owner), str(facts.sponsor)} | {
        user for roles in facts.raci.values() for users in roles.values() for user in users
    }
    viewer = str(facts.owner)
    item = HomeItem(report, roles_of(facts, viewer), needs_from(facts, report.assessment, viewer))
    surfaces: list[Any] = [
        status_reply(report, NOW, UTC_ZONE, viewer),
        status_reply(stopped, NOW, UTC_ZONE, viewer),
        pilot_list([report, stopped], page=1),
        home_view(viewer, [item], NOW, UTC_ZONE),
        programme_home(viewer, [report, stopped], [item], NOW, UTC_ZONE),
        digest_messages([report, stopped], NOW, UTC_ZONE),
        decision_due_message(report, Ask.TURNED_GO, NOW, UTC_ZONE, facts.sponsor),
        decision_outcome_message(stopped, viewer, NOW, UTC_ZONE),
        decision_announcement(stopped, UTC_ZONE),
    ]
    for surface in surfaces:
        assert_no_typed_markup(surface, allowed)
        json.dumps(surface)
