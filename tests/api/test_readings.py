"""Posting readings and evaluation runs: 201 with the verdict, refusals that change nothing."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from tests.api.conftest import Workspace


def test_a_reading_that_clears_the_threshold_makes_a_ready_pilot_go(workspace: Workspace) -> None:
    key = workspace.pilot(ready=True)
    before = workspace.get(f"/pilots/{key}").json()
    assert before["verdict"] == "not_ready"

    answer = workspace.post(f"/pilots/{key}/readings", {"value": 9.1, "note": "week one"})

    assert answer.status == 201
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"key": key, "verdict": "go", "stage": "piloting", "gaps": []}
    after = workspace.get(f"/pilots/{key}").json()
    assert (after["verdict"], after["metric"]["latest"]) == ("go", 9.1)
    [reading] = workspace.readings(key)
    assert (reading.value, reading.note) == (9.1, "week one")


def test_a_reading_names_what_is_still_missing(workspace: Workspace) -> None:
    key = workspace.pilot()
    answer = workspace.post(f"/pilots/{key}/readings", {"value": 12})
    assert answer.status == 201
    body = answer.json()
    assert body["verdict"] == "not_ready"
    assert any("sponsor" in gap.lower() for gap in body["gaps"])


def test_changes_by_a_token_are_audited_as_the_token(workspace: Workspace) -> None:
    key = workspace.pilot()
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}).status == 201
    assert workspace.post(f"/pilots/{key}/evals", {"score": 97, "size": 120}).status == 201
    assert workspace.audit_actors()[-3:] == [f"token:{workspace.token_id}"] * 3
    [reading] = workspace.readings(key)
    assert reading.recorded_by == f"token:{workspace.token_id}"


def test_a_reading_keeps_the_instant_it_was_measured(workspace: Workspace) -> None:
    key = workspace.pilot()
    measured = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    at = measured.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12, "at": at}).status == 201
    [reading] = workspace.readings(key)
    assert reading.recorded_at == measured


def test_an_instant_without_an_offset_is_utc(workspace: Workspace) -> None:
    key = workspace.pilot()
    measured = datetime.now(UTC).replace(microsecond=0, tzinfo=None) - timedelta(hours=3)
    body = {"value": 12, "at": measured.isoformat()}
    assert workspace.post(f"/pilots/{key}/readings", body).status == 201
    [reading] = workspace.readings(key)
    assert reading.recorded_at == measured.replace(tzinfo=UTC)


def test_an_evaluation_run_sets_what_the_eval_check_reads(workspace: Workspace) -> None:
    key = workspace.pilot()
    workspace.run(f"set {key} eval-bar:95")
    low = workspace.post(f"/pilots/{key}/evals", {"score": 80, "size": 150})
    assert low.status == 201
    assert any(gap.startswith("Eval score 80% is below") for gap in low.json()["gaps"])
    high = workspace.post(f"/pilots/{key}/evals", {"score": 96.5, "size": 150})
    assert high.status == 201
    assert not any(gap.startswith("Eval") for gap in high.json()["gaps"])


def test_an_evaluation_run_keeps_the_instant_it_ran(workspace: Workspace) -> None:
    key = workspace.pilot()
    workspace.run(f"set {key} eval-bar:95")
    ran = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    at = ran.isoformat().replace("+00:00", "Z")
    assert workspace.post(f"/pilots/{key}/evals", {"score": 96, "size": 150}).status == 201

    late = workspace.post(f"/pilots/{key}/evals", {"score": 80, "size": 150, "at": at})

    assert late.status == 201
    # The run reported late is the older one: the eval check still reads the newer 96%.
    assert not any(gap.startswith("Eval") for gap in late.json()["gaps"])
    runs = workspace.get(f"/pilots/{key}").json()["evals"]
    assert [(run["score"], run["at"]) for run in runs][:1] == [(80, at)]
    assert [run["score"] for run in runs] == [80, 96]


@pytest.mark.parametrize(
    ("path", "body", "says"),
    [
        ("readings", {"value": 1e999}, "`value`: Input should be a finite number"),
        ("readings", {}, "`value` is missing"),
        ("readings", {"value": "9.5"}, "`value`: Input should be a valid number"),
        ("readings", {"value": True}, "`value`: Input should be a valid number"),
        ("readings", {"value": 1e16}, "`value`: Input should be less than"),
        ("readings", {"value": 9, "nte": "typo"}, "`nte` is not a field here"),
        ("readings", {"value": 9, "note": ""}, "`note`"),
        ("readings", {"value": 9, "note": "a\u0000b"}, "`note` has a control character"),
        ("readings", {"value": 9, "note": "x" * 2001}, "`note`"),
        ("readings", {"value": 9, "at": "yesterday"}, "`at`"),
        ("readings", {"value": 9, "at": "1999-12-31T00:00:00Z"}, "`at` is before 2000"),
        ("readings", {"value": 9, "metric": "errors"}, "has no guardrail errors"),
        ("readings", [9], "The body must be a JSON object"),
        ("evals", {"score": 101, "size": 150}, "`score`: Input should be less than or equal"),
        ("evals", {"score": 95, "size": 0}, "`size`: Input should be greater than or equal"),
        ("evals", {"score": 95, "size": 150.5}, "`size`: Input should be a valid integer"),
        ("evals", {"score": 95}, "`size` is missing"),
    ],
)
def test_json_that_breaks_a_rule_is_422_and_changes_nothing(
    workspace: Workspace, path: str, body: object, says: str
) -> None:
    key = workspace.pilot()
    audited = len(workspace.audit_actors())
    answer = workspace.post(f"/pilots/{key}/{path}", body)
    assert answer.status == 422
    assert says in answer.detail
    assert len(workspace.audit_actors()) == audited


@pytest.mark.parametrize(
    ("path", "body"), [("readings", {"value": 9}), ("evals", {"score": 90, "size": 150})]
)
def test_a_date_in_the_future_is_422(
    workspace: Workspace, path: str, body: dict[str, object]
) -> None:
    key = workspace.pilot()
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    audited = len(workspace.audit_actors())
    answer = workspace.post(f"/pilots/{key}/{path}", {**body, "at": later})
    assert answer.status == 422
    assert "`at` is in the future" in answer.detail
    assert len(workspace.audit_actors()) == audited


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"value=9", "The body is not well-formed JSON"),
        (b'{"value": 9', "The body is not well-formed JSON"),
        (b"", "The body is empty"),
        (b'{"value": 9, "note": "\\ud800"}', "The body is not well-formed JSON"),
        (b"\xff\xfe", "The body is not well-formed JSON"),
    ],
)
def test_a_body_that_is_not_json_is_400(workspace: Workspace, raw: bytes, says: str) -> None:
    key = workspace.pilot()
    answer = workspace.post(f"/pilots/{key}/readings", raw=raw)
    assert answer.status == 400
    assert says in answer.detail
    assert workspace.readings(key) == []


def test_nan_is_a_non_finite_number(workspace: Workspace) -> None:
    key = workspace.pilot()
    answer = workspace.post(f"/pilots/{key}/readings", raw=b'{"value": NaN}')
    assert answer.status == 422
    assert "finite" in answer.detail


def test_a_body_over_64_kib_is_413_whether_it_declares_its_length_or_not(
    workspace: Workspace,
) -> None:
    key = workspace.pilot()
    big = b'{"value": 9, "note": "' + b"x" * (64 * 1024) + b'"}'
    declared = workspace.post(f"/pilots/{key}/readings", raw=big)
    assert declared.status == 413
    assert "64 KiB" in declared.detail
    chunks = (big[i : i + 8192] for i in range(0, len(big), 8192))
    chunked = workspace.post(f"/pilots/{key}/readings", raw=chunks)
    assert chunked.status == 413
    assert workspace.readings(key) == []


def test_a_missing_pilot_is_404(workspace: Workspace) -> None:
    for path in ("/pilots/P-404", "/pilots/P-404/readings", "/pilots/banana"):
        answer = workspace.post(path, {"value": 9}) if "readings" in path else workspace.get(path)
        assert answer.status == 404
        assert "in this workspace" in answer.detail


def test_a_wrong_method_is_405_with_allow(workspace: Workspace) -> None:
    key = workspace.pilot()
    answer = workspace.get(f"/pilots/{key}/readings")
    assert answer.status == 405
    assert answer.headers["allow"] == "POST"
    assert answer.detail
