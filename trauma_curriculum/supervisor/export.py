"""The grades export (``trauma-curriculum export``, what ``make export`` runs): a ``grades.csv`` in which
no 0 is left unexplained.

nbgrader's own ``export`` gives a corrupt notebook, a blank one, a missing one and an answer nobody has
graded yet the same 0.0, and a late submission a penalty of 0.0 with no sign that it was late. This
export keeps nbgrader's columns (assignment, trainee, names, score, maximum, late penalty) and adds what
a supervisor or a programme office needs to read them: ``status`` (one phrase: graded, not yet graded,
blank, corrupt notebook, missing notebook, not autograded, no submission), ``problems`` (every problem
kind :func:`~trauma_curriculum.supervisor.problems.find_problems` names for that submission),
``ungraded`` and ``ungraded_cells`` (how many cells still wait for a person, and which), and ``due``,
``submitted`` and ``minutes_late``. A score is left empty, not 0, where nothing was graded.

The CSV goes through :mod:`.tables`, so a name or id that looks like a formula stays text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from . import tables
from .problems import find_problems
from .returns import ungraded

COLUMNS = ("assignment", "trainee", "first_name", "last_name", "score", "max_score", "status", "problems",
           "ungraded", "ungraded_cells", "due", "submitted", "minutes_late", "late_penalty")  # fmt: skip
#: Problems that decide a submission's status, most serious first (the others are listed, not a status).
STATUS_KINDS = ("no_submission", "missing_notebook", "not_autograded", "corrupt_notebook", "blank")


class ExportError(RuntimeError):
    """The export cannot be written: the message says what to do."""


@dataclass(frozen=True)
class _Record:
    """What the gradebook holds for one submission (``score`` None when there is none)."""

    score: float | None = None
    penalty: float | None = None
    submitted: str = ""
    minutes_late: int | None = None


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


def _record(gradebook: Gradebook, assignment: str, trainee: str) -> _Record:
    try:
        submission = gradebook.find_submission(assignment, trainee)
    except MissingEntry:
        return _Record()
    late = submission.total_seconds_late or 0
    return _Record(submission.score, submission.late_submission_penalty or 0.0, _when(submission.timestamp),
                   math.ceil(late / 60) if late > 0 else 0)  # fmt: skip


def grade_rows(course: Path, db_url: str, assignments: list[str] | None = None) -> list[dict[str, str]]:
    """One row per trainee and assignment (every trainee the gradebook or ``submitted/`` knows)."""
    with Gradebook(db_url) as gradebook:
        known = [a.name for a in gradebook.assignments]
        students = {s.id: (s.first_name or "", s.last_name or "") for s in gradebook.students}
    chosen = assignments or known
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise ExportError(f"{', '.join(unknown)}: not in the gradebook (it has: {', '.join(known) or 'none'})"
                          "; release and autograde it first, or leave it out")  # fmt: skip
    missing = [a for a in chosen if not (course / "release" / a).is_dir()]
    if missing:
        raise ExportError(f"{', '.join(missing)}: in the gradebook but with no release/ folder, so its "
                          "problems cannot be checked; run `make release`, or export the others with "
                          "--assignment")  # fmt: skip
    rows = []
    for assignment in chosen:
        problems: dict[str, list[str]] = {}
        for problem in find_problems(course, assignment, db_url):
            problems.setdefault(problem.trainee, []).append(problem.kind)
        waiting = ungraded(course, db_url, assignment)
        with Gradebook(db_url) as gradebook:
            due = gradebook.find_assignment(assignment).duedate
            maximum = gradebook.find_assignment(assignment).max_score
            for trainee in sorted(set(students) | set(problems)):
                kinds = list(dict.fromkeys(problems.get(trainee, [])))
                record = _record(gradebook, assignment, trainee)
                cells = waiting.get(trainee, [])
                status = next((k for k in STATUS_KINDS if k in kinds), None)
                status = status.replace("_", " ") if status else ("not yet graded" if cells else "graded")
                first, last = students.get(trainee, ("", ""))
                rows.append({
                    "assignment": assignment, "trainee": trainee, "first_name": first, "last_name": last,
                    "score": "" if record.score is None else f"{record.score - (record.penalty or 0):g}",
                    "max_score": f"{maximum:g}", "status": status, "problems": "; ".join(kinds),
                    "ungraded": str(len(cells)), "ungraded_cells": ", ".join(cells),
                    "due": _when(due), "submitted": record.submitted,
                    "minutes_late": "" if not due or record.minutes_late is None else str(record.minutes_late),
                    "late_penalty": "" if record.penalty is None else f"{record.penalty:g}",
                })  # fmt: skip
    return rows


def write_grades(rows: list[dict[str, str]], path: Path) -> None:
    tables.write_csv(path, rows, fieldnames=COLUMNS)
