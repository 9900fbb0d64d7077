"""Shared fixtures: the repository's paths, and a temporary nbgrader course built from this one."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pytest_plugins = ["browser_support"]

ROOT = Path(__file__).resolve().parent.parent
# The seed article is not copied into the repository: CI lays shared/ beside the clone.
SEED = Path(
    os.environ.get(
        "TRAUMA_CURRICULUM_SEED", ROOT.parent / "shared" / "seed" / "relational-vs-attachment-trauma.txt"
    )
)
SCRIPTS = Path(sys.executable).parent


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for nbgrader subprocesses: this venv's scripts first on PATH (alembic)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(SCRIPTS), env.get("PATH", "")])
    env.pop("TRAUMA_CURRICULUM_DB_URL", None)
    env.update(extra)
    return env


def make_course(directory: Path) -> Path:
    """A fresh course directory with this repository's config, assignments and answer keys."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", directory / "nbgrader_config.py")
    shutil.copytree(ROOT / "source", directory / "source")
    shutil.copytree(ROOT / "answer-keys", directory / "answer-keys")
    return directory


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(
            f"the seed article is not at {SEED}: lay shared/ beside the repository or set TRAUMA_CURRICULUM_SEED"
        )
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test (browser screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
