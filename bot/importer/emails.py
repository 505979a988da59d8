"""People a spreadsheet names by email, found in the workspace with `users.lookupByEmail`.

Asked before the import's transaction opens, so no Slack call waits inside it; each address is
asked once however many rows name it.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.errors import SlackRequestError

from bot.errors import InvalidInput
from bot.errors import PilotgateError

NOT_FOUND = frozenset({"users_not_found", "user_not_found"})


class EmailDirectory:
    """Looks emails up through one workspace's Web API client, made only when first needed
    (a file of user ids needs no token)."""

    def __init__(self, client: Callable[[], WebClient]) -> None:
        self._client = client
        self._known: dict[str, str] = {}

    def user_id(self, email: str) -> str:
        """The user id of the active account with `email`; InvalidInput when there is none."""
        if email not in self._known:
            self._known[email] = self._ask(email)
        return self._known[email]

    def _ask(self, email: str) -> str:
        try:
            user = self._client().users_lookupByEmail(email=email)["user"]
        except SlackApiError as error:
            code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
            if code in NOT_FOUND:
                raise InvalidInput(f"no one in the workspace has the email {email}") from None
            hint = (
                "; the app needs the users:read.email scope (reinstall it)"
                if code == "missing_scope"
                else ""
            )
            raise PilotgateError(f"Slack refused to look up {email}: {code}{hint}") from None
        except (SlackRequestError, urllib.error.URLError, OSError) as error:
            raise PilotgateError(f"Slack could not be asked about {email}: {error}") from None
        if user.get("deleted"):
            raise InvalidInput(f"{email} belongs to a deactivated account")
        return str(user["id"])
