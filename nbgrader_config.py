"""nbgrader configuration for the trauma-curriculum course (this folder is the course directory).

Paths come from this file's own location, so the same file works in a clone, a temporary course
directory in the tests, or a supervisor's copy. Trainee data (the gradebook, submissions, the exchange)
lives only in git-ignored places.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import ClearHiddenTests, Execute, GetGrades

from trauma_curriculum.supervisor.authoring import ANSWER_STUB
from trauma_curriculum.supervisor.preprocessors.ungraded import MarkUngraded
from trauma_curriculum.supervisor.preprocessors import (
    AddRubrics,
    ErrorsWithoutCode,
    LimitOutputSize,
    RemoveGraderOnlyCells,
    SandboxedExecute,
    ScoreAnswers,
)

c = get_config()  # noqa: F821  (nbgrader provides get_config when it loads this file)

ROOT = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "trauma-curriculum"
c.CourseDirectory.root = str(ROOT)
# The gradebook holds trainee grades: git ignores it. Point TRAUMA_CURRICULUM_DB_URL elsewhere to keep
# several cohorts apart, for example sqlite:////home/supervisor/cohort-2027.db
c.CourseDirectory.db_url = os.environ.get("TRAUMA_CURRICULUM_DB_URL", f"sqlite:///{ROOT / 'gradebook.db'}")

# A local exchange inside an ignored folder, so JupyterLab's assignment list works without a shared
# /srv/nbgrader/exchange (and logs no unwritable-exchange error).
EXCHANGE = ROOT / ".exchange"
EXCHANGE.mkdir(exist_ok=True)
c.Exchange.root = str(EXCHANGE)

# Per-cell time limit while autograding (nbgrader 0.9 reads Execute.timeout, not
# ExecutePreprocessor.timeout): an endless loop is interrupted and the rest of the notebook still runs.
c.Execute.timeout = int(os.environ.get("TRAUMA_CURRICULUM_CELL_TIMEOUT", "60"))

# An answer cell holds plain words under the %%answer magic: the release shows an empty "answer: " line
# where the source has the solution.
c.ClearSolutions.code_stub = {"python": ANSWER_STUB}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE (a supervisor will read it)"

# Output past a bound is cut (LimitOutputSize). Scores are computed in this (the grader's) process right after the trainee's notebook has run, from the
# answer cells' text and the key, never in the trainee's kernel; graders see each written answer's rubric
# beside it in formgrader (added to the autograded notebook).
_STOCK = Autograde.class_traits()["autograde_preprocessors"].default()
_AT = _STOCK.index(Execute)
c.Autograde.autograde_preprocessors = [*_STOCK[:_AT], SandboxedExecute, LimitOutputSize, ScoreAnswers,
                                       *_STOCK[_AT + 1 :], AddRubrics]

# Feedback never shows hidden test code or a rubric: ClearHiddenTests removes the code from the cells,
# ErrorsWithoutCode from tracebacks (which quote the failing cell's lines), RemoveGraderOnlyCells the rubrics.
# MarkUngraded shows an answer nobody has graded yet as "not yet graded", never as a score of 0.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    CSSHTMLHeaderPreprocessor,
    ClearHiddenTests,
    ErrorsWithoutCode,
    LimitOutputSize,
    RemoveGraderOnlyCells,
    MarkUngraded,
]
