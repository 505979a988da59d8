"""Action, block and callback ids, in one place so builders and listeners agree."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    RECORD_READING = "pilot.record_reading"
    RECORD_BASELINE = "pilot.record_baseline"
    DECIDE = "pilot.decide"
    OPEN_PILOT = "pilot.open"
    LIST_PAGE = "pilot.list_page"
    # Snooze buttons on owner nudges; the value is a SnoozeRef. Two ids, one per button:
    # Slack wants action_ids unique within an actions block.
    SNOOZE_DAY = "pilot.snooze.day"
    SNOOZE_WEEK = "pilot.snooze.week"
    # Go / No-go / Extend on the overdue-decision DM; the value is a DecideRef.
    DECIDE_GO = "pilot.decide.go"
    DECIDE_NO_GO = "pilot.decide.no_go"
    DECIDE_EXTEND = "pilot.decide.extend"
    # Opens the one form with every field a gap can ask for; the value is a PilotRef.
    COMPLETE_PILOT = "pilot.complete"
    # Approve / Reject on the DM asking a second person about a go over open gaps; the
    # value is an OverrideRef.
    APPROVE_OVERRIDE = "pilot.override.approve"
    REJECT_OVERRIDE = "pilot.override.reject"


class Callback(StrEnum):
    REGISTER = "pilot.register"
    RECORD_READING = "pilot.record_reading"
    RECORD_BASELINE = "pilot.record_baseline"
    DECIDE = "pilot.decide"
    COMPLETE = "pilot.complete"


class Block(StrEnum):
    """Input blocks of the modals; `response_action: errors` names them."""

    NAME = "name"
    OWNER = "owner"
    SPONSOR = "sponsor"
    WORKFLOW = "workflow"
    METRIC = "metric"
    UNIT = "unit"
    BETTER = "better"
    THRESHOLD = "threshold"
    DECIDE_BY = "decide_by"
    CADENCE = "cadence"
    VALUE = "value"
    NOTE = "note"
    DECISION = "decision"
    RATIONALE = "rationale"
    # Why a baseline is measured again after readings began.
    REASON = "reason"
    # The new decide-by date of an extension.
    UNTIL = "until"
    # The Complete the pilot form (WORKFLOW above is shared with registration).
    EVAL_SIZE = "eval_size"
    EVAL_SCORE = "eval_score"
    EVAL_BAR = "eval_bar"
    MONITORING = "monitoring"
    ROLLBACK = "rollback"
    COST_PER_UNIT = "cost_per_unit"
    VALUE_PER_UNIT = "value_per_unit"
    VOLUME = "volume"
    CURRENCY = "currency"
    EVAL_REPORT = "eval_report"
    DASHBOARD = "dashboard"
    RUNBOOK = "runbook"
    ACCOUNTABLE = "accountable"


# Every input block holds one element whose action_id is this, so a submission's value sits
# at view.state.values[<block>][INPUT].
INPUT = "input"
