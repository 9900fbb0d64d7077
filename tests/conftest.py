"""Shared fixtures: the repository's paths, and a temporary nbgrader course built from this one."""

from __future__ import annotations

import os
import re
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


@pytest.fixture(scope="session", autouse=True)
def private_practice_store(tmp_path_factory):
    """Practice answers are saved in the user's Jupyter data directory: in tests (and the kernels they
    start, which inherit the environment) that is a temporary folder, never the real one."""
    folder = tmp_path_factory.mktemp("jupyter-data")
    previous = os.environ.get("JUPYTER_DATA_DIR")
    os.environ["JUPYTER_DATA_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("JUPYTER_DATA_DIR", None)
    else:
        os.environ["JUPYTER_DATA_DIR"] = previous


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(
            f"the seed article is not at {SEED}: lay shared/ beside the repository or set TRAUMA_CURRICULUM_SEED"
        )
    return SEED.read_text(encoding="utf-8")


SHARED_RUN = 12  # words in a row that may not be shared with the seed article outside quotation marks


def _words(text: str) -> list[str]:
    text = text.replace("\u2019", "'").replace("\u2014", " ").lower()
    return re.findall(r"[a-z0-9']+", text)


def _outside_quotes(text: str) -> str:
    """Drop quoted passages ("..." or “...”): a short quotation with attribution is allowed."""
    return re.sub(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d", " ", text)


@pytest.fixture(scope="session")
def shared_runs(seed_text):
    """A function listing every run of SHARED_RUN words that a text shares with the seed article."""
    seed = _words(seed_text)
    runs = {tuple(seed[i : i + SHARED_RUN]) for i in range(len(seed) - SHARED_RUN + 1)}

    def find(text: str) -> list[str]:
        words = _words(_outside_quotes(text))
        return [" ".join(words[i : i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)
                if tuple(words[i : i + SHARED_RUN]) in runs]  # fmt: skip

    return find


@pytest.fixture(scope="session")
def pack(tmp_path_factory) -> Path:
    """The trainee workspace zip, built by the command a supervisor runs."""
    import subprocess

    target = tmp_path_factory.mktemp("pack") / "trainee-workspace.zip"
    result = subprocess.run([str(SCRIPTS / "trauma-curriculum"), "trainee-pack", "--output", str(target)],
                            cwd=ROOT, capture_output=True, text=True, env=tool_env())  # fmt: skip
    assert result.returncode == 0, result.stderr
    return target


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course")


LAYERS = ("unit", "widgets", "pipeline", "notebooks", "browser", "hub")


def pytest_collection_modifyitems(config, items):
    """Mark every test with its layer, read from its folder (tests/<layer>/), so `-m unit` means unit."""
    for item in items:
        folder = Path(item.fspath).parent.name
        if folder in LAYERS:
            item.add_marker(getattr(pytest.mark, folder))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test (browser screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
