"""The API's changes: one typed command run through `pilots.handle`, once, even when a client
retries it with the same Idempotency-Key.

The key is claimed in the transaction of the change itself (a unique row per token and key),
so a change and its claim are committed together or not at all, and of two requests racing
with one key only one records anything; the other answers as the first did.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.api.http import Response
from bot.api.http import json_response
from bot.api.problems import unprocessable
from bot.api.schemas import VerdictOut
from bot.services import pilots
from bot.services.commands import RecordEval
from bot.services.commands import RecordMeasurement
from bot.services.tokens import TokenHolder
from storage import tokens as token_store
from storage.models import IdempotentRequest
from storage.unit_of_work import UnitOfWork

REMEMBERED_FOR = timedelta(hours=24)
REPLAYED = ("Idempotent-Replayed", "true")
Change = RecordMeasurement | RecordEval


@dataclass(frozen=True)
class Retry:
    """A request's Idempotency-Key, and a digest of the request it names."""

    key: str
    fingerprint: str

    @classmethod
    def of(cls, key: str, method: str, path: str, body: bytes) -> Retry:
        digest = hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()
        return cls(key, digest)


def verdict(report: pilots.PilotReport) -> dict[str, Any]:
    return VerdictOut(
        key=report.key,
        verdict=report.assessment.verdict,
        stage=report.stage,
        gaps=list(report.assessment.gaps),
    ).model_dump(mode="json")


def perform(
    uow: UnitOfWork,
    holder: TokenHolder,
    change: Change,
    now: datetime,
    retry: Retry | None,
) -> Response:
    """201 with the pilot's verdict after the change, or the answer a request with the same
    Idempotency-Key got within the last 24 hours. `uow` is the request's, audited as the
    token's holder."""
    try:
        return _perform(uow, holder, change, now, retry)
    except IntegrityError:
        if retry is None:
            raise
        # Another request with this key committed first: answer as it did.
        uow.rollback()
        remembered = _remembered(uow, holder, retry, now)
        if remembered is None:
            raise
        return _replay(uow, holder, change, retry, remembered, now)


def _perform(
    uow: UnitOfWork,
    holder: TokenHolder,
    change: Change,
    now: datetime,
    retry: Retry | None,
) -> Response:
    claim = None
    if retry is not None:
        remembered = _remembered(uow, holder, retry, now)
        if remembered is not None:
            return _replay(uow, holder, change, retry, remembered, now)
        claim = IdempotentRequest(
            token_id=holder.token_id,
            idempotency_key=retry.key,
            request_hash=retry.fingerprint,
            created_at=now,
        )
        uow.session.add(claim)
        uow.session.flush()
    # Commits the change, and the claim with it.
    answer = verdict(pilots.handle(uow, holder.actor, change, now))
    if claim is not None:
        token_store.remember_answer(uow.session, claim.id, HTTPStatus.CREATED.value, answer)
        uow.commit()
    return json_response(HTTPStatus.CREATED, answer)


def _remembered(
    uow: UnitOfWork, holder: TokenHolder, retry: Retry, now: datetime
) -> IdempotentRequest | None:
    """The request this token sent with the same key within the last 24 hours, if any."""
    return token_store.remembered_request(
        uow.session, holder.token_id, retry.key, now - REMEMBERED_FOR
    )


def _replay(
    uow: UnitOfWork,
    holder: TokenHolder,
    change: Change,
    retry: Retry,
    remembered: IdempotentRequest,
    now: datetime,
) -> Response:
    if remembered.request_hash != retry.fingerprint:
        raise unprocessable(
            "This Idempotency-Key was used in the last 24 hours for another request; "
            "send a new key with a new request."
        )
    if remembered.status is not None and remembered.response is not None:
        return json_response(HTTPStatus(remembered.status), remembered.response, REPLAYED)
    # The change is recorded but its answer is not kept yet (it is being written now, or the
    # process stopped in between): answer with the verdict as it stands, read no earlier than
    # the change itself (this request may have read the clock before the first one did).
    as_of = max(now, remembered.created_at)
    report = pilots.pilot_report(uow, holder.actor, change.key, as_of)
    return json_response(HTTPStatus.CREATED, verdict(report), REPLAYED)
