"""What trainees see in generated feedback: their errors' messages, never the code behind them, and never
a grader-only rubric.

nbgrader's ``ClearHiddenTests`` removes hidden test code from cell sources, but a Python traceback quotes
the failing cell's lines, hidden ones included. :class:`ErrorsWithoutCode` runs after it in
``GenerateFeedback.preprocessors`` and keeps only each error's name and message, which the answer checks
write so that they never name the expected answer.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .rubrics import GRADER_ONLY


class ErrorsWithoutCode(Preprocessor):
    """Replace every error output's traceback with its one-line message."""

    enabled = Bool(
        True, help="on by default: nbgrader registers feedback preprocessors without enabling them"
    )

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


class RemoveGraderOnlyCells(Preprocessor):
    """Delete the rubric cells that :class:`.rubrics.AddRubrics` put in for graders."""

    enabled = Bool(
        True, help="on by default: nbgrader registers feedback preprocessors without enabling them"
    )

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if not cell.metadata.get(GRADER_ONLY)]
        return nb, resources
