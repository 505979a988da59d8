"""The decision loop lived through the real scheduler and a fake Slack, with an owner in
Berlin and a sponsor in New York: the sponsor asked in time, everyone told the outcome, a
stalled pilot put to its sponsor, and one DM per person per pilot per tick."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from bot.governance.notices import Reason
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.commands import RecordEval
from bot.services.commands import ReviewDecision
from bot.services.subscriptions import subscribe_digest
from bot.slack.digest_words import parse_schedule
from bot.slack.ids import Action
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import Call
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import SPONSOR
from tests.scheduler.conftest import TEAM
from tests.scheduler.conftest import World

JAN_4 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
NY_MORNING = timedelta(hours=15)  # 10:00 in New York, 16:00 in Berlin
READY = {
    "sponsor": f"<@{SPONSOR}>", "metric": "handle time", "unit": "min", "better": "lower",
    "threshold": "9.8", "decide-by": "2027-02-05", "workflow": "Zendesk", "eval-size": "150",
    "eval-score": "96", "eval-bar": "95", "monitoring": "quality dashboard", "rollback": "yes",
    "cost-per-unit": "0.10", "value-per-unit": "0.90", "volume": "10000", "currency": "EUR",
}  # fmt: skip


def ready_but_for_its_readings(world: World) -> str:
    key = world.register(JAN_4, **READY)
    world.run(f"baseline {key} 14", JAN_4)
    world.run(f"raci {key} all A <@{OWNER}>", JAN_4)
    return key


def day(number: int) -> datetime:
    """Midnight UTC of January `number`, 2027 (February past 31)."""
    return datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=number - 1)


def dms_to(world: World, person: str) -> list[Call]:
    return [c for c in world.sent() if c.args.get("channel") == person]


def action_ids(call: Call) -> list[str]:
    return [
        element["action_id"]
        for block in call.json("blocks")
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_the_sponsor_is_asked_when_it_turns_go_a_week_before_and_on_the_day(
    world: World,
) -> None:
    key = ready_but_for_its_readings(world)
    world.run(f"update {key} 10.5", day(11) + timedelta(hours=9))
    world.run(f"update {key} 10.2", day(18) + timedelta(hours=9))
    world.tick(day(18) + NY_MORNING)
    assert not [c for c in dms_to(world, SPONSOR) if "Decision due" in c.args["text"]]
    world.run(f"update {key} 9", day(26) + timedelta(hours=9))  # clears 9.8: Go
    world.tick(day(26) + NY_MORNING)
    world.tick(day(29) + NY_MORNING)  # a week before 5 February
    world.run(f"update {key} 9.1", day(33) + timedelta(hours=9))
    world.tick(day(36) + NY_MORNING)  # 5 February, the day itself
    asked = [c for c in dms_to(world, SPONSOR) if str(c.args["text"]).startswith("Decision due")]
    assert len(asked) == 3, [c.args["text"] for c in dms_to(world, SPONSOR)]
    for call in asked:
        assert key in call.args["text"]
        decide = {Action.DECIDE_GO, Action.DECIDE_NO_GO, Action.DECIDE_EXTEND}
        assert decide <= set(action_ids(call))
        assert "EUR" in json.dumps(call.json("blocks"))  # the money at stake, in its currency
    assert not [c for c in dms_to(world, OWNER) if "Decision due" in str(c.args["text"])]


def test_a_decision_is_told_to_the_owner_and_announced_in_the_digest_channel(
    world: World,
) -> None:
    world.fake.add_channel("C0SPONSORS", name="ai-sponsors", is_member=True)
    with UnitOfWork(world.sessions, actor=SPONSOR) as uow:
        from bot.services.actors import Actor

        subscribe_digest(uow, Actor(TEAM, SPONSOR), "C0SPONSORS",
                         parse_schedule(["weekly", "mon", "09:00"]), "America/New_York",
                         JAN_4)  # fmt: skip
    key = ready_but_for_its_readings(world)
    world.run(f"update {key} 9", day(26) + timedelta(hours=9))
    world.run(f"decide {key} go 14 to 9 minutes, every check passes", day(27) + NY_MORNING,
              by=SPONSOR)  # fmt: skip
    world.tick(day(27) + NY_MORNING + timedelta(minutes=1))
    [told] = [str(c.args["text"]) for c in dms_to(world, OWNER)]
    assert told == f"✅ {key} Support drafting: approved for production"
    # One line in the channel, beside the digest that was due there anyway.
    [announced] = [text for text in world.sent_to("C0SPONSORS") if "approved" in text]
    assert key in announced
    assert not [c for c in dms_to(world, SPONSOR) if "approved" in str(c.args["text"]).lower()]
    reasons = {(n.recipient, n.reason) for n in world.outbox()}
    assert (SPONSOR, Reason.DECISION_RECORDED.value) not in reasons  # they took it


def test_a_stalled_pilot_asks_its_sponsor_to_stop_or_extend_every_four_periods(
    world: World,
) -> None:
    undated = {name: value for name, value in READY.items() if name != "decide-by"}
    key = world.register(JAN_4, **undated)
    world.run(f"baseline {key} 14", JAN_4)
    world.run(f"raci {key} all A <@{OWNER}>", JAN_4)
    world.run(f"update {key} 10", JAN_4)
    asked: list[int] = []
    for week in range(1, 10):
        world.tick(JAN_4 + timedelta(weeks=week, days=1) + timedelta(hours=6))
        stop_or_extend = [
            n for n in world.outbox()
            if (n.recipient, n.reason) == (SPONSOR, Reason.STOP_OR_EXTEND.value)
        ]  # fmt: skip
        asked.append(len(stop_or_extend))
    # After four silent weeks, and again after four more; never in between.
    assert asked == [0, 0, 0, 1, 1, 1, 1, 2, 2]
    [first, *_] = [c for c in dms_to(world, SPONSOR) if Action.DECIDE_EXTEND.value in action_ids(c)]
    assert Action.DECIDE_NO_GO.value in action_ids(first)
    assert Action.DECIDE_GO.value not in action_ids(first)


def test_three_reasons_due_at_once_make_one_dm_that_names_them_all(world: World) -> None:
    key = world.register(
        JAN_4, metric="tickets", better="lower", threshold="9", **{"decide-by": "2027-01-18"}
    )
    world.tick(JAN_4 + timedelta(days=7, hours=1))  # no baseline, no RACI, a reading due
    [dm] = dms_to(world, OWNER)
    due = {n.reason for n in world.outbox() if n.recipient == OWNER}
    assert len(due) >= 3
    text = json.dumps(dm.json("blocks"))
    assert key in dm.args["text"]
    assert "baseline" in text.lower()
    assert "reading" in text.lower()
    assert "Accountable" in text
    ids = action_ids(dm)
    assert Action.RECORD_BASELINE.value in ids
    assert Action.COMPLETE_PILOT.value in ids


def test_a_pilot_registered_by_name_only_is_asked_to_agree_its_metric_first(
    world: World,
) -> None:
    key = world.register(JAN_4)
    world.tick(JAN_4 + timedelta(days=7, hours=1))  # no metric, no baseline, a reading due
    [dm] = dms_to(world, OWNER)
    assert str(dm.args["text"]).startswith(f"Agree the go-live metric of {key}")
    ids = action_ids(dm)
    assert Action.COMPLETE_PILOT.value in ids
    assert Action.RECORD_READING.value not in ids
    assert Action.RECORD_BASELINE.value not in ids


def test_the_third_reminder_says_so(world: World) -> None:
    key = ready_but_for_its_readings(world)
    world.run(f"update {key} 10", JAN_4)
    for week in (1, 2, 3):
        world.tick(JAN_4 + timedelta(weeks=week, hours=1))
    texts = [str(c.args["text"]) for c in dms_to(world, OWNER)]
    assert len(texts) == 3, texts
    assert not any("Third" in text for text in texts[:2])
    assert texts[2].startswith("Third reminder"), texts[2]


def test_an_evaluation_run_that_regresses_is_told_to_the_owner(world: World) -> None:
    key = ready_but_for_its_readings(world)
    world.run(f"eval {key} 97% n:150", JAN_4 + timedelta(days=1))
    world.run(f"eval {key} 90% n:150 after the prompt change", JAN_4 + timedelta(days=2))
    world.tick(JAN_4 + timedelta(days=2, hours=1))
    told = [n for n in world.outbox() if n.reason == Reason.EVAL_REGRESSION.value]
    assert {n.recipient for n in told} == {OWNER}  # the owner is also Accountable here
    [dm] = [c for c in dms_to(world, OWNER) if "evaluation" in str(c.args["text"]).lower()]
    assert key in dm.args["text"]


def test_a_regressed_run_reported_days_late_is_still_told(world: World) -> None:
    key = ready_but_for_its_readings(world)
    world.run(f"eval {key} 97% n:150", JAN_4 + timedelta(days=1))
    reported = JAN_4 + timedelta(days=12)  # a live system posts a run it made ten days ago
    with UnitOfWork(world.sessions, actor=OWNER) as uow:
        late = RecordEval(typed.key(key), 90, 150, at=JAN_4 + timedelta(days=2))
        pilots.handle(uow, Actor(TEAM, OWNER), late, reported)
    world.tick(reported + timedelta(hours=1))
    told = [n for n in world.outbox() if n.reason == Reason.EVAL_REGRESSION.value]
    assert [n.recipient for n in told] == [OWNER]


def test_a_rejected_go_is_told_to_the_owner_who_took_it(world: World) -> None:
    key = ready_but_for_its_readings(world)  # no reading yet: Not ready
    world.run(f"decide {key} go the team cannot wait", day(12) + timedelta(hours=9))
    world.tick(day(12) + NY_MORNING)  # the sponsor is asked to approve
    with UnitOfWork(world.sessions, actor=SPONSOR) as uow:
        command = ReviewDecision(typed.key(key), approve=False)
        pilots.handle(uow, Actor(TEAM, SPONSOR), command, day(12) + NY_MORNING)
    world.tick(day(12) + NY_MORNING + timedelta(minutes=1))
    [told] = [c for c in dms_to(world, OWNER) if "rejected" in c.args["text"]]
    assert told.args["text"] == (
        f"Your go on {key} Support drafting was rejected by @{SPONSOR}: nothing changed, and "
        "it is Not ready. Close its gaps, then decide again."
    )
    assert f"was rejected by <@{SPONSOR}>" in json.dumps(told.json("blocks"))
    world.tick(day(20) + NY_MORNING)  # news once, not every tick
    assert len([c for c in dms_to(world, OWNER) if "rejected" in str(c.args["text"])]) == 1


def test_a_go_approved_days_later_is_news_from_the_day_it_was_approved(world: World) -> None:
    key = ready_but_for_its_readings(world)
    world.run(f"decide {key} go the team cannot wait", day(12) + timedelta(hours=9))
    approved_at = day(21) + NY_MORNING  # nine days later: longer than news lasts
    with UnitOfWork(world.sessions, actor=SPONSOR) as uow:
        command = ReviewDecision(typed.key(key), approve=True)
        pilots.handle(uow, Actor(TEAM, SPONSOR), command, approved_at)
    world.tick(approved_at + timedelta(minutes=1))
    told = [str(c.args["text"]) for c in dms_to(world, OWNER) if "approved" in c.args["text"]]
    assert told == [f"✅ {key} Support drafting: approved for production"]
