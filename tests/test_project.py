"""Promises about the project itself: the README's two commands, and what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```(?:sh|bash|shell)\n(.+?)\n```", text)


def test_the_readme_opens_with_exactly_two_setup_commands() -> None:
    commands = readme_commands()
    assert len(commands[0].splitlines()) == 1
    assert len(commands[1].splitlines()) == 1
    assert commands[0].endswith("pilotgate demo")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert readme_commands()[1] in ci


def test_ci_runs_lint_and_types_since_the_suite_does_not() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    for check in (".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy"):
        assert check in ci
