"""Every nudge at the right moment and only then, delivered once, with freezegun's clock.

Instants are chosen around week ends, DST and month ends; the owner lives in Berlin, the
sponsor in New York, and DMs wait for their working hours.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from freezegun import freeze_time

from bot.governance.notices import Reason
from bot.services.actors import Actor
from bot.services.reminders import snooze
from bot.services.subscriptions import subscribe_digest
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.scheduler.conftest import OWNER
from tests.scheduler.conftest import SPONSOR
from tests.scheduler.conftest import TEAM
from tests.scheduler.conftest import World

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # 11:00 in Berlin, 05:00 in New York


def reasons(world: World) -> list[tuple[str, str, str]]:
    return [(n.recipient, n.reason, n.status) for n in world.outbox()]


def test_a_baseline_nudge_comes_a_day_after_registration_and_only_once(world: World) -> None:
    key = world.register(MONDAY)
    world.tick(MONDAY + timedelta(days=1, seconds=-1))
    assert world.sent() == []
    with freeze_time(MONDAY + timedelta(days=1)):
        first = world.tick(datetime.now(UTC))
    assert first.delivery.sent == 2  # baseline missing, and no Accountable in the RACI
    assert {(r, reason) for r, reason, _ in reasons(world)} == {
        (OWNER, Reason.BASELINE_MISSING.value), (OWNER, Reason.RACI_NO_ACCOUNTABLE.value),
    }  # fmt: skip
    again = world.tick(MONDAY + timedelta(days=1))
    assert (again.plan.recorded, again.delivery.sent) == (0, 0)
    [dm] = world.sent()  # one DM about the pilot, naming both
    assert key in str(dm.args["text"])
    assert "Accountable" in json.dumps(dm.json("blocks"))


def test_a_nudge_due_on_saturday_waits_for_monday_nine_in_berlin(world: World) -> None:
    friday_evening = datetime(2026, 11, 6, 16, 30, tzinfo=UTC)  # 17:30 in Berlin
    world.register(friday_evening)
    saturday = world.tick(friday_evening + timedelta(days=1))
    assert (saturday.plan.recorded, saturday.delivery.postponed, saturday.delivery.sent) == (
        2, 2, 0,
    )  # fmt: skip
    assert world.tick(datetime(2026, 11, 9, 7, 59, tzinfo=UTC)).delivery.sent == 0
    assert world.tick(datetime(2026, 11, 9, 8, 0, tzinfo=UTC)).delivery.sent == 2


def test_readings_fall_due_by_cadence_and_two_misses_reach_the_sponsor(world: World) -> None:
    key = world.register(MONDAY, sponsor=f"<@{SPONSOR}>")
    world.reading(key, "14", MONDAY, kind="baseline")
    world.reading(key, "13", MONDAY)
    world.tick(MONDAY + timedelta(days=7, seconds=-1))
    assert Reason.READING_DUE.value not in {reason for _, reason, _ in reasons(world)}
    world.tick(MONDAY + timedelta(days=7))
    assert (OWNER, Reason.READING_DUE.value, "sent") in reasons(world)
    assert not [r for r in reasons(world) if r[0] == SPONSOR]
    # The second reading falls due at two weeks and is missed a day later: only then does the
    # sponsor hear of it, in New York hours; never in the tick of the owner's second reminder.
    two_weeks = MONDAY + timedelta(days=14)
    world.tick(two_weeks)
    assert not [r for r in reasons(world) if r[0] == SPONSOR]
    world.tick(two_weeks + timedelta(days=1))
    assert (SPONSOR, Reason.READINGS_MISSED.value, "pending") in reasons(world)
    world.tick(datetime(2026, 11, 17, 14, 0, tzinfo=UTC))  # 09:00 in New York
    assert (SPONSOR, Reason.READINGS_MISSED.value, "sent") in reasons(world)
    [escalation] = world.sent_to(SPONSOR)
    assert key in escalation


def test_a_reading_cancels_a_nudge_still_waiting_for_working_hours(world: World) -> None:
    friday = datetime(2026, 11, 6, 17, 30, tzinfo=UTC)  # 18:30 in Berlin: after hours
    key = world.register(friday - timedelta(days=7))
    world.reading(key, "14", friday - timedelta(days=7), kind="baseline")
    world.reading(key, "13", friday - timedelta(days=7))
    world.tick(friday)
    assert (OWNER, Reason.READING_DUE.value, "pending") in reasons(world)
    world.reading(key, "12", friday + timedelta(days=1))
    world.tick(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))
    assert (OWNER, Reason.READING_DUE.value, "cancelled") in reasons(world)
    assert (OWNER, Reason.READING_DUE.value, "sent") not in reasons(world)
    assert not [text for text in world.sent_to(OWNER) if "reading" in text.lower()]


def test_decide_by_seven_days_before_on_the_day_and_overdue(world: World) -> None:
    key = world.register(MONDAY, sponsor=f"<@{SPONSOR}>", **{"decide-by": "2026-11-20"})
    world.reading(key, "14", MONDAY, kind="baseline")
    for day in range(0, 22):
        world.reading(key, "13", MONDAY + timedelta(days=day))  # stay current
        world.tick(MONDAY + timedelta(days=day, hours=4))  # 15:00 Berlin, 09:00 New York
    sent = [(r, reason) for r, reason, status in reasons(world) if status == "sent"]
    assert (OWNER, Reason.DECIDE_BY_IN_7_DAYS.value) in sent
    assert (OWNER, Reason.DECIDE_BY_TODAY.value) in sent
    overdue = [n for n in world.outbox() if n.reason == Reason.DECISION_OVERDUE.value]
    assert [n.recipient for n in overdue] == [SPONSOR]
    week_before = next(n for n in world.outbox() if n.reason == Reason.DECIDE_BY_IN_7_DAYS.value)
    assert week_before.sent_at is not None
    assert week_before.sent_at.date().isoformat() == "2026-11-13"


def test_a_final_decision_silences_the_pilot(world: World) -> None:
    key = world.register(MONDAY)
    world.decide(key, "no-go", MONDAY + timedelta(hours=1))
    world.tick(MONDAY + timedelta(days=30))
    assert world.outbox() == []


def test_snooze_holds_nudges_for_a_week(world: World) -> None:
    key = world.register(MONDAY)
    world.tick(MONDAY + timedelta(days=1, hours=-2))
    with UnitOfWork(world.sessions, actor=OWNER) as uow:
        snooze(uow, Actor(TEAM, OWNER), typed.key(key), 7, MONDAY + timedelta(hours=1))
    world.tick(MONDAY + timedelta(days=1))
    assert world.sent() == []
    assert {(n.reason, n.status) for n in world.outbox()} == {
        (Reason.BASELINE_MISSING.value, "pending"), (Reason.RACI_NO_ACCOUNTABLE.value, "pending"),
    }  # fmt: skip
    # A week on, the snooze is over: the nudges of that day go out (a reading is due by now
    # too); the ones held since day one were overtaken by them and are not sent as well.
    world.tick(MONDAY + timedelta(days=8, hours=1))
    sent = sorted(n.reason for n in world.outbox() if n.status == "sent")
    assert sent == sorted(
        [Reason.BASELINE_MISSING.value, Reason.RACI_NO_ACCOUNTABLE.value, Reason.READING_DUE.value]
    )
    assert len(world.sent_to(OWNER)) == 1  # one DM about the pilot, naming all three


def test_the_digest_arrives_at_its_hour_in_the_subscribers_zone(world: World) -> None:
    world.register(MONDAY)
    with UnitOfWork(world.sessions, actor=OWNER) as uow:
        digest = typed.digest("<#C0SPONSORS>", ["weekly", "mon", "09:00"])
        subscribe_digest(uow, Actor(TEAM, OWNER), digest.channel_id, digest.schedule,
                         "Asia/Kolkata", MONDAY)  # fmt: skip
    next_monday_0900_kolkata = datetime(2026, 11, 9, 3, 30, tzinfo=UTC)
    world.tick(next_monday_0900_kolkata - timedelta(seconds=1))
    assert world.sent_to("C0SPONSORS") == []
    world.tick(next_monday_0900_kolkata)
    world.tick(next_monday_0900_kolkata + timedelta(hours=1))
    # Once, and its chart in its thread.
    assert [
        c.args.get("thread_ts") is None
        for c in world.sent()
        if c.args.get("channel") == "C0SPONSORS"
    ] == [True, False]


def test_a_tick_forgets_event_ids_older_than_a_day(world: World) -> None:
    from storage import people
    from storage.models import ProcessedEvent

    real_now = datetime.now(UTC)
    with UnitOfWork(world.sessions) as uow:
        people.first_delivery(uow.session, "EvOLD", TEAM, real_now - timedelta(days=2))
        people.first_delivery(uow.session, "EvNEW", TEAM, real_now - timedelta(hours=1))
        uow.commit()
    world.tick(MONDAY)
    with world.sessions() as session:
        assert {e.event_id for e in session.query(ProcessedEvent)} == {"EvNEW"}
