"""Rubrics for written answers, shown to graders in formgrader and to nobody else.

nbgrader has no place for a rubric. :class:`AddRubrics` runs last among the autograde preprocessors and
puts a grader-only markdown cell (the point bands and a model answer, read from the key file in
``answer-keys/``) right after each hand-graded answer of the autograded notebook, which is the notebook
formgrader shows. The cell never exists in ``source/`` or ``release/``, and
:class:`.feedback.RemoveGraderOnlyCells` deletes it
before feedback is generated.

Key file section::

    written:
      <grade_id of the answer cell>:
        points: 3
        rubric: [{points: 3, criteria: "..."}, {points: 2, criteria: "..."}, ...]
        model_answer: "..."
"""

from __future__ import annotations

import html

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from traitlets import Bool

from ...course import keys_dir
from ..keys import Written, load_key

GRADER_ONLY = "trauma_curriculum_grader_only"


def rubric_markdown(grade_id: str, written: Written) -> str:
    """The grader-only cell's text for one written answer."""
    rows = "\n".join(f"| {band.points:g} | {html.escape(band.criteria)} |" for band in written.rubric)
    return (
        f"#### Rubric for `{grade_id}` (graders only: added at autograding, never in the release or feedback)\n\n"
        f"Out of {written.points:g} points.\n\n| points | criteria |\n|---|---|\n{rows}\n\n"
        f"**Model answer:** {written.model_answer or '(none)'}"
    )


class AddRubrics(Preprocessor):
    """Insert each written answer's rubric after it, for formgrader."""

    enabled = Bool(True, help="on by default: nbgrader registers these preprocessors without enabling them")

    def preprocess(self, nb, resources):
        written = load_key(resources["nbgrader"]["assignment"], keys_dir()).written
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "markdown" and grade_id in written:
                rubric = new_markdown_cell(rubric_markdown(grade_id, written[grade_id]))
                rubric.metadata[GRADER_ONLY] = True
                cells.append(rubric)
        nb.cells = cells
        return nb, resources
