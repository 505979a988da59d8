"""The shapes of what Slack sends to `POST /slack/events`, as far as pilotgate reads them.

Each kind is a pydantic model in strict mode: a field the listeners read must be there and
of its type (a string is not a number, an object is not a string), and fields nobody reads
pass through untouched (`extra="allow"`), so a new field from Slack never breaks a request.
`workspace()` finds the team id where Slack puts it for that kind.
"""

from __future__ import annotations

from typing import Annotated
from typing import Any
from typing import ClassVar
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Discriminator
from pydantic import Field
from pydantic import Tag
from pydantic import TypeAdapter
from pydantic import field_validator
from pydantic import model_validator

# Slack's ids (T…, E…, U…, W…) are upper-case letters and digits.
SlackId = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,40}$")]


class Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)
    # Slack's checks of the app itself (url_verification, ssl_check) come from no workspace.
    needs_workspace: ClassVar[bool] = True

    def workspace(self) -> str | None:
        return None


def _blank_is_missing(value: object) -> object:
    # A form sends an empty field as "": no team id is no team id.
    return None if value == "" else value


class Command(Shape):
    """A slash command: a plain form."""

    command: str = Field(pattern=r"^/\S+$")
    team_id: SlackId | None = None
    user_id: SlackId
    text: str = ""
    # Slack sends both with every command: a form opens with the first, the reply goes to the
    # second.
    trigger_id: str = Field(min_length=1)
    response_url: str = Field(min_length=1)

    _blank_team = field_validator("team_id", mode="before")(_blank_is_missing)

    def workspace(self) -> str | None:
        return self.team_id


class SslCheck(Shape):
    """Slack checking the certificate of a slash command's URL."""

    needs_workspace: ClassVar[bool] = False
    ssl_check: Literal["1"]


class Team(Shape):
    id: SlackId


class User(Shape):
    id: SlackId
    team_id: SlackId | None = None


class Action(Shape):
    action_id: str
    block_id: str | None = None
    value: str | None = None


class ViewState(Shape):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class View(Shape):
    callback_id: str = ""
    private_metadata: str = ""
    state: ViewState | None = None
    team_id: SlackId | None = None
    app_installed_team_id: SlackId | None = None


class Interaction(Shape):
    """A button, a form submission, a shortcut: a form whose one field, `payload`, is JSON."""

    type: Literal[
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
    ]
    # Null in an org-wide install, where the user's team_id says which workspace it is.
    team: Team | None = None
    user: User
    actions: list[Action] | None = None
    view: View | None = None
    trigger_id: str | None = None
    response_url: str | None = None

    @model_validator(mode="after")
    def _carries_what_its_type_needs(self) -> Interaction:
        if self.type == "block_actions" and not self.actions:
            raise ValueError("block_actions carries at least one action")
        if self.type in ("block_actions", "shortcut", "message_action") and not self.trigger_id:
            raise ValueError(f"{self.type} carries a trigger_id")  # buttons open forms with it
        if self.type in ("view_submission", "view_closed") and self.view is None:
            raise ValueError(f"{self.type} carries a view")
        return self

    def workspace(self) -> str | None:
        # In the order Bolt reads them: the modal's own workspace first.
        view = self.view or View()
        team = self.team.id if self.team else None
        return view.app_installed_team_id or team or self.user.team_id or view.team_id


class AppHomeOpened(Shape):
    type: Literal["app_home_opened"]
    user: SlackId
    tab: str | None = None


class OtherEvent(Shape):
    type: str


def _event_kind(event: object) -> str | None:
    if not isinstance(event, dict):
        return None
    return "app_home_opened" if event.get("type") == "app_home_opened" else "other"


Event = Annotated[
    Annotated[AppHomeOpened, Tag("app_home_opened")] | Annotated[OtherEvent, Tag("other")],
    Discriminator(
        _event_kind,
        custom_error_type="event",
        custom_error_message="Input should be an object with a type",
    ),
]


class Authorization(Shape):
    team_id: SlackId | None = None


class EventCallback(Shape):
    """An Events API delivery: JSON."""

    type: Literal["event_callback"]
    team_id: SlackId | None = None
    event: Event
    event_id: str | None = None
    authorizations: list[Authorization] | None = None

    def workspace(self) -> str | None:
        return self.team_id


class AppRateLimited(Shape):
    """Slack telling the app it dropped events for a minute; sent without any subscription."""

    type: Literal["app_rate_limited"]
    team_id: SlackId | None = None
    minute_rate_limited: int | None = None

    def workspace(self) -> str | None:
        return self.team_id


class UrlVerification(Shape):
    """Slack checking a new Request URL."""

    needs_workspace: ClassVar[bool] = False
    type: Literal["url_verification"]
    challenge: str


EVENTS_API: TypeAdapter[EventCallback | AppRateLimited | UrlVerification] = TypeAdapter(
    Annotated[EventCallback | AppRateLimited | UrlVerification, Field(discriminator="type")]
)
