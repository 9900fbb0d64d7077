"""What trainees see in generated feedback: their errors' messages, never the code behind them.

nbgrader's ``ClearHiddenTests`` removes hidden test code from cell sources, but a Python traceback quotes
the failing cell's lines, hidden ones included. :class:`ErrorsWithoutCode` runs after it in
``GenerateFeedback.preprocessors`` and keeps only each error's name and message, which the answer checks
write so that they never name the expected answer.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


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
