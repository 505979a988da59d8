"""`POST /slack/events` under faults and abuse, against a real `pilotgate serve`.

What is not a signed, well-formed Slack request from a workspace is refused with a 4xx and one
plain line, changes nothing and leaves no traceback in the server's log; a body over 1 MiB is
refused without being held in memory; idle connections do not hold up Slack's requests; and
events nobody asked for are acknowledged.
"""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.parse
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bot.edge.admission import MAX_BODY
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import pilots_of
from tests.listeners.test_pilot_command import reply_text
from tests.slack_requests import Answer
from tests.slack_requests import Slack
from tests.slack_requests import command_form
from tests.slack_requests import post_raw
from tests.slack_requests import sign

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MiB = 1024 * 1024


@contextmanager
def quiet_log(server: Server) -> Iterator[None]:
    """The server writes no traceback and nothing at error level meanwhile."""
    start = len(server.log.read_bytes())
    yield
    written = server.log.read_bytes()[start:].decode(errors="replace")
    assert "Traceback" not in written, written
    assert " ERROR " not in written, written


def wait_for_log(server: Server, start: int, text: str) -> str:
    """What the server has logged since `start`, once it includes `text` (5 s at most)."""
    deadline = time.monotonic() + 5
    while True:
        written = server.log.read_bytes()[start:].decode(errors="replace")
        if text in written or time.monotonic() > deadline:
            return written
        time.sleep(0.02)


def assert_untouched(server: Server, fake: FakeSlack, team: str) -> None:
    """No pilot was registered, under the team or under no team, and Slack heard nothing."""
    assert pilots_of(server, team) == []
    assert pilots_of(server, "None") == []
    assert pilots_of(server, "") == []
    assert [call.describe() for call in fake.calls() if team in json.dumps(call.args)] == []


def rss_kib(server: Server) -> int:
    with open(f"/proc/{server.process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for the server")


def port_of(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def interaction(payload: Any) -> bytes:
    """A form whose payload field is `payload`: as it is if a string, else as JSON."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return urllib.parse.urlencode({"payload": text}).encode()


def button(team_id: str, /, **changes: Any) -> dict[str, Any]:
    """A button press; a change of `...` leaves that field out."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "example"},
        "user": {"id": OWNER, "team_id": team_id},
        "trigger_id": "trigger-1",
        "actions": [{"type": "button", "action_id": "pilot.open", "value": '{"key":"P-1"}'}],
    }
    return {key: value for key, value in {**payload, **changes}.items() if value is not ...}


def submission(team: str, **view_changes: Any) -> dict[str, Any]:
    view = {"id": "V1", "callback_id": "pilot.register", "private_metadata": "",
            "state": {"values": {"name": {"input": {"type": "plain_text_input",
                                                    "value": "Forged"}}}}}  # fmt: skip
    view = {key: value for key, value in {**view, **view_changes}.items() if value is not ...}
    return {"type": "view_submission", "team": {"id": team}, "user": {"id": OWNER},
            "view": view}  # fmt: skip


def envelope(team: str | None, event: Any, **changes: Any) -> bytes:
    body: dict[str, Any] = {"type": "event_callback", "event": event, "event_id": "Ev1EDGE"}
    if team is not None:
        body["team_id"] = team
    return json.dumps({**body, **changes}).encode()


def command(team: str | None, text: str | bytes = "new Forged", **fields: str) -> bytes:
    return command_form(text, team=team, user=OWNER, response_url="http://127.0.0.1:9/r", **fields)


