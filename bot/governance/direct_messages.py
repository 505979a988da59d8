"""One DM per person per pilot per tick: what it asks, in what words, with which buttons.

`direct_messages` groups the `Due`s of one pilot by recipient. Each message lists what it
asks, most pressing first; its first line is the first ask's, in plain words that say what
is asked ("Record this week's reading of handle time for P-3 Support drafting."), and each
ask names the kind of button that does it. The Slack layer draws the buttons and escapes the
text (people are named with bot.governance.people.person).

Reminders that recur say so from the third time on ("Third reminder: record …"); how many
were already sent comes from the outbox, counted per (recipient, reason) for this pilot
since the Due's `run_since`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.cadence import local_date
from bot.governance.decided import decision_words
from bot.governance.decision_loop import GO_PREFIX
from bot.governance.decision_loop import NOTICE_PREFIX
from bot.governance.decision_loop import instant_key
from bot.governance.evaluations import regression_of
from bot.governance.facts import Amendment
from bot.governance.facts import PilotFacts
from bot.governance.facts import last_activity
from bot.governance.formatting import ELLIPSIS
from bot.governance.formatting import shorten
from bot.governance.formatting import spoken_day
from bot.governance.locks import metric_to_agree
from bot.governance.notices import ButtonKind
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.people import person
from bot.governance.people import without_person_marks
from bot.governance.readiness import Assessment
from bot.governance.reminders import missed_readings
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole

BUTTON_OF = {
    Reason.READING_DUE: ButtonKind.RECORD_READING,
    Reason.BASELINE_MISSING: ButtonKind.RECORD_BASELINE,
    Reason.RACI_NO_ACCOUNTABLE: ButtonKind.COMPLETE_PILOT,
    Reason.DECIDE_BY_IN_7_DAYS: ButtonKind.COMPLETE_PILOT,
    Reason.DECIDE_BY_TODAY: ButtonKind.COMPLETE_PILOT,
    Reason.READINGS_MISSED: ButtonKind.OPEN_PILOT,
    Reason.DECISION_DUE: ButtonKind.DECIDE,
    Reason.DECISION_OVERDUE: ButtonKind.DECIDE,
    Reason.STOP_OR_EXTEND: ButtonKind.STOP_OR_EXTEND,
    Reason.AMENDMENT_TOLD: ButtonKind.OPEN_PILOT,
    Reason.DECISION_RECORDED: ButtonKind.OPEN_PILOT,
    Reason.OVERRIDE_WAITING: ButtonKind.APPROVE_OR_REJECT,
    Reason.OVERRIDE_REJECTED: ButtonKind.OPEN_PILOT,
    Reason.EVAL_REGRESSION: ButtonKind.OPEN_PILOT,
}
# Most pressing first: approvals and decisions, then escalations, news, then the owner's work.
PRIORITY = (
    Reason.OVERRIDE_WAITING,
    Reason.DECISION_OVERDUE,
    Reason.DECISION_DUE,
    Reason.STOP_OR_EXTEND,
    Reason.READINGS_MISSED,
    Reason.DECISION_RECORDED,
    Reason.OVERRIDE_REJECTED,
    Reason.AMENDMENT_TOLD,
    Reason.EVAL_REGRESSION,
    Reason.DECIDE_BY_TODAY,
    Reason.DECIDE_BY_IN_7_DAYS,
    Reason.READING_DUE,
    Reason.BASELINE_MISSING,
    Reason.RACI_NO_ACCOUNTABLE,
)
# The asks that measure the go-live metric, and so need it agreed first.
_MEASURING = frozenset({Reason.READING_DUE, Reason.BASELINE_MISSING})
NAME_LIMIT = 60
DETAIL_LIMIT = 300
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")  # fmt: skip
_CADENCE_WORDS = {Cadence.WEEKLY: "week's", Cadence.BIWEEKLY: "fortnight's",
                  Cadence.MONTHLY: "month's"}  # fmt: skip


@dataclass(frozen=True)
class Ask:
    reason: Reason
    # What is asked (or told), one plain sentence.
    line: str
    button: ButtonKind
    # A second line for the record: a rationale or an amendment's reason, shortened.
    detail: str | None = None


@dataclass(frozen=True)
class DirectMessage:
    recipient: str
    subject: str
    asks: tuple[Ask, ...]
    # Every Due this one message delivers (an older occasion of a recurring reason included).
    dues: tuple[Due, ...]

    @property
    def first_line(self) -> str:
        return self.asks[0].line

    @property
    def buttons(self) -> tuple[ButtonKind, ...]:
        return tuple(dict.fromkeys(ask.button for ask in self.asks))


def direct_messages(
    dues: Iterable[Due],
    facts: PilotFacts,
    assessment: Assessment,
    now: datetime,
    tz: ZoneInfo,
    *,
    already_sent: Mapping[tuple[str, Reason], int] | None = None,
) -> list[DirectMessage]:
    """The DMs for one pilot's `dues`: one per recipient, in the order recipients first
    appear. Pass the Dues being delivered now (the pending outbox rows of this pilot), not
    every occasion `due_for_pilot` reports. Of several occasions of one recurring reason,
    the latest speaks for all. `tz` is the owner's zone (missed readings are counted on
    their clock); `already_sent` counts, per (recipient, reason), the messages of this
    pilot sent since each Due's `run_since`.
    """
    sent = already_sent or {}
    by_recipient: dict[str, list[Due]] = {}
    for due in dues:
        if due.subject == facts.key and due.reason in BUTTON_OF:
            by_recipient.setdefault(due.recipient, []).append(due)
    messages = []
    for recipient, theirs in by_recipient.items():
        speaking: dict[tuple[Reason, str], Due] = {}
        for due in sorted(theirs, key=lambda item: item.since):
            slot = due.period if not due.reason.recurring else ""
            speaking[(due.reason, slot)] = due
        ordered = sorted(speaking.values(), key=lambda item: PRIORITY.index(item.reason))
        asks = tuple(
            _ask(due, facts, assessment, now, tz, sent.get((recipient, due.reason), 0))
            for due in ordered
        )
        messages.append(DirectMessage(recipient, facts.key, asks, tuple(theirs)))
    return messages


def _ask(
    due: Due,
    facts: PilotFacts,
    assessment: Assessment,
    now: datetime,
    tz: ZoneInfo,
    already_sent: int,
) -> Ask:
    line, detail = _words(due, facts, assessment, now, tz)
    # A name shortened at the end of a sentence: its "…" ends the sentence too.
    line = line.replace(f"{ELLIPSIS}.", ELLIPSIS)
    if due.reason.recurring and already_sent >= 2:
        line = f"{ordinal(already_sent + 1).capitalize()} reminder: {_lower_first(line)}"
    return Ask(due.reason, line, _button(due.reason, facts), detail)


def _button(reason: Reason, facts: PilotFacts) -> ButtonKind:
    """A reading or a baseline of a metric not yet agreed cannot be taken: the form that
    agrees it comes first, while no reading has locked it; after that, the pilot's card names
    the reasoned `set` that does."""
    if reason in _MEASURING and metric_to_agree(facts):
        return ButtonKind.COMPLETE_PILOT
    if reason in _MEASURING and not facts.metric_agreed:
        return ButtonKind.OPEN_PILOT
    return BUTTON_OF[reason]


def first_line(
    due: Due, facts: PilotFacts, assessment: Assessment, now: datetime, tz: ZoneInfo,
    already_sent: int = 0,
) -> str:  # fmt: skip
    """The sentence that opens a DM for this one Due."""
    return _ask(due, facts, assessment, now, tz, already_sent).line


def ordinal(number: int) -> str:
    """3 -> 'third', 11 -> '11th', 22 -> '22nd'."""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    suffix = (
        "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _lower_first(line: str) -> str:
    """Lower-cases an ordinary capitalised first word ("Record"), not a key or a name."""
    word = line.split(" ", 1)[0]
    if len(word) > 1 and word.isalpha() and word[1:].islower():
        return line[0].lower() + line[1:]
    return line


def _words(
    due: Due, facts: PilotFacts, assessment: Assessment, now: datetime, tz: ZoneInfo
) -> tuple[str, str | None]:
    pilot = f"{facts.key} {shorten(without_person_marks(facts.name), NAME_LIMIT)}"
    metric = (
        shorten(without_person_marks(facts.metric_name), NAME_LIMIT)
        if facts.metric_name
        else "the go-live metric"
    )
    today = local_date(now, tz)
    day = spoken_day(facts.decide_by, today) if facts.decide_by else "(no date)"
    decide = f"Decide {pilot}: Go, No-go or Extend"
    agree = f"Agree the go-live metric of {pilot}"
    match due.reason:
        case Reason.READING_DUE if not facts.metric_agreed:
            return (
                f"{agree}: what is measured, which way is better, and the value that means "
                "go. Until then its readings decide nothing.",
                None,
            )
        case Reason.BASELINE_MISSING if not facts.metric_agreed:
            return f"{agree}, then measure its baseline before the pilot changes the work.", None
        case Reason.READING_DUE:
            return (
                f"Record this {_CADENCE_WORDS[facts.cadence]} reading of {metric} for {pilot}.",
                None,
            )
        case Reason.BASELINE_MISSING:
            return (
                f"Record the baseline of {pilot}: measure {metric} before the pilot changes "
                "the work.",
                None,
            )
        case Reason.RACI_NO_ACCOUNTABLE:
            return _raci_words(facts, pilot), None
        case Reason.DECIDE_BY_IN_7_DAYS:
            return f"Get {pilot} ready for its go/no-go decision on {day}, a week from now.", None
        case Reason.DECIDE_BY_TODAY:
            return f"Get {pilot} ready for its go/no-go decision: it is due today, {day}.", None
        case Reason.DECISION_DUE if due.period.startswith(GO_PREFIX):
            return (
                f"{decide}. It is Go: every check passes and the latest reading clears "
                "the threshold.",
                None,
            )
        case Reason.DECISION_DUE if due.period.startswith(NOTICE_PREFIX):
            return f"{decide}. Its decide-by date is {day}, a week from now.", None
        case Reason.DECISION_DUE:
            return f"{decide}. Its decide-by date is today, {day}.", None
        case Reason.DECISION_OVERDUE:
            return f"{decide}. Its decide-by date {day} has passed without a decision.", None
        case Reason.READINGS_MISSED:
            missed = max(missed_readings(facts, now, tz), 2)
            who = person(facts.owner) if facts.owner else "its owner"
            return f"Ask {who} for a reading of {pilot}: {missed} readings missed.", None
        case Reason.STOP_OR_EXTEND:
            return _stop_or_extend_words(facts, pilot, now, tz), None
        case Reason.DECISION_RECORDED:
            return _decision_words(facts, pilot, today)
        case Reason.AMENDMENT_TOLD:
            return _amendment_words(facts, pilot, due)
        case Reason.OVERRIDE_REJECTED:
            return _rejection_words(facts, pilot, due, assessment)
        case Reason.EVAL_REGRESSION:
            return _regression_words(facts, pilot, due, today, tz), None
        case Reason.OVERRIDE_WAITING:
            pending = facts.pending_decision
            by = person(pending.by) if pending else "someone"
            detail = _detail("Why", pending.rationale) if pending else None
            return (
                f"Approve or reject the go decision on {pilot}: {by} decided go while it is "
                f"{assessment.verdict.label}.",
                detail,
            )
    raise ValueError(f"{due.reason.value} is not a DM about one pilot")


def _raci_words(facts: PilotFacts, pilot: str) -> str:
    missing = [
        area.value for area in RaciArea if not facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE)
    ]
    if not missing:
        return f"Name exactly one Accountable for each RACI area of {pilot}."
    areas = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    return f"Name an Accountable for {areas} of {pilot}."


def _stop_or_extend_words(facts: PilotFacts, pilot: str, now: datetime, tz: ZoneInfo) -> str:
    since = local_date(last_activity(facts, now), tz)
    days = (local_date(now, tz) - since).days
    span = f"{days // 7} weeks" if days % 7 == 0 else f"{days} days"
    return (
        f"Stop {pilot}, or extend it with a new date: no reading or decision for {span}, "
        f"since {spoken_day(since, local_date(now, tz))}."
    )


def _decision_words(facts: PilotFacts, pilot: str, today: date) -> tuple[str, str | None]:
    decision = facts.latest_decision
    if decision is None:
        return f"The decision on {pilot} was withdrawn.", None
    who = f"decided by {person(decision.by)}"
    if decision.approved_by:
        who += f" and approved by {person(decision.approved_by)}"
    words = decision_words(decision.decision, decision.until, today)
    return f"{words}: {pilot}, {who}.", _detail("Why", decision.rationale)


def _rejection_words(
    facts: PilotFacts, pilot: str, due: Due, assessment: Assessment
) -> tuple[str, str | None]:
    rejected = facts.rejected_decision
    if rejected is None:
        return f"The go decision on {pilot} was not approved.", None
    # The line leads with the pilot, never a mention: it is the message's bold first line.
    go = "Your go" if due.recipient == rejected.by else f"The go {person(rejected.by)} took"
    by = person(rejected.approved_by) if rejected.approved_by else "its second approver"
    return (
        f"{go} on {pilot} was rejected by {by}: nothing changed, and it is "
        f"{assessment.verdict.label}. Close its gaps, then decide again.",
        _detail("The go said", rejected.rationale),
    )


def _amendment_words(facts: PilotFacts, pilot: str, due: Due) -> tuple[str, str | None]:
    amendment = next((item for item in facts.amendments if _same(item, due)), None)
    if amendment is None:
        return f"Note: a locked fact of {pilot} was amended.", None
    by = person(amendment.by)
    if amendment.field == "baseline-accepted":
        line = f"Note: {by} accepted the baseline of {pilot} recorded after readings began."
    else:
        line = (
            f"Note: {by} changed the {amendment.field} of {pilot} from "
            f"{_value(amendment.before, amendment.field, facts)} to "
            f"{_value(amendment.after, amendment.field, facts)} after readings began."
        )
    return line, _detail("Reason", amendment.reason)


def _regression_words(facts: PilotFacts, pilot: str, due: Due, today: date, tz: ZoneInfo) -> str:
    regression = regression_of(facts, due.period)
    if regression is None:
        return f"Look into the evaluation of {pilot}: a run regressed."
    day = spoken_day(local_date(regression.run.at, tz), today)
    return (
        f"Look into the evaluation of {pilot}: the run of {day} {regression.words(facts.eval_bar)}."
    )


def _same(amendment: Amendment, due: Due) -> bool:
    return due.period == f"amended:{amendment.field}:{instant_key(amendment.at)}"


def _value(shown: str | None, field: str, facts: PilotFacts) -> str:
    if shown is None:
        return "nothing"
    unit = without_person_marks(facts.unit) if facts.unit and field != "better" else ""
    if not unit:
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


def _detail(label: str, text: str) -> str | None:
    clean = " ".join(without_person_marks(text).split())
    return f"{label}: {shorten(clean, DETAIL_LIMIT)}" if clean else None
