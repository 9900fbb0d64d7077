"""Running nbgrader on a temporary course. Synthetic submissions come from the package's demo-cohort
helpers (one piece of code for the tests and the supervisor's rehearsal); answers are derived from the
grader-side keys, so the cohorts follow the assignments when they change: every question ``q`` has an
answer cell ``q-answer`` and a check cell ``q-check``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import ROOT, SCRIPTS, tool_env
from trauma_curriculum.supervisor.demo_cohort import answered, half, right, submit, wrong
from trauma_curriculum.supervisor.demo_cohort import grade_cell as cell
from trauma_curriculum.supervisor.keys import load_key

KEYS = ROOT / "answer-keys"


def nbgrader(course: Path, *args: str, timeout_s: int = 5) -> subprocess.CompletedProcess:
    """Run one nbgrader command in ``course``, with a short per-cell timeout so endless loops end fast."""
    return subprocess.run(
        [str(SCRIPTS / "nbgrader"), *args],
        cwd=course,
        env=tool_env(TRAUMA_CURRICULUM_CELL_TIMEOUT=str(timeout_s)),
        capture_output=True,
        text=True,
        timeout=1800,
    )


def key(assignment: str, keys: Path = KEYS):
    return load_key(assignment, keys.resolve())


__all__ = ["KEYS", "answered", "cell", "half", "key", "nbgrader", "right", "submit", "wrong"]
