"""Scoring in the grader's own process, after the trainee's notebook has run.

The trainee's kernel never sees a key, a key's path or any scoring code (autograde runs it in a sandbox
that hides them, :mod:`trauma_curriculum.supervisor.sandbox`). This preprocessor runs right after
nbgrader's ``Execute``: for each check cell ``<q>-check`` it reads the answer cell ``<q>-answer`` *as
saved in the notebook* (the same text the visible check read), scores it against the key, and replaces
the check cell's outputs with the one line the trainee saw and the score, which nbgrader then records
(a test cell's result value is its partial credit). Nothing the kernel printed or computed can change a
score. Each check cell also records what was read (``metadata.trauma_curriculum``), for the problems
list and the report.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool

from ...core.answers import read_answer_cell
from ...course import keys_dir
from ..keys import load_key
from ..scoring import score

#: Where a check cell records what the grader read.
READING = "trauma_curriculum"


def _by_grade_id(nb) -> dict[str, object]:
    return {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in nb.cells}


class ScoreAnswers(Preprocessor):
    """Score every check cell from its answer cell's text and the key (see the module docstring)."""

    enabled = Bool(True, help="on by default: nbgrader registers these preprocessors without enabling them")

    def preprocess(self, nb, resources):
        key = load_key(resources["nbgrader"]["assignment"], keys_dir())
        cells = _by_grade_id(nb)
        for question, item in key.questions.items():
            check = cells.get(f"{question}-check")
            if check is None:  # a deleted check: no grade, and the problems list says so
                continue
            answer = cells.get(f"{question}-answer")
            reading = read_answer_cell(question, item.kind, answer.source if answer is not None else "",
                                       rated=question in key.vignettes)  # fmt: skip
            points = score(key, question, reading.typed) if reading.status == "valid" else 0.0
            check.outputs = [
                new_output("stream", name="stdout", text=reading.message + "\n"),
                new_output("execute_result", data={"text/plain": repr(points)}, execution_count=check.get("execution_count")),
            ]  # fmt: skip
            check.metadata[READING] = {"status": reading.status, "answer": reading.typed[:200],
                                       "confidence": reading.confidence}  # fmt: skip
        return nb, resources
