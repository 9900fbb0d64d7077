"""The supervisor's course directory: where it is, where its keys are, and one way to run nbgrader.

A course directory holds ``nbgrader_config.py``; supervisor commands run inside it. nbgrader is always
started through :func:`nbgrader`, with this environment's scripts first on PATH
(:func:`~trauma_curriculum.core.paths.environment_with_tools` says why).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .core.paths import environment_with_tools, find_root

CONFIG = "nbgrader_config.py"
KEYS_ENV = "TRAUMA_CURRICULUM_KEYS"
KEYS_DIRNAME = "answer-keys"


def course_root(start: Path | None = None) -> Path:
    """The nearest course directory (holding ``nbgrader_config.py``) at or above ``start``."""
    return find_root(CONFIG, start)


def keys_dir(course: Path | None = None) -> Path:
    """The answer keys: ``$TRAUMA_CURRICULUM_KEYS``, else ``answer-keys/`` of the course."""
    if os.environ.get(KEYS_ENV):
        return Path(os.environ[KEYS_ENV]).resolve()
    return ((course or course_root()) / KEYS_DIRNAME).resolve()


def nbgrader_command(*args: str) -> list[str]:
    """The command line of one nbgrader command, with this environment's nbgrader."""
    return [sys.executable, "-m", "nbgrader", *args]


def nbgrader(course: Path, *args: str, capture: bool = True, **extra_env: str) -> subprocess.CompletedProcess:
    """Run one nbgrader command in ``course``; its output is captured unless ``capture`` is False."""
    return subprocess.run(nbgrader_command(*args), cwd=course, env=environment_with_tools(**extra_env),
                          capture_output=capture, text=True, check=False)  # fmt: skip
