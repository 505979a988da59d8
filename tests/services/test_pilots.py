"""The use cases Slack and the CLI share, on SQLite and PostgreSQL: who may change what,
what bad input is told, and that a refused or malformed request changes nothing."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from bot.errors import InvalidInput
from bot.errors import NotAllowed
from bot.errors import NotFound
from bot.governance.people import plain_people
from bot.governance.vocabulary import Stage
from bot.governance.vocabulary import Verdict
from bot.services import pilots
from tests import typed
from tests.services.conftest import ADMIN
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import OTHER_TEAM
from tests.services.conftest import SPONSOR
from tests.services.conftest import STRANGER
from tests.services.conftest import Portfolio


def test_registering_names_the_key_and_makes_the_caller_owner(portfolio: Portfolio) -> None:
    assert portfolio.register() == "P-1"
    assert portfolio.register(name="Legal intake") == "P-2"
    report = portfolio.read("P-2")
    assert report.facts.owner == ANN.user_id
    assert report.stage is Stage.PROPOSED
    assert report.assessment.verdict is Verdict.NOT_READY


def test_registration_can_carry_fields_and_rejects_a_bad_one_whole(portfolio: Portfolio) -> None:
    key = portfolio.register(metric="handle time", threshold="9.8", better="lower")
    assert portfolio.read(key).facts.threshold == 9.8
    with pytest.raises(InvalidInput, match="threshold"):
        portfolio.register(name="Broken", metric="x", threshold="nine")
    with portfolio.uow(ANN) as uow:
        assert [r.key for r in pilots.list_reports(uow, ANN, NOW)] == ["P-1"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "\u200b\u200d\u2060", "\u2028", "a\x00b"])
def test_a_bad_name_registers_nothing(portfolio: Portfolio, name: str) -> None:
    with pytest.raises(InvalidInput):
        portfolio.register(name=name)
    assert portfolio.audit_count() == 0


@pytest.mark.parametrize("actor", [ANN, SPONSOR, ADMIN], ids=["owner", "sponsor", "admin"])
def test_owner_sponsor_and_admins_may_change_a_pilot(portfolio: Portfolio, actor) -> None:  # type: ignore[no-untyped-def]
    key = portfolio.register(sponsor="<@U0SPO|sam>")
    report = portfolio.set(actor, key, workflow="Zendesk")
    assert report.facts.workflow == "Zendesk"


def test_an_accountable_role_may_change_a_pilot(portfolio: Portfolio) -> None:
    key = portfolio.register()
    portfolio.run(ANN, f"raci {key} changes A <@U0XYZ>")
    assert portfolio.set(STRANGER, key, workflow="CRM").facts.workflow == "CRM"


def test_anyone_else_is_refused_with_who_may_and_nothing_changes(portfolio: Portfolio) -> None:
    key = portfolio.register(sponsor="<@U0SPO>")
    before = portfolio.audit_count()
    with pytest.raises(NotAllowed) as refused:
        portfolio.set(STRANGER, key, workflow="CRM")
    assert plain_people(str(refused.value)) == (
        "You can't change P-1: only its owner @U0ANN, its sponsor @U0SPO, "
        "its Accountable people, a workspace admin can."
    )
    portfolio.assert_refused(
        STRANGER, f"update {key} 9", f"decide {key} go looks fine", f"raci {key} changes A <@U1>"
    )
    assert portfolio.audit_count() == before
    assert portfolio.read(key).facts.workflow is None


def test_one_bad_field_among_good_ones_changes_nothing(portfolio: Portfolio) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput, match="decide-by"):
        portfolio.set(ANN, key, workflow="Zendesk", **{"decide-by": "2026-02-30"})
    assert portfolio.read(key).facts.workflow is None


def test_another_workspaces_pilot_reads_exactly_like_a_missing_one(portfolio: Portfolio) -> None:
    portfolio.register()
    with pytest.raises(NotFound) as foreign:
        portfolio.set(OTHER_TEAM, "P-1", workflow="x")
    with pytest.raises(NotFound) as missing:
        portfolio.set(ANN, "P-9", workflow="x")
    assert str(foreign.value) == "No pilot P-1 in this workspace."
    assert str(missing.value).replace("P-9", "P-1") == str(foreign.value)
    with pytest.raises(NotFound):
        portfolio.read("P-1", actor=OTHER_TEAM)


@pytest.mark.parametrize("key", ["1", "P1", "PILOT-1", "P-", "'; DROP TABLE pilots; --", "P-🚀"])
def test_a_malformed_key_is_named_with_the_right_form(portfolio: Portfolio, key: str) -> None:
    portfolio.register()
    with pytest.raises(InvalidInput, match="keys look like `P-12`"):
        portfolio.run(ANN, f'set "{key}" workflow:x')


def test_baseline_then_readings_move_the_pilot_into_piloting(portfolio: Portfolio) -> None:
    key = portfolio.register(metric="handle time", unit="min", better="lower", threshold="9.8")
    report = portfolio.run(ANN, f"baseline {key} 14 measured over 4 weeks")
    assert report.stage is Stage.PILOTING
    assert report.facts.baseline is not None
    assert report.facts.baseline.note == "measured over 4 weeks"
    report = portfolio.run(ANN, f"update {key} 9", NOW + timedelta(days=7))
    assert report.facts.latest_reading is not None
    assert report.facts.latest_reading.value == 9
    assert report.assessment.change_percent == pytest.approx(-35.71, abs=0.01)


@pytest.mark.parametrize("value", ["nine", "", "9 min", "NaN", "1e400"])
def test_a_reading_that_is_not_a_number_is_refused_with_the_form(
    portfolio: Portfolio, value: str
) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput) as refused:
        portfolio.run(ANN, f'update {key} "{value}"')
    assert "`/pilot update P-1 <number> [note]`" in str(refused.value)
    assert portfolio.read(key).facts.latest_reading is None


def test_raci_assignment_replaces_the_holders_of_that_role(portfolio: Portfolio) -> None:
    key = portfolio.register()
    portfolio.run(ANN, f"raci {key} incidents R <@U1> <@U2|bo> <@U1>")
    report = portfolio.run(ANN, f"raci {key} Incidents r <@U3>")
    from bot.governance.vocabulary import RaciArea
    from bot.governance.vocabulary import RaciRole

    assert report.facts.raci[RaciArea.INCIDENTS][RaciRole.RESPONSIBLE] == ("U3",)


@pytest.mark.parametrize(
    ("area", "role", "users", "says"),
    [
        ("security", "A", ["<@U1>"], "not a RACI area"),
        ("incidents", "X", ["<@U1>"], "not a RACI role"),
        ("incidents", "A", [], "the role and the people"),
        ("incidents", "A", ["<@U1>", "<@U2>"], "exactly one Accountable"),
        ("incidents", "R", ["@ann"], "`@ann` is not a person; type @ and pick them"),
    ],
)
def test_bad_raci_input_is_named(
    portfolio: Portfolio, area: str, role: str, users: list[str], says: str
) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput, match=says):
        portfolio.run(ANN, " ".join(["raci", key, area, role, *users]))


def test_decisions_set_the_stage_and_keep_the_record(portfolio: Portfolio) -> None:
    key = portfolio.register(sponsor="<@U0SPO>")
    report = portfolio.run(SPONSOR, f"decide {key} extend until:2026-12-01 two more weeks of data")
    assert report.stage is Stage.EXTENDED
    assert report.facts.decide_by == date(2026, 12, 1)
    report = portfolio.run(SPONSOR, f"decide {key} No-Go misses the bar")
    assert report.stage is Stage.STOPPED
    assert report.facts.latest_decision is not None
    assert report.facts.latest_decision.rationale == "misses the bar"


@pytest.mark.parametrize(
    ("word", "why", "says"), [("maybe", "x", "not a decision"), ("go", "  ", "needs its reason")]
)
def test_a_bad_decision_is_refused(portfolio: Portfolio, word: str, why: str, says: str) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput, match=says):
        portfolio.run(ANN, f'decide {key} {word} "{why}"')
    assert portfolio.read(key).stage is Stage.PROPOSED


def test_a_decide_by_in_the_past_is_accepted_with_a_warning(portfolio: Portfolio) -> None:
    key = portfolio.register()
    report = portfolio.set(ANN, key, **{"decide-by": "2026-11-01"})
    assert report.facts.decide_by == date(2026, 11, 1)
    assert report.warnings
    assert "2026-11-01 has already passed" in report.warnings[0]
    assert report.assessment.verdict is Verdict.NO_GO
    assert not portfolio.set(ANN, key, **{"decide-by": "2026-12-01"}).warnings


def test_setting_nothing_is_refused(portfolio: Portfolio) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput, match="Say what to set"):
        portfolio.set(ANN, key)


def test_the_verdict_is_read_on_the_owners_clock_for_every_viewer(portfolio: Portfolio) -> None:
    from datetime import UTC
    from datetime import datetime

    from storage import people

    with portfolio.uow(ANN) as uow:
        people.remember_person(uow.session, "T1", ANN.user_id, "Asia/Tokyo", False, NOW)
        uow.commit()
    key = portfolio.register(**{"decide-by": "2026-03-10", "threshold": "9.8"})
    # 16:00 UTC on the 10th is already the 11th in Tokyo: the date has passed for the owner.
    late_on_the_tenth = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    for viewer in (ANN, SPONSOR, STRANGER):
        verdict = portfolio.read(key, viewer, late_on_the_tenth).assessment.verdict
        assert verdict is Verdict.NO_GO


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_far_decide_by_date_is_refused(portfolio: Portfolio, day: str) -> None:
    key = portfolio.register()
    with pytest.raises(InvalidInput, match="must fall between 2000 and 2100"):
        portfolio.set(ANN, key, **{"decide-by": day})


def test_the_passed_decide_by_warning_is_read_on_the_owners_clock(portfolio: Portfolio) -> None:
    from datetime import UTC
    from datetime import datetime

    from storage import people

    with portfolio.uow(ANN) as uow:
        people.remember_person(uow.session, "T1", ANN.user_id, "Asia/Tokyo", False, NOW)
        uow.commit()
    key = portfolio.register()
    # 16:00 UTC on 16 November is already the 17th in Tokyo: the 16th has passed there.
    tokyo_tomorrow = datetime(2026, 11, 16, 16, 0, tzinfo=UTC)
    report = portfolio.set(ANN, key, tokyo_tomorrow, **{"decide-by": "2026-11-16"})
    assert report.warnings
    assert "2026-11-16 has already passed" in report.warnings[0]
    with portfolio.uow(ANN) as uow:
        second = typed.register("Second", {"decide-by": "2026-11-16"})
        assert pilots.handle(uow, ANN, second, tokyo_tomorrow).warnings
