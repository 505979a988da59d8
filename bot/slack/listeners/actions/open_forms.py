"""Buttons that open a form about one pilot: Record a reading, Record baseline, Decide,
and the Go / No-go / Extend buttons of a reminder."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import Ack
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.errors import NotAllowed
from bot.governance.decisions import accountable_people
from bot.governance.decisions import change_refusal
from bot.governance.rights import may_change
from bot.slack.blocks.modals import decision_modal
from bot.slack.blocks.modals import measurement_modal
from bot.slack.deps import Deps
from bot.slack.identity import Requester
from bot.slack.ids import Action
from bot.slack.metadata import DecideRef
from bot.slack.metadata import ModalContext
from bot.slack.metadata import PilotRef
from bot.slack.views import open_view
from bot.slack.views import report_for_modal

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

# Go / No-go / Extend on an overdue-decision reminder: the form opens with that choice made.
DECISION_BUTTONS = (Action.DECIDE_GO, Action.DECIDE_NO_GO, Action.DECIDE_EXTEND)


def register(listeners: Listeners, deps: Deps) -> None:
    def open_form(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        ack()
        action_id = action["action_id"]
        chosen = None
        if action_id in DECISION_BUTTONS:
            decide_ref = DecideRef.load(action.get("value"))
            key, chosen = decide_ref.pilot, decide_ref.decision.value
        else:
            key = PilotRef.load(action.get("value")).pilot
        requester = Requester.of(context)
        now = deps.clock()
        report = report_for_modal(deps, requester, key, now)
        if action_id == Action.DECIDE or action_id in DECISION_BUTTONS:
            # The form opens only for someone allowed to decide (no users.info here: the
            # trigger_id lasts three seconds; an admin flag not known yet counts as no).
            known = deps.directory.cached(requester.team_id, requester.user_id)
            facts = report.facts
            if not may_change(
                requester.user_id,
                is_admin=bool(known and known.is_admin),
                owner=facts.owner,
                sponsor=facts.sponsor,
                accountable=accountable_people(facts),
            ):
                raise NotAllowed(change_refusal(facts.key, facts.owner, facts.sponsor))
            view = decision_modal(report, now, chosen)
        else:
            baseline = action["action_id"] == Action.RECORD_BASELINE
            view = measurement_modal("baseline" if baseline else "reading", report, now)
        view["private_metadata"] = ModalContext(
            key=report.key,
            response_url=body.get("response_url"),
            reason_needed=action_id == Action.RECORD_BASELINE
            and report.facts.first_reading is not None,
            owner_zone=report.owner_zone.key,
        ).dump()
        open_view(client, body, view)

    for action_id in (Action.RECORD_READING, Action.RECORD_BASELINE, Action.DECIDE,
                      *DECISION_BUTTONS):  # fmt: skip
        listeners.action(action_id.value)(open_form)
