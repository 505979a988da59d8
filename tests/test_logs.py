"""The log: plain lines or one JSON object per line (LOG_FORMAT), and never a secret."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.logs import JsonFormatter
from bot.logs import RedactingFilter
from bot.logs import Redactor
from bot.logs import context
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import start_server
from tests.listeners.conftest import stop_server
from tests.slack_requests import SIGNING_SECRET
from tests.slack_requests import Slack
from tests.slack_requests import sign

FIELDS = {"time", "level", "logger", "message", "team", "event"}
BOT_TOKEN = "xoxb-1234-5678-made-up-bot-token"
API_TOKEN = "pgt_madeUpApiToken0123456789"
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line as JSON, each with the fields; fails naming a line that is not."""
    lines = []
    for line in text.splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            pytest.fail(f"not a JSON line: {line!r}")
        assert isinstance(parsed, dict)
        assert parsed.keys() >= FIELDS, line
        lines.append(parsed)
    return lines


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing JSON through the redacting filter into a string."""
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter(Redactor([SIGNING_SECRET])))
    logger = logging.getLogger(f"test.logs.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, sink
    logger.removeHandler(handler)


def test_tokens_and_secrets_are_redacted_wherever_they_appear(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, sink = logged
    signature = sign(b"token=x&text=hi", 1700000000)
    logger.warning("calling with %s and %s", BOT_TOKEN, {"secret": SIGNING_SECRET})
    logger.info(f"header X-Slack-Signature: {signature}; app token xapp-1-A0-123-abc")
    logger.info("user token xoxp-99-made-up, API token %s", API_TOKEN)
    try:
        raise RuntimeError(f"Slack said no to {BOT_TOKEN}")
    except RuntimeError:
        logger.exception("failed")

    written = sink.getvalue()
    for secret in (BOT_TOKEN, SIGNING_SECRET, signature, "xapp-1-A0", "xoxp-99", API_TOKEN):
        assert secret not in written
    lines = json_lines(written)
    assert lines[0]["message"] == "calling with [redacted] and {'secret': '[redacted]'}"
    assert lines[1]["message"] == ("header X-Slack-Signature: [redacted]; app token [redacted]")
    assert "RuntimeError: Slack said no to [redacted]" in lines[3]["exception"]


def test_a_line_carries_the_request_it_was_written_for(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, sink = logged
    with context(team="T1", event="/pilot", request_id="trigger-1"):
        logger.info("working")
    logger.info("tick done", extra={"event": "tick"})

    inside, outside = json_lines(sink.getvalue())
    assert {k: inside[k] for k in ("level", "logger", "message", "team", "event")} == {
        "level": "info", "logger": logger.name, "message": "working", "team": "T1",
        "event": "/pilot",
    }  # fmt: skip
    assert inside["request_id"] == "trigger-1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", inside["time"])
    assert (outside["team"], outside["event"]) == (None, "tick")
    assert "request_id" not in outside


def python(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LOG_"))}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env={**environment, **env}, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_warnings_and_thread_errors_become_json_lines_too() -> None:
    result = python(
        f"""
        import logging, threading, warnings
        from bot import logs
        logs.configure("json", secrets=["{SIGNING_SECRET}"])
        warnings.warn("an old API, called with {SIGNING_SECRET}", DeprecationWarning)
        def fail():
            raise ValueError("{BOT_TOKEN}")
        worker = threading.Thread(target=fail, name="worker")
        worker.start()
        worker.join()
        logs.say("done", event="tick")
        """
    )

    assert result.returncode == 0, result.stderr
    assert SIGNING_SECRET not in result.stderr
    assert BOT_TOKEN not in result.stderr
    warned, thread, said = json_lines(result.stderr)
    assert (warned["logger"], warned["level"]) == ("py.warnings", "warning")
    assert "DeprecationWarning: an old API, called with [redacted]" in warned["message"]
    assert thread["message"] == "uncaught error in thread worker"
    assert "ValueError: [redacted]" in thread["exception"]
    assert (said["message"], said["event"]) == ("done", "tick")


def test_a_bad_log_format_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "tick"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "LOG_FORMAT": "xml", "SLACK_BOT_TOKEN": BOT_TOKEN},
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr == (
        "pilotgate: LOG_FORMAT must be text or json (one JSON object per line).\n"
    )


def test_serve_and_tick_write_json_lines_and_no_secret(database_url: str, tmp_path: Path) -> None:
    team = f"T{uuid.uuid4().hex[:8].upper()}"
    env = {"LOG_FORMAT": "json", "SLACK_BOT_TOKEN": BOT_TOKEN}
    with FakeSlack() as fake:
        fake.add_user("U0ANN", team_id=team, tz="UTC")
        server = start_server(database_url, fake, tmp_path / "serve.log", scheduler=True, **env)
        try:
            slack = Slack(server.url)
            for words in ("new Support drafting", f"new {API_TOKEN}", "help", "status P-9"):
                reply = fake.response_url(uuid.uuid4().hex)
                assert (
                    slack.command(words, team=team, user="U0ANN", response_url=reply).status == 200
                )
            # A caller Slack does not know, and a request whose signature is wrong.
            slack.command("list", team=team, user="U0NEW", response_url=fake.response_url("x"))
            assert slack.command("help", team=team, user="U0ANN", response_url="x",
                                 signature="v0=" + "0" * 64).status == 401  # fmt: skip
            fake.wait_for("response_url", 5, timeout=15)
        finally:
            stop_server(server)
        tick = subprocess.run(
            [sys.executable, "-m", "bot", "tick"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATA"))},
                "DATABASE_URL": database_url, "SLACK_API_URL": fake.api_url, **env,
            },
        )  # fmt: skip

    assert tick.returncode == 0, tick.stderr
    served = server.log_text()
    lines = json_lines(served) + json_lines(tick.stderr)
    summaries = [line for line in lines if line["message"].startswith("tick at ")]
    assert len(summaries) >= 2  # one in serve, one from `pilotgate tick`
    assert {line["event"] for line in summaries} == {"tick"}
    assert any(line["team"] == team and line.get("request_id") for line in lines)
    everything = served + tick.stderr
    for secret in (BOT_TOKEN, SIGNING_SECRET, API_TOKEN, "xoxb-"):
        assert secret not in everything
    assert not SIGNATURE.search(everything)