# Each builds (body, content type) for a workspace: signed, and still not a Slack request.
Build = Callable[[str], tuple[bytes | str, str]]
SIGNED_BUT_MALFORMED: dict[str, Build] = {
    "payload is a string": lambda t: (interaction('"x"'), FORM),
    "payload is null": lambda t: (interaction("null"), FORM),
    "payload is an array": lambda t: (interaction("[1]"), FORM),
    "payload is half a JSON object": lambda t: (interaction("{"), FORM),
    "payload has no type": lambda t: (interaction({"team": {"id": t}}), FORM),
    "payload of an unknown type": lambda t: (interaction(button(t, type="nonsense")), FORM),
    "actions is a string": lambda t: (interaction(button(t, actions="x")), FORM),
    "actions is empty": lambda t: (interaction(button(t, actions=[])), FORM),
    "an action is a string": lambda t: (interaction(button(t, actions=["x"])), FORM),
    "an action has no id": lambda t: (interaction(button(t, actions=[{"value": "{}"}])), FORM),
    "an action value is a number": lambda t: (
        interaction(button(t, actions=[{"action_id": "pilot.open", "value": 5}])), FORM),
    "no user": lambda t: (interaction(button(t, user=...)), FORM),
    "user is a string": lambda t: (interaction(button(t, user=OWNER)), FORM),
    "user id is a number": lambda t: (interaction(button(t, user={"id": 5})), FORM),
    "team is a string": lambda t: (interaction(button(t, team=t)), FORM),
    "no team anywhere": lambda t: (interaction(button(t, team=..., user={"id": OWNER})), FORM),
    "submission without a view": lambda t: (interaction(submission(t) | {"view": None}), FORM),
    "view is a string": lambda t: (interaction(submission(t) | {"view": "x"}), FORM),
    "private_metadata is a number": lambda t: (
        interaction(submission(t, private_metadata=5)), FORM),
    "private_metadata is an object": lambda t: (
        interaction(submission(t, private_metadata={"key": "P-1"})), FORM),
    "state values is a string": lambda t: (interaction(submission(t, state={"values": "x"})), FORM),
    "a state block is a string": lambda t: (
        interaction(submission(t, state={"values": {"name": "x"}})), FORM),
    "command without team_id": lambda t: (command(None), FORM),
    "command with an empty team_id": lambda t: (command(""), FORM),
    "command with team_id None": lambda t: (command("None"), FORM),
    "command without user_id": lambda t: (command(t).replace(b"user_id=", b"someone="), FORM),
    "command without trigger_id": lambda t: (
        command(t).replace(b"trigger_id=", b"trigger=", 1), FORM),
    "command without response_url": lambda t: (
        command(t).replace(b"response_url=", b"reply_to=", 1), FORM),
    "button without trigger_id": lambda t: (interaction(button(t, trigger_id=...)), FORM),
    "command text not UTF-8": lambda t: (command(t, b"new \xff\xfe pilot"), FORM),
    "command text with a NUL": lambda t: (command(t, "new Nul\x00pilot"), FORM),
    "a form field twice": lambda t: (command(t) + f"&team_id={t}".encode(), FORM),
    "a form that is no command": lambda t: (f"team_id={t}&user_id={OWNER}", FORM),
    "a form that is not a form": lambda t: ("payload", FORM),
    "event body is an array": lambda t: ("[1]", JSON),
    "event body is half an object": lambda t: ("{", JSON),
    "event is a string": lambda t: (envelope(t, "x"), JSON),
    "event has no type": lambda t: (envelope(t, {"user": OWNER}), JSON),
    "event without team_id": lambda t: (
        envelope(None, {"type": "app_home_opened", "user": OWNER}), JSON),
    "app_home_opened user is an object": lambda t: (
        envelope(t, {"type": "app_home_opened", "user": {"id": OWNER}}), JSON),
    "envelope of an unknown type": lambda t: (envelope(t, {"type": "x"}, type="nonsense"), JSON),
    "a lone surrogate": lambda t: (
        envelope(t, {"type": "app_home_opened", "user": OWNER, "tab": "\ud800"}), JSON),
    "NaN in JSON": lambda t: (envelope(t, {"type": "x"}).replace(b'"Ev1EDGE"', b"NaN"), JSON),
    "JSON nested 500 deep": lambda t: ('{"a":' * 500 + "1" + "}" * 500, JSON),
    "JSON body that is not UTF-8": lambda t: (envelope(t, {"type": "x", "t": "\xe9"}).replace(
        b"\\u00e9", b"\xe9"), JSON),
    "text/plain": lambda t: (command(t), "text/plain"),
    "form in latin-1": lambda t: (command(t), f"{FORM}; charset=latin-1"),
}  # fmt: skip


