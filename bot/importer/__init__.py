"""`pilotgate import`: pilots and readings from a spreadsheet, all or nothing.

A door like `/pilot` and the HTTP API: it reads its own input (CSV, one pydantic model a row)
into the typed commands of bot.services and hands them to the same use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import InvalidInput
from bot.errors import UserError
from bot.importer.apply import Outcome
from bot.importer.apply import import_rows
from bot.importer.emails import EmailDirectory
from bot.importer.rows import BadRow
from bot.importer.rows import read_csv
from storage import pilots as pilot_store

FORMATS = ("csv",)
ACTOR_PREFIX = "import:"

__all__ = ["FORMATS", "Outcome", "import_csv"]


def import_csv(
    path: Path,
    sessions: sessionmaker[Session],
    *,
    team: str | None,
    slack_client: Callable[[str], WebClient],
    now: datetime,
    dry_run: bool,
) -> Outcome:
    """Imports `path` into workspace `team` (the only one when None); `slack_client(team)`
    is asked for a Web API client only if a row names someone by email."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as source:
            kind, rows = read_csv(source, now)
    except UnicodeDecodeError:
        raise UserError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    except OSError as error:
        raise UserError(f"{path} cannot be read: {error.strerror}.") from None
    except BadRow as error:
        raise _in_file(path, error) from None
    team_id = team or _only_team(sessions)
    directory = EmailDirectory(lambda: slack_client(team_id))
    try:
        return import_rows(
            sessions, kind, rows,
            team_id=team_id, actor_label=ACTOR_PREFIX + path.name, directory=directory,
            now=now, dry_run=dry_run,
        )  # fmt: skip
    except BadRow as error:
        raise _in_file(path, error) from None


def _in_file(path: Path, error: BadRow) -> InvalidInput:
    return InvalidInput(f"{path.name} {str(error).rstrip('.')}.")


def _only_team(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        teams = pilot_store.team_ids(session)
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise UserError("--team is needed: the database holds no workspace yet; like --team T0123.")
    listed = ", ".join(teams[:5]) + (", …" if len(teams) > 5 else "")
    raise UserError(
        f"--team is needed: the database holds {len(teams)} workspaces ({listed}); "
        f"name one, like --team {teams[0]}."
    )
