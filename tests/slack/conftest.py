"""The database world the property tests of the `/pilot` surface run their changes on."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from tests.slack.audited_world import World


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return World(sessions)
