"""nbgrader configuration for the trauma-curriculum course (this folder is the course directory).

Paths come from this file's own location, so the same file works in a clone, a temporary course
directory in the tests, or a supervisor's copy. Trainee data (the gradebook, submissions, the exchange)
lives only in git-ignored places.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from nbgrader.converters.autograde import Autograde

from trauma_curriculum.supervisor.preprocessors import AddRubrics, ErrorsWithoutCode, RemoveGraderOnlyCells

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

# Release stubs read as an empty answer to fill in, not as code: every answer sits between
# parentheses in the source, so the stub is an empty string a trainee types into.
c.ClearSolutions.code_stub = {"python": '""  # <- type your answer between the quotes'}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE (a supervisor will read it)"

# Graders see each written answer's rubric beside it in formgrader (added to the autograded notebook).
c.Autograde.autograde_preprocessors = [*Autograde.class_traits()["autograde_preprocessors"].default(), AddRubrics]

# Feedback never shows hidden test code or a rubric: ClearHiddenTests removes the code from the cells,
# ErrorsWithoutCode from tracebacks (which quote the failing cell's lines), RemoveGraderOnlyCells the rubrics.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    CSSHTMLHeaderPreprocessor,
    ClearHiddenTests,
    ErrorsWithoutCode,
    RemoveGraderOnlyCells,
]
