"""Feedback that says "not yet graded" for an answer nobody has graded, never "Score: 0.0".

nbgrader's feedback page prints every graded cell's score, and a cell with no score at all prints as 0.
:class:`MarkUngraded` runs after ``GetGrades`` in ``GenerateFeedback.preprocessors``: for each cell the
gradebook holds no score for (:func:`~trauma_curriculum.supervisor.returns.is_ungraded`), it takes the
cell out of the scored cells (the page's template then shows the answer without a score), puts a note
under it, and leaves those points out of the page's total, with a note at the top that says so.
``trauma-curriculum feedback`` refuses to return such pages unless the supervisor passes
``--allow-ungraded``; this preprocessor makes the page honest either way.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from nbgrader.api import Gradebook, MissingEntry
from traitlets import Bool

from ..returns import is_ungraded

NOTE = "trauma_curriculum_not_yet_graded"


def _points(value: float) -> str:
    return f"{value:g} point{'s' if value != 1 else ''}"


def _note(text: str):
    cell = new_markdown_cell(text)
    cell.metadata[NOTE] = True
    return cell


class MarkUngraded(Preprocessor):
    """Show ungraded cells as "not yet graded" (see the module docstring)."""

    enabled = Bool(True, help="on by default: nbgrader registers these preprocessors without enabling them")

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        cells, waiting = [], 0.0
        with Gradebook(info["db_url"]) as gradebook:
            for cell in nb.cells:
                cells.append(cell)
                meta = cell.metadata.get("nbgrader", {})
                if not meta.get("grade"):
                    continue
                try:
                    grade = gradebook.find_grade(meta["grade_id"], info["notebook"], info["assignment"],
                                                 info["student"])  # fmt: skip
                except MissingEntry:
                    continue
                if is_ungraded(grade):
                    meta["grade"] = False  # the template prints no score for it
                    waiting += grade.max_score
                    cells.append(_note(f"**Not yet graded.** Your supervisor has not graded this answer yet "
                                       f"(out of {_points(grade.max_score)}); it is not in the score above."))
        if waiting:
            total = info["max_score"]
            info["max_score"] = total - waiting
            cells.insert(0, _note(f"**Grading is not finished.** {_points(waiting)} of this assignment's "
                                  f"{_points(total)} are not graded yet; the score above counts only the "
                                  f"{_points(total - waiting)} graded so far."))
        nb.cells = cells
        return nb, resources
