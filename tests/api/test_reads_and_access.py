"""Reading pilots, and who may: tokens, revocation, two workspaces kept apart, the rate limit."""

from __future__ import annotations

import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from tests.api.conftest import LOOPBACK
from tests.api.conftest import Workspace
from tests.api.conftest import call
from tests.listeners.conftest import Server


def test_the_list_is_the_export_records_of_the_tokens_workspace(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    first, second = workspace.pilot("Drafting"), workspace.pilot("Triage")
    other_workspace.pilot("Elsewhere")
    answer = workspace.get("/pilots")
    assert answer.status == 200
    records = answer.json()
    assert [(r["key"], r["name"], r["team_id"]) for r in records] == [
        (first, "Drafting", workspace.team),
        (second, "Triage", workspace.team),
    ]
    assert {"verdict", "gaps", "metric", "raci", "decisions", "currency"} <= set(records[0])


def test_the_list_as_of_an_instant_leaves_out_what_came_later(workspace: Workspace) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    workspace.pilot()
    stamp = before.isoformat().replace("+00:00", "Z")
    assert workspace.get(f"/pilots?at={stamp}").json() == []
    assert len(workspace.get("/pilots").json()) == 1
    malformed = workspace.get("/pilots?at=last-week")
    assert malformed.status == 400
    assert "ISO-8601" in malformed.detail


def test_one_pilot_reads_like_its_export_record(workspace: Workspace) -> None:
    key = workspace.pilot()
    workspace.run(f"baseline {key} 14")
    record = workspace.get(f"/pilots/{key.lower()}").json()
    assert (record["key"], record["metric"]["baseline"], record["owner"]) == (key, 14, "U0ANN")


def test_a_token_sees_and_changes_its_own_workspace_only(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    theirs = other_workspace.pilot("Theirs")
    missing = workspace.get(f"/pilots/{theirs}")
    # Another workspace's P-1 reads exactly like a pilot that does not exist.
    assert missing.status == 404
    absent = workspace.get("/pilots/P-999")
    assert (absent.status, absent.detail) == (404, "No pilot P-999 in this workspace.")
    assert missing.detail == f"No pilot {theirs} in this workspace."
    assert workspace.post(f"/pilots/{theirs}/readings", {"value": 9}).status == 404
    assert workspace.post(f"/pilots/{theirs}/evals", {"score": 99, "size": 150}).status == 404
    assert other_workspace.readings(theirs) == []
    assert other_workspace.get(f"/pilots/{theirs}").json()["metric"]["latest"] is None


@pytest.mark.parametrize(
    ("authorization", "says"),
    [
        (None, "Send a workspace API token"),
        ("", "Send a workspace API token"),
        ("Basic dXNlcjpwdw==", "must be `Bearer <token>`"),
        ("Bearer", "must be `Bearer <token>`"),
        ("Bearer not-a-token", "unknown or revoked"),
        ("Bearer pgt_" + "A" * 43, "unknown or revoked"),
    ],
)
def test_without_a_live_token_everything_is_401(
    workspace: Workspace, authorization: str | None, says: str
) -> None:
    key = workspace.pilot()
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path, body in (
        ("GET", "/pilots", None),
        ("GET", f"/pilots/{key}", None),
        ("POST", f"/pilots/{key}/readings", {"value": 9}),
        ("POST", f"/pilots/{key}/evals", {"score": 99, "size": 150}),
        ("GET", "/nowhere", None),
    ):
        answer = workspace.call(method, path, body, headers=headers)
        assert answer.status == 401, (method, path)
        assert says in answer.detail
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert workspace.readings(key) == []


def test_a_revoked_token_is_refused_at_once_and_others_keep_working(
    workspace: Workspace,
) -> None:
    key = workspace.pilot()
    second, second_id = workspace.issue("dashboard")
    assert workspace.get("/pilots").status == 200
    workspace.revoke(workspace.token_id)
    refused = workspace.post(f"/pilots/{key}/readings", {"value": 9})
    assert refused.status == 401
    assert "unknown or revoked" in refused.detail
    assert workspace.readings(key) == []
    still = call(
        workspace.server.url, "POST", f"/pilots/{key}/readings", {"value": 9}, token=second
    )
    assert still.status == 201
    assert workspace.audit_actors()[-1] == f"token:{second_id}"


def test_more_than_ten_requests_in_a_second_are_429_with_retry_after(
    workspace: Workspace,
) -> None:
    key = workspace.pilot()
    # Paced so the first ten surely fall within one second of each other, however slow.
    started = time.monotonic()
    answers = [workspace.post(f"/pilots/{key}/readings", {"value": n}) for n in range(12)]
    elapsed = time.monotonic() - started
    assert elapsed < 1, "the requests took too long to test the limit"
    assert [a.status for a in answers] == [201] * 10 + [429] * 2
    assert "More than 10 requests" in answers[10].detail
    assert int(answers[10].headers["retry-after"]) >= 1
    assert len(workspace.readings(key)) == 10
    # Another token of the same workspace has a limit of its own.
    other, _ = workspace.issue("second system")
    assert call(workspace.server.url, "GET", "/pilots", token=other).status == 200
    time.sleep(int(answers[10].headers["retry-after"]))
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}).status == 201


def test_an_address_that_keeps_failing_to_authenticate_is_held_off_with_429(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    if workspace.address == LOOPBACK:
        pytest.skip("needs a loopback address besides 127.0.0.1 to keep other tests' failures out")
    key = workspace.pilot()
    guessed = {"Authorization": "Bearer pgt_" + "A" * 43}
    started = time.monotonic()
    answers = [workspace.call("GET", "/pilots", headers=guessed) for _ in range(11)]
    assert time.monotonic() - started < 1, "the requests took too long to test the limit"
    assert [a.status for a in answers] == [401] * 10 + [429]
    assert "without a live token from this address" in answers[10].detail
    wait = int(answers[10].headers["retry-after"])
    assert wait >= 1
    # Held off whatever it presents, for that second: nothing it sends is looked at.
    assert workspace.post(f"/pilots/{key}/readings", {"value": 9}).status == 429
    assert workspace.readings(key) == []
    # Another address is not: its bad token is a 401, its live one goes through.
    assert other_workspace.call("GET", "/pilots", headers=guessed).status == 401
    assert other_workspace.get("/pilots").status == 200
    time.sleep(wait)
    assert workspace.post(f"/pilots/{key}/readings", {"value": 9}).status == 201


def test_openapi_json_needs_no_token(server: Server) -> None:
    answer = call(server.url, "GET", "/openapi.json")
    assert answer.status == 200
    assert answer.json()["openapi"].startswith("3.1")


def test_an_unknown_path_is_404(workspace: Workspace) -> None:
    answer = workspace.get("/pilotz")
    assert answer.status == 404
    assert "openapi.json" in answer.detail
