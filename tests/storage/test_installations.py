"""OAuth installs and install states, on both databases."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage import installations
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def token(
    team: str, enterprise: str = "", value: str = "xoxb-made-up", org: bool = False
) -> installations.BotToken:
    return installations.BotToken(
        enterprise_id=enterprise, team_id="" if org else team, is_enterprise_install=org,
        app_id="A1", bot_token=value, bot_id="B1", bot_user_id="U0BOT", bot_scopes="commands",
        installer_user_id="U1", installed_at=NOW,
    )  # fmt: skip


def save(sessions: sessionmaker[Session], bot: installations.BotToken) -> None:
    with UnitOfWork(sessions) as uow:
        installations.save(uow.session, bot)
        uow.commit()


def find(sessions: sessionmaker[Session], enterprise: str, team: str) -> str | None:
    with sessions() as session:
        found = installations.find(session, enterprise, team)
        return found.bot_token if found else None


def test_a_reinstall_replaces_the_token_and_workspaces_stay_apart(
    sessions: sessionmaker[Session],
) -> None:
    save(sessions, token("T1", value="xoxb-first"))
    save(sessions, token("T1", value="xoxb-second"))
    save(sessions, token("T2", value="xoxb-other"))
    assert find(sessions, "", "T1") == "xoxb-second"
    assert find(sessions, "", "T2") == "xoxb-other"
    assert find(sessions, "", "T3") is None


def test_an_org_wide_install_serves_its_workspaces(sessions: sessionmaker[Session]) -> None:
    save(sessions, token("", enterprise="E1", value="xoxb-org", org=True))
    assert find(sessions, "E1", "T7") == "xoxb-org"
    # The scheduler knows no enterprise: the only org-wide install is the one.
    assert find(sessions, "", "T7") == "xoxb-org"
    save(sessions, token("", enterprise="E2", value="xoxb-org-2", org=True))
    assert find(sessions, "", "T7") is None, "two orgs: no guessing"
    with UnitOfWork(sessions) as uow:
        installations.forget(uow.session, "E1", "")
        uow.commit()
    assert find(sessions, "E1", "T7") is None


def test_an_install_state_is_good_once_and_only_while_fresh(
    sessions: sessionmaker[Session],
) -> None:
    with UnitOfWork(sessions) as uow:
        installations.issue_state(uow.session, "s1", NOW + timedelta(minutes=10))
        installations.issue_state(uow.session, "s2", NOW - timedelta(seconds=1))
        uow.commit()
    with UnitOfWork(sessions) as uow:
        answers = [
            installations.consume_state(uow.session, "s1", NOW),
            installations.consume_state(uow.session, "s1", NOW),
            installations.consume_state(uow.session, "s2", NOW),
            installations.consume_state(uow.session, "never", NOW),
        ]
        uow.commit()
    assert answers == [True, False, False, False]
