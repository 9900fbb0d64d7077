"""Running nbgrader on a temporary course, and building synthetic submissions from a release notebook."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat

from conftest import SCRIPTS, tool_env


def nbgrader(course: Path, *args: str, timeout_s: int = 5) -> subprocess.CompletedProcess:
    """Run one nbgrader command in ``course``, with a short per-cell timeout so endless loops end fast."""
    return subprocess.run(
        [str(SCRIPTS / "nbgrader"), *args],
        cwd=course,
        env=tool_env(TRAUMA_CURRICULUM_CELL_TIMEOUT=str(timeout_s)),
        capture_output=True,
        text=True,
        timeout=900,
    )


def cell(notebook, grade_id: str):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answered(release: Path, answers: dict[str, str], written: str | None = None):
    """The release notebook with answer cells replaced: ``answers`` maps an answer grade_id to its code."""
    notebook = nbformat.read(release, as_version=4)
    for grade_id, code in answers.items():
        cell(notebook, grade_id).source = code
    if written is not None:
        for c in notebook.cells:
            meta = c.metadata.get("nbgrader", {})
            if c.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
                c.source = written
    return notebook


def submit(
    course: Path, student: str, assignment: str, notebook_or_text, filename: str | None = None
) -> Path:
    """Place a submission where ``nbgrader autograde`` looks for it."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (filename or f"{assignment}.ipynb")
    if isinstance(notebook_or_text, str):
        path.write_text(notebook_or_text)
    else:
        nbformat.write(notebook_or_text, path)
    return path
