"""The edge's rules at their exact boundaries: the five-minute window and the 1 MiB body.

End to end (tests/listeners/test_http_edge.py) a request cannot be placed at exactly 300
seconds or exactly 1 MiB reliably; here `admit` is called directly, with the instant given.
"""

from __future__ import annotations

import io
import urllib.parse
from http import HTTPStatus

import pytest

from bot.edge.admission import MAX_BODY
from bot.edge.admission import Refused
from bot.edge.admission import admit
from tests.slack_requests import SIGNING_SECRET
from tests.slack_requests import sign

NOW = 1_790_000_000
FORM = "application/x-www-form-urlencoded"


def command(text: str = "help", **extra: str) -> bytes:
    fields = {
        "command": "/pilot",
        "team_id": "T0EDGE",
        "user_id": "U0ANN",
        "text": text,
        "trigger_id": "trigger-1",
        "response_url": "https://hooks.slack.com/commands/1",
    }
    return urllib.parse.urlencode({**fields, **extra}).encode()


def headers(body: bytes, stamp: int = NOW, **extra: str) -> dict[str, str]:
    return {
        "content-type": FORM,
        "content-length": str(len(body)),
        "x-slack-request-timestamp": str(stamp),
        "x-slack-signature": sign(body, stamp),
        **extra,
    }


def refusal(heads: dict[str, str], body: io.BufferedIOBase | io.BytesIO) -> Refused:
    with pytest.raises(Refused) as refused:
        admit(heads, body, SIGNING_SECRET, NOW)
    return refused.value


class Unreadable(io.BytesIO):
    """A body that must not be read at all."""

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")


@pytest.mark.parametrize("offset", [-300, 300])
def test_a_request_signed_five_minutes_away_is_admitted(offset: int) -> None:
    body = command()
    admitted = admit(headers(body, NOW + offset), io.BytesIO(body), SIGNING_SECRET, NOW)
    assert admitted.payload["text"] == "help"


@pytest.mark.parametrize("offset", [-301, 301])
def test_a_request_signed_more_than_five_minutes_away_is_refused_unread(offset: int) -> None:
    body = command()
    refused = refusal(headers(body, NOW + offset), Unreadable(body))
    assert refused.status == HTTPStatus.UNAUTHORIZED
    assert "5 minutes" in refused.reason


def test_a_body_of_exactly_one_mebibyte_is_admitted() -> None:
    bare = command()
    body = command(filler="x" * (MAX_BODY - len(bare) - len("&filler=")))
    assert len(body) == MAX_BODY
    assert admit(headers(body), io.BytesIO(body), SIGNING_SECRET, NOW).payload["text"] == "help"


def test_a_larger_declared_body_is_refused_without_reading_it() -> None:
    body = command(filler="x" * MAX_BODY)
    refused = refusal(headers(body), Unreadable(body))
    assert refused.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_a_body_of_unknown_length_is_read_no_further_than_the_limit() -> None:
    body = command(filler="x" * (2 * MAX_BODY))
    stream = io.BytesIO(body)
    heads = headers(body)
    del heads["content-length"]
    assert refusal(heads, stream).status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert stream.tell() == MAX_BODY + 1


def test_the_signature_covers_the_exact_bytes() -> None:
    body = command("list")
    heads = headers(body)
    tampered = body.replace(b"list", b"lisT")
    heads["content-length"] = str(len(tampered))
    assert refusal(heads, io.BytesIO(tampered)).status == HTTPStatus.UNAUTHORIZED


def test_a_charset_other_than_utf8_is_refused() -> None:
    body = command()
    heads = headers(body, **{"content-type": f"{FORM}; charset=latin-1"})
    assert refusal(heads, io.BytesIO(body)).status == HTTPStatus.BAD_REQUEST
