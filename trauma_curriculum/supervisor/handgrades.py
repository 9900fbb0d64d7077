"""Autograding again (a regrade after a key correction or a late submission) without undoing the
supervisor's hand grading, and with every changed score shown.

nbgrader's autograde marks every cell that has a hand score as needing manual grading again, on purpose,
in case the answer changed; after a key correction formgrader then shows every written answer a
supervisor already graded as unresolved, although nothing about them changed. So a run is bracketed by
two snapshots of the gradebook (:func:`snapshot` before, :func:`settle` after):

- a cell that was graded by hand and resolved before, whose answer text and automatic score are the
  same after, is marked resolved again (its hand score always survives: nbgrader never overwrites it);
- a hand-graded cell whose answer changed (a resubmission) or whose automatic score changed under the
  hand score stays unresolved, and is listed so the supervisor looks at it again;
- every score that changed is listed, before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from .gradebook import gradebook_file


@dataclass(frozen=True, order=True)
class Cell:
    trainee: str
    notebook: str
    grade_id: str


@dataclass(frozen=True)
class State:
    score: float
    auto_score: float | None
    manual_score: float | None
    resolved: bool
    source: str | None  # the graded cell's text in the autograded notebook (read for hand-graded cells)


@dataclass
class Changes:
    scores: list[tuple[Cell, float, float]] = field(default_factory=list)
    kept: list[Cell] = field(default_factory=list)
    review: list[tuple[Cell, str]] = field(default_factory=list)


def _sources(course: Path, assignment: str, trainee: str, notebook: str) -> dict[str, str]:
    path = course / "autograded" / trainee / assignment / f"{notebook}.ipynb"
    try:
        cells = nbformat.read(path, as_version=4).cells
    except Exception:  # noqa: BLE001 - a missing or unreadable notebook has no answer to compare
        return {}
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in cells}


def snapshot(course: Path, assignment: str, db_url: str) -> dict[Cell, State]:
    """Every graded cell of ``assignment`` in the gradebook, as it stands."""
    path = gradebook_file(db_url)
    if path is not None and not (path.is_file() and path.stat().st_size):
        return {}  # nothing graded before (and a snapshot must never create a gradebook)
    found = {}
    with Gradebook(db_url) as gradebook:
        try:
            submissions = gradebook.assignment_submissions(assignment)
        except MissingEntry:
            return {}
        for submission in submissions:
            for notebook in submission.notebooks:
                sources = None
                for grade in notebook.grades:
                    if grade.manual_score is not None and sources is None:
                        sources = _sources(course, assignment, submission.student.id, notebook.name)
                    text = (sources or {}).get(grade.name) if grade.manual_score is not None else None
                    found[Cell(submission.student.id, notebook.name, grade.name)] = State(
                        grade.score, grade.auto_score, grade.manual_score, not grade.needs_manual_grade, text)
    return found


def settle(course: Path, assignment: str, db_url: str, before: dict[Cell, State]) -> Changes:
    """After a run: resolve again what needs no second look, and say what changed (module docstring)."""
    after = snapshot(course, assignment, db_url)
    changes = Changes()
    for cell in sorted(before.keys() & after.keys()):
        old, new = before[cell], after[cell]
        if old.score != new.score:
            changes.scores.append((cell, old.score, new.score))
        if old.manual_score is None or not old.resolved or new.resolved:
            continue
        if new.source != old.source:
            changes.review.append((cell, "the answer is not the one that was graded (a resubmission?)"))
        elif new.auto_score != old.auto_score:
            changes.review.append((cell, f"its automatic score changed ({_points(old.auto_score)} -> "
                                         f"{_points(new.auto_score)}) under your hand score "
                                         f"{_points(new.manual_score)}"))  # fmt: skip
        else:
            changes.kept.append(cell)
    if changes.kept:
        with Gradebook(db_url) as gradebook:
            for cell in changes.kept:
                grade = gradebook.find_grade(cell.grade_id, cell.notebook, assignment, cell.trainee)
                grade.needs_manual_grade = False
            gradebook.db.commit()
    return changes


def _points(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def format_changes(changes: Changes) -> str:
    """The lines a supervisor reads after a regrade (empty when nothing graded before changed)."""
    lines = []
    if changes.scores:
        count = len(changes.scores)
        lines.append(f"{count} score{'s' if count != 1 else ''} changed (before -> after):")
        lines += [f"  {c.trainee:<16} {c.grade_id:<20} {_points(old)} -> {_points(new)}"
                  for c, old, new in changes.scores]  # fmt: skip
    if changes.kept:
        lines.append(f"Graded by hand and unchanged, so still resolved in formgrader: {len(changes.kept)}.")
    if changes.review:
        lines.append("Graded by hand, to look at again in formgrader:")
        lines += [f"  {c.trainee:<16} {c.grade_id:<20} {why}" for c, why in changes.review]
    return "\n".join(lines)
