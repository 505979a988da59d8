"""Promises about the project itself: the README's two commands, CI, and clean code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
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


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is part of the [dev] extra; install it with pip install -e '.[dev]'"
    return found


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [tool("ruff"), "check", "--no-cache", "."],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing_in_bot_and_storage() -> None:
    result = subprocess.run(
        [tool("mypy"), "--no-incremental"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
