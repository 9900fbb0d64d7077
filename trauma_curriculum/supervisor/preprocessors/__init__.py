"""nbgrader preprocessors, one per file, named in ``nbgrader_config.py``: rubrics for graders at
autograding, and what feedback may show (errors without code, no grader-only cells)."""

from .feedback import ErrorsWithoutCode, RemoveGraderOnlyCells
from .rubrics import AddRubrics

__all__ = ["AddRubrics", "ErrorsWithoutCode", "RemoveGraderOnlyCells"]
