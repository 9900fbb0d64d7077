"""nbgrader preprocessors, one per file, named in ``nbgrader_config.py``: scores from the key in the
grader's process, execution in the sandbox, a bound on output size, rubrics for graders at autograding, and what feedback may show (errors without code,
no grader-only cells)."""

from .execute import SandboxedExecute
from .feedback import ErrorsWithoutCode, RemoveGraderOnlyCells
from .limits import LimitOutputSize
from .rubrics import AddRubrics
from .scores import ScoreAnswers

__all__ = ["AddRubrics", "ErrorsWithoutCode", "LimitOutputSize", "RemoveGraderOnlyCells", "SandboxedExecute", "ScoreAnswers"]