@pytest.mark.parametrize("case", SIGNED_BUT_MALFORMED)
def test_a_signed_request_of_the_wrong_shape_is_refused_with_400_and_changes_nothing(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str, case: str
) -> None:
    body, content_type = SIGNED_BUT_MALFORMED[case](team)
    raw = body.encode() if isinstance(body, str) else body
    with quiet_log(server):
        answer = slack.post(raw, content_type)
        assert answer.status == 400, answer
        assert answer.body.count("\n") == 1, answer.body
        assert len(answer.body) < 200, answer.body
    assert_untouched(server, fake_slack, team)


def test_a_command_that_names_no_workspace_is_refused_in_one_line(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    answer = slack.post(command(None, "new Nobody's pilot"), FORM)
    assert (answer.status, answer.body.strip()) == (
        400,
        "The request names no workspace (team id); pilotgate serves workspaces only.",
    )
    assert_untouched(server, fake_slack, team)


def test_command_text_that_is_not_utf8_is_refused_in_one_line(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    answer = slack.post(command(team, b"new Caf\xe9 pilot"), FORM)
    assert (answer.status, answer.body.strip()) == (400, "A form field is not valid UTF-8.")
    assert_untouched(server, fake_slack, team)


UNSIGNED_BODIES = {
    "a half payload": (b"payload=%7B", FORM),
    "a JSON array": (b"[1]", JSON),
    "bytes that are not UTF-8": (b"text=\xff\xfe&team_id=T1", FORM),
}
BAD_TIMESTAMPS = {"no timestamp": None, "a word": "soon", "400 digits": "9" * 400}


@pytest.mark.parametrize("timestamp", BAD_TIMESTAMPS)
@pytest.mark.parametrize("case", UNSIGNED_BODIES)
def test_unsigned_garbage_is_refused_with_401_before_it_is_read(
    server: Server, slack: Slack, case: str, timestamp: str
) -> None:
    body, content_type = UNSIGNED_BODIES[case]
    headers = {"Content-Type": content_type, "X-Slack-Signature": "v0=" + "0" * 64}
    if BAD_TIMESTAMPS[timestamp] is not None:
        headers["X-Slack-Request-Timestamp"] = str(BAD_TIMESTAMPS[timestamp])
    with quiet_log(server):
        answer = post_raw(slack.url, body, headers)
    assert answer.status == 401
    assert answer.body.strip() == "X-Slack-Request-Timestamp is missing or not a time."


def forged(body: bytes) -> dict[str, dict[str, Any]]:
    now = int(time.time())
    return {
        "another secret": {"signature": sign(body, now, "someone-else's-secret")},
        "six minutes old": {"timestamp": now - 360},
        "six minutes ahead": {"timestamp": now + 360},
        "another body": {"signature": sign(body + b"&x=1", now), "timestamp": now},
        "not hex": {"signature": "v0=" + "z" * 64},
        "another scheme": {"signature": "v1=" + sign(body, now)[3:], "timestamp": now},
    }


@pytest.mark.parametrize(
    "case",
    ["another secret", "six minutes old", "six minutes ahead", "another body", "not hex",
     "another scheme"],
)  # fmt: skip
def test_a_stale_or_forged_signature_is_refused_with_401(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str, case: str
) -> None:
    body = command(team, "new Forged pilot")
    with quiet_log(server):
        answer = slack.post(body, FORM, **forged(body)[case])
    assert answer.status == 401
    assert answer.body.count("\n") == 1
    assert_untouched(server, fake_slack, team)


def test_a_command_from_a_channel_named_payload_is_read_as_a_command(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    # Bolt's own parser took any form with the word "payload" in it for a button.
    name = uuid.uuid4().hex
    body = command_form("new Payload checks", team=team, user=OWNER,
                        response_url=fake_slack.response_url(name),
                        channel_name="payload-team")  # fmt: skip
    assert slack.post(body, FORM).status == 200
    assert "P-1" in reply_text(fake_slack.reply(name))
    assert [pilot.name for pilot in pilots_of(server, team)] == ["Payload checks"]


def test_a_body_of_exactly_one_mebibyte_is_served_and_one_byte_more_is_not(
    slack: Slack, fake_slack: FakeSlack, server: Server, team: str
) -> None:
    name = uuid.uuid4().hex
    bare = command_form("help", team=team, user=OWNER, response_url=fake_slack.response_url(name))
    body = bare + b"&filler=" + b"x" * (MAX_BODY - len(bare) - len(b"&filler="))
    assert len(body) == MiB
    assert slack.post(body, FORM).status == 200
    assert "/pilot new" in reply_text(fake_slack.reply(name))
    # Refused on its Content-Length: a plain client would only see its upload cut off, so
    # this one listens for the answer while it sends.
    status, _ = send_big_body(server, MiB + 1, chunked=False)
    assert status == 413


def send_big_body(server: Server, size: int, *, chunked: bool) -> tuple[int, int]:
    """Sends a POST of `size` bytes, stopping as soon as the server answers; returns the
    status it answered and how many body bytes went out."""
    length = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % size
    head = b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n\r\n" % length
    piece = b"x" * 65536
    frame = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
    sent = 0
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) as connection:
        connection.sendall(head)
        deadline = time.monotonic() + 30
        while sent < size and time.monotonic() < deadline:
            if select.select([connection], [], [], 0)[0]:
                break  # the server has answered
            try:
                connection.sendall(frame)
            except OSError:  # the server closed the connection: its answer is waiting
                break
            sent += len(piece)
        status_line = connection.recv(1024).split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), sent


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_twenty_megabyte_body_is_refused_with_413_and_not_held(
    server: Server, slack: Slack, fake_slack: FakeSlack, team: str, chunked: bool
) -> None:
    before = rss_kib(server)
    with quiet_log(server):
        for _ in range(3):
            status, sent = send_big_body(server, 20 * MiB, chunked=chunked)
            assert status == 413
            assert sent < 20 * MiB  # the server stopped reading long before the end
    grown = rss_kib(server) - before
    assert grown < 8 * 1024, f"the server grew by {grown} KiB"
    reply = slack.command("help", team=team, user=OWNER, response_url=fake_slack.response_url())
    assert reply.status == 200


def test_three_hundred_idle_connections_do_not_delay_a_signed_command(
    server: Server, slack: Slack, fake_slack: FakeSlack, team: str
) -> None:
    idle: list[socket.socket] = []
    try:
        for number in range(300):
            connection = socket.create_connection(("127.0.0.1", port_of(server)), timeout=5)
            idle.append(connection)
            if number % 2:  # half of them begin a request and never finish it
                connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        answer: Answer = slack.command(
            "status P-1", team=team, user=OWNER, response_url=fake_slack.response_url()
        )
        waited = time.monotonic() - started
    finally:
        for connection in idle:
            connection.close()
    assert answer.status == 200
    assert waited < 3, f"Slack waited {waited:.1f} s for the ack"


def test_app_rate_limited_and_unasked_events_are_acknowledged(
    server: Server, slack: Slack, team: str
) -> None:
    start = len(server.log.read_bytes())
    notice = {
        "token": "deprecated-verification-token",
        "type": "app_rate_limited",
        "team_id": team,
        "minute_rate_limited": 1518467820,
        "api_app_id": "A0PILOTGATE",
    }
    reaction = {
        "type": "reaction_added",
        "user": OWNER,
        "reaction": "eyes",
        "item": {"type": "message", "channel": "C1", "ts": "1.2"},
        "event_ts": "1.3",
    }
    with quiet_log(server):
        assert slack.post(json.dumps(notice).encode(), JSON).status == 200
        assert slack.event(reaction, team=team).status == 200
        # An event's listener runs after its ack.
        written = wait_for_log(server, start, f"event reaction_added for {team}")
    prefix = "INFO bot.slack.listeners.events.unasked"
    assert f"{prefix} Slack notice app_rate_limited for {team} acknowledged" in written
    assert f"{prefix} event reaction_added for {team} acknowledged" in written
    assert "Unhandled request" not in written


def test_slack_checks_of_the_request_url_need_no_workspace(server: Server, slack: Slack) -> None:
    challenge = {"token": "deprecated-verification-token", "challenge": "c-123",
                 "type": "url_verification"}  # fmt: skip
    answer = slack.post(json.dumps(challenge).encode(), JSON)
    assert (answer.status, answer.json()) == (200, {"challenge": "c-123"})
    assert slack.post(b"ssl_check=1&token=deprecated-verification-token", FORM).status == 200
