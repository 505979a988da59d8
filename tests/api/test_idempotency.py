"""`Idempotency-Key`: a retried POST records once and gets the first answer again."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import update

from storage.models import IdempotentRequest
from tests.api.conftest import Workspace


def test_the_same_key_and_body_records_once_and_answers_the_same(workspace: Workspace) -> None:
    key = workspace.pilot()
    body, headers = {"value": 12, "note": "nightly job"}, {"Idempotency-Key": "run-2026-12-01"}
    first = workspace.post(f"/pilots/{key}/readings", body, headers=headers)
    # Something changes the verdict in between: the retry still gets the first answer.
    workspace.run(f"set {key} metric:accuracy")
    assert workspace.get(f"/pilots/{key}").json()["gaps"] != first.json()["gaps"]
    again = workspace.post(f"/pilots/{key}/readings", body, headers=headers)
    assert (first.status, again.status) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(workspace.readings(key)) == 1


def test_the_same_key_with_another_body_is_422(workspace: Workspace) -> None:
    key = workspace.pilot()
    headers = {"Idempotency-Key": "run-7"}
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers).status == 201
    other = workspace.post(f"/pilots/{key}/readings", {"value": 13}, headers=headers)
    assert other.status == 422
    assert "Idempotency-Key was used" in other.detail
    elsewhere = workspace.post(f"/pilots/{key}/evals", {"score": 99, "size": 150}, headers=headers)
    assert elsewhere.status == 422
    assert [r.value for r in workspace.readings(key)] == [12]


def test_keys_are_per_token_and_other_keys_record_anew(workspace: Workspace) -> None:
    key = workspace.pilot()
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers={
        "Idempotency-Key": "a"}).status == 201  # fmt: skip
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers={
        "Idempotency-Key": "b"}).status == 201  # fmt: skip
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}).status == 201
    assert len(workspace.readings(key)) == 3


def test_a_key_is_forgotten_after_24_hours(workspace: Workspace) -> None:
    key = workspace.pilot()
    headers = {"Idempotency-Key": "daily"}
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers).status == 201
    with workspace.server.sessions() as session:
        session.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.token_id == workspace.token_id)
            .values(created_at=datetime.now(UTC) - timedelta(hours=24, minutes=1))
        )
        session.commit()
    again = workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers)
    assert again.status == 201
    assert "idempotent-replayed" not in again.headers
    assert len(workspace.readings(key)) == 2


def test_a_refused_request_does_not_use_up_its_key(workspace: Workspace) -> None:
    key = workspace.pilot()
    headers = {"Idempotency-Key": "fix-and-retry"}
    assert workspace.post(f"/pilots/{key}/readings", {"value": 1e999}, headers=headers).status == (
        422
    )
    assert workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers).status == 201


def test_a_malformed_key_is_400(workspace: Workspace) -> None:
    key = workspace.pilot()
    answer = workspace.post(
        f"/pilots/{key}/readings", {"value": 12}, headers={"Idempotency-Key": "x" * 256}
    )
    assert answer.status == 400
    assert "Idempotency-Key" in answer.detail
    assert workspace.readings(key) == []


def test_retries_racing_with_one_key_record_once(workspace: Workspace) -> None:
    key = workspace.pilot()
    headers = {"Idempotency-Key": "storm"}

    def post(_: int) -> tuple[int, object]:
        answer = workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers)
        return answer.status, answer.json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(8)))
    assert {status for status, _ in answers} == {201}
    assert len({str(body) for _, body in answers}) == 1
    assert len(workspace.readings(key)) == 1


def test_a_change_whose_answer_was_lost_answers_with_the_verdict_now(
    workspace: Workspace,
) -> None:
    key = workspace.pilot()
    headers = {"Idempotency-Key": "lost-answer"}
    first = workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers)
    # As if the process had stopped after committing the change, before keeping its answer.
    with workspace.server.sessions() as session:
        session.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.token_id == workspace.token_id)
            .values(status=None, response=None)
        )
        session.commit()
    again = workspace.post(f"/pilots/{key}/readings", {"value": 12}, headers=headers)
    assert again.status == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(workspace.readings(key)) == 1
