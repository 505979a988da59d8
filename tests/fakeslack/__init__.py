"""A local fake of the Slack Web API, for tests that drive the real slack_sdk client.

`FakeSlack` is a real HTTP server on 127.0.0.1 (a random free port). Point the app at it through
`SLACK_API_URL` (`fake.api_url`, e.g. `http://127.0.0.1:PORT/api/`) and every Web API call goes
through slack_sdk's own HTTP code and retry handlers, as it would against Slack.

    with FakeSlack() as fake:
        fake.add_user("U1", tz="Europe/Berlin")
        fake.fail("chat.postMessage", status=429, retry_after=1)
        ...  # run the app with SLACK_API_URL=fake.api_url
        (post,) = fake.delivered("chat.postMessage")
        assert fake.errors == []

What it does, like Slack:
- Answers HTTP 200 with `{"ok": true, ...}` or `{"ok": false, "error": ...}`; realistic bodies for
  the methods pilotgate uses, `{"ok": true}` for any other real method.
- Checks each call against Slack's OpenAPI description of the Web API (method exists, required
  arguments present, JSON only where the method takes JSON) and Block Kit limits (50 blocks per
  message, 100 per view, text lengths, unique block_id). Every such problem is answered with
  Slack's error and also kept in `fake.errors`, so a test can assert that none happened.
- Programmable faults (`fail`, `error`, `slow`, `disconnect`, `chaos`) and Slack's per-channel /
  per-workspace limits on chat.postMessage (`rate_limit`), answered with 429 and `Retry-After`.

Records every request as a `Call`; `wait_for` blocks until calls arrive. Besides `/api/<method>`
it serves `/response/<name>` (a `response_url`; calls named "response_url") and the upload URLs
files.getUploadURLExternal hands out (calls named "upload").

The package, by concern: `server` (the HTTP server, recorded calls, answering), `faults`
(programmed faults and rate limits), `workspace` and `methods` (what Slack knows and each
method's answer), `openapi` (the check against Slack's Web API description), `blockkit`
(Block Kit limits), `wire` (requests, answers and calls as data).
"""

from tests.fakeslack.openapi import SPEC_PATH
from tests.fakeslack.openapi import MethodSpec
from tests.fakeslack.openapi import web_api_spec
from tests.fakeslack.server import FAKE_BOT_TOKEN
from tests.fakeslack.server import FakeSlack
from tests.fakeslack.wire import Call
from tests.fakeslack.workspace import dm_channel_id

__all__ = [
    "FAKE_BOT_TOKEN",
    "SPEC_PATH",
    "Call",
    "FakeSlack",
    "MethodSpec",
    "dm_channel_id",
    "web_api_spec",
]
