"""Returning feedback (``trauma-curriculum feedback A``, what ``make feedback`` runs): never while answers
still wait for a supervisor, unless the supervisor says so.

nbgrader's ``generate_feedback`` writes a page for every autograded submission whatever the state of
hand grading, and an answer nobody has graded yet shows as "Score: 0.0": a trainee reads it as a fail.
So this command first asks the gradebook which graded cells have no score at all (neither autograded
nor given by hand), and refuses, naming each trainee and cell, while any remain. With
``--allow-ungraded`` it warns and goes on, and the feedback itself says "not yet graded" for those cells
(:class:`~trauma_curriculum.supervisor.preprocessors.ungraded.MarkUngraded`, which shares
:func:`is_ungraded` with this module and with the grades export).
"""

from __future__ import annotations

import time
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..course import nbgrader
from .autograde import LOGS


def is_ungraded(grade) -> bool:
    """Whether a graded cell still waits for a person: no hand score and no automatic one (a written
    answer the trainee changed; a check cell a trainee deleted). A blank written answer is scored 0 by
    nbgrader at autograding, which is a fair grade, not a missing one."""
    return grade.manual_score is None and grade.auto_score is None


def ungraded(course: Path, db_url: str, assignment: str) -> dict[str, list[str]]:
    """trainee -> the grade ids of their cells in ``assignment`` that nobody has graded yet, in notebooks
    that were autograded (a corrupt or missing notebook has no grade at all, and no feedback page: the
    problems list says what to do about it)."""
    waiting: dict[str, list[str]] = {}
    with Gradebook(db_url) as gradebook:
        try:
            submissions = gradebook.assignment_submissions(assignment)
        except MissingEntry:
            return {}
        for submission in submissions:
            trainee = submission.student.id
            for notebook in submission.notebooks:
                if not (course / "autograded" / trainee / assignment / f"{notebook.name}.ipynb").is_file():
                    continue
                names = [grade.name for grade in notebook.grades if is_ungraded(grade)]
                if names:
                    waiting.setdefault(trainee, []).extend(names)
    return dict(sorted(waiting.items()))


def format_ungraded(assignment: str, waiting: dict[str, list[str]]) -> str:
    """One line per trainee: who is waiting, and for which cells."""
    count = sum(len(cells) for cells in waiting.values())
    lines = [f"{assignment}: {count} answer{'s' if count != 1 else ''} of {len(waiting)} trainee"
             f"{'s' if len(waiting) != 1 else ''} not graded yet:"]  # fmt: skip
    lines += [f"  {trainee}: {', '.join(cells)}" for trainee, cells in waiting.items()]
    return "\n".join(lines)


def generate_feedback(course: Path, assignment: str) -> tuple[bool, Path, int]:
    """Run ``nbgrader generate_feedback`` for one assignment, its log to a file under the course.
    Returns (success, the log's path, how many feedback pages there are now)."""
    log = course / LOGS / f"feedback-{assignment}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log.parent.mkdir(exist_ok=True)
    result = nbgrader(course, "generate_feedback", assignment, "--force")
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    pages = len(list((course / "feedback").glob(f"*/{assignment}/*.html")))
    return result.returncode == 0, log, pages
