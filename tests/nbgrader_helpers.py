"""Running nbgrader on a temporary course, and building synthetic submissions from release notebooks.

Answers are derived from the grader-side keys, so the cohort follows the assignments when they change:
every question ``q`` has an answer cell ``q-answer`` and a check cell ``q-check``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat

from conftest import ROOT, SCRIPTS, tool_env
from trauma_curriculum.definitions import LABELS
from trauma_curriculum.grading import LAYER_CREDIT, load_key

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


def key(assignment: str, keys: Path = KEYS) -> dict:
    return load_key(assignment, keys.resolve())


def right(item: dict) -> str:
    answer = item["answer"]
    return ("True" if answer else "False") if item["kind"] == "bool" else str(answer)


def wrong(item: dict) -> str:
    """A valid answer that earns nothing."""
    kind, expected = item["kind"], item["answer"]
    if kind == "bool":
        return "False" if expected else "True"
    if kind.startswith("choice:"):
        letters = kind.removeprefix("choice:")
        return letters[(letters.index(expected) + 1) % len(letters)]
    return next(label for label in LABELS if label != expected and (expected, label) not in LAYER_CREDIT)


def half(item: dict) -> str | None:
    """A label that earns half the points (one layer of a layered history), if the item allows it."""
    if item.get("partial") != "layers":
        return None
    return next((given for (expected, given) in LAYER_CREDIT if expected == item["answer"]), None)


def cell(notebook, grade_id: str):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answered(
    release: Path, values: dict[str, str], written: str | None = None, raw: dict[str, str] | None = None
):
    """The release notebook with each question's answer cell set: ``values`` as typed between the quotes,
    ``raw`` as literal code (for answers that are not text at all)."""
    notebook = nbformat.read(release, as_version=4)
    for question, value in values.items():
        source = cell(notebook, f"{question}-answer").source
        cell(notebook, f"{question}-answer").source = source.replace('""', repr(value), 1)
    for question, code in (raw or {}).items():
        source = cell(notebook, f"{question}-answer").source.split("\n")
        cell(notebook, f"{question}-answer").source = "\n".join(
            [code, *source[3:]]
        )  # keep the confidence line
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
    if notebook_or_text is None:
        return folder
    path = folder / (filename or f"{assignment}.ipynb")
    if isinstance(notebook_or_text, str):
        path.write_text(notebook_or_text)
    else:
        nbformat.write(notebook_or_text, path)
    return path
