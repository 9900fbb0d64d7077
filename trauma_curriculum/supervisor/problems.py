"""After autograding: every submission with a problem, by trainee and by kind, with what to do about it.

nbgrader's CSV gives a broken notebook and a blank one the same 0. A supervisor needs to tell them apart,
so this module reads what nbgrader leaves behind (``release/``, ``submitted/``, ``autograded/`` and the
gradebook) and names each problem. It only reads; it never changes a grade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from . import tables
from .preprocessors.limits import CUT
from .preprocessors.scores import READING

#: Error names a cell interrupted for running too long leaves behind.
TIMEOUTS = {"CellTimeoutError", "KeyboardInterrupt", "TimeoutError"}

#: Each kind of problem, with what the supervisor can do about it.
ACTIONS: dict[str, str] = {
    "no_submission": "The trainee is in the gradebook but submitted nothing: follow up with them.",
    "missing_notebook": "The submission lacks this notebook, so it scored 0: ask for the notebook and regrade.",
    "corrupt_notebook": "The file is not a readable notebook, so it scored 0: ask the trainee to resubmit "
    "from their own copy, then regrade that trainee.",
    "not_autograded": "Submitted but not autograded: run `trauma-curriculum regrade <assignment> --trainee "
    "<id>` and read its log.",
    "deleted_check": "A check cell was deleted, so nbgrader could not grade that item (no score): grade it "
    "by hand in formgrader, or ask for a resubmission.",
    "tampered_cell": "A locked cell was edited; autograde restored it from the gradebook, so the grade is "
    "fair. Worth a conversation, no regrading needed.",
    "timed_out": "A cell ran past the time limit and was interrupted; later checks may have failed as a "
    "result. Look at the answer cell in formgrader.",
    "invalid_answer": "An answer could not be read as one of the allowed answers (for example not one of the "
    "labels), so it scored 0. Decide whether to accept a corrected answer.",
    "output_cut": "A cell printed far more than a notebook should hold, so its output was cut with a note "
    "(the grade is unaffected). Worth a look at what the code did.",
    "extra_file": "A file that is not part of the assignment was submitted; grading ignored it. Check that "
    "nothing meant for grading is in it.",
    "late": "Submitted after the due date: apply the course's late policy.",
    "blank": "Blank, not broken: the trainee submitted without answering anything.",
}


@dataclass(frozen=True)
class Problem:
    trainee: str
    assignment: str
    kind: str
    detail: str

    @property
    def action(self) -> str:
        return ACTIONS[self.kind]


def _grade_ids(notebook, **flags) -> dict[str, str]:
    """grade_id -> source for cells whose nbgrader metadata has all ``flags`` set."""
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") and all(meta.get(flag) == value for flag, value in flags.items()):
            found[meta["grade_id"]] = cell.source
    return found


def _check_notebook(
    trainee: str, assignment: str, release, submitted: Path, autograded: Path
) -> list[Problem]:
    problems = []
    name = submitted.name
    try:
        notebook = nbformat.read(submitted, as_version=4)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same problem for a supervisor
        return [Problem(trainee, assignment, "corrupt_notebook", f"{name}: {type(error).__name__}")]
    mine = _grade_ids(notebook)
    for grade_id in _grade_ids(release, grade=True, solution=False):
        if grade_id not in mine:
            problems.append(Problem(trainee, assignment, "deleted_check", f"{name}: {grade_id}"))
    for grade_id, source in _grade_ids(release, locked=True).items():
        if grade_id in mine and mine[grade_id].strip() != source.strip():
            problems.append(Problem(trainee, assignment, "tampered_cell", f"{name}: {grade_id}"))
    answers = _grade_ids(release, solution=True)
    blank = bool(answers) and all(mine.get(g, "").strip() == source.strip() for g, source in answers.items())
    if blank:
        problems.append(Problem(trainee, assignment, "blank", name))
    if not autograded.exists():
        problems.append(Problem(trainee, assignment, "not_autograded", name))
        return problems
    for cell in nbformat.read(autograded, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
        if cell.metadata.get(CUT):
            problems.append(Problem(trainee, assignment, "output_cut", f"{name}: {grade_id}: {cell.metadata[CUT]:,} bytes"))
        reading = cell.metadata.get(READING, {})
        if reading.get("status") == "invalid" and not blank:
            problems.append(Problem(trainee, assignment, "invalid_answer",
                                    f"{name}: {grade_id.removesuffix('-check')}: \u201c{reading.get('answer', '')}\u201d"))  # fmt: skip
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") in TIMEOUTS:
                problems.append(Problem(trainee, assignment, "timed_out", f"{name}: {grade_id}"))
    return list(dict.fromkeys(problems))


def find_problems(course: Path, assignment: str, db_url: str) -> list[Problem]:
    """Every problem with every trainee's submission of ``assignment``, sorted by trainee and kind."""
    release_dir = course / "release" / assignment
    if not release_dir.is_dir():
        raise FileNotFoundError(f"no release/{assignment}/ in {course}: is the assignment name right?")
    expected = {path.name: nbformat.read(path, as_version=4) for path in sorted(release_dir.glob("*.ipynb"))}
    released_files = {path.name for path in release_dir.iterdir()}
    submitted_root = course / "submitted"
    trainees = (
        sorted(p.name for p in submitted_root.iterdir() if (p / assignment).is_dir())
        if submitted_root.is_dir()
        else []
    )
    problems: list[Problem] = []
    with Gradebook(db_url) as gradebook:
        for student in gradebook.students:
            if student.id not in trainees:
                problems.append(Problem(student.id, assignment, "no_submission", ""))
        try:
            duedate = gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            duedate = None
        for trainee in trainees:
            folder = submitted_root / trainee / assignment
            for name, release in expected.items():
                path = folder / name
                if not path.exists():
                    problems.append(Problem(trainee, assignment, "missing_notebook", name))
                    continue
                autograded = course / "autograded" / trainee / assignment / name
                problems += _check_notebook(trainee, assignment, release, path, autograded)
            for extra in sorted(
                p.name for p in folder.iterdir() if p.name not in released_files | {"timestamp.txt"}
            ):
                problems.append(Problem(trainee, assignment, "extra_file", extra))
            try:
                submission = gradebook.find_submission(assignment, trainee)
            except MissingEntry:
                continue
            if (
                duedate
                and submission.timestamp
                and submission.timestamp.replace(tzinfo=UTC) > duedate.replace(tzinfo=UTC)
            ):
                problems.append(
                    Problem(trainee, assignment, "late", f"submitted {submission.timestamp:%Y-%m-%d %H:%M}")
                )
    return sorted(problems, key=lambda p: (p.trainee, p.kind, p.detail))


def format_problems(problems: Iterable[Problem]) -> str:
    """A plain-text listing by trainee, each problem with what to do."""
    problems = list(problems)
    if not problems:
        return "No problems: every submission was read and autograded."
    lines, trainee = [], None
    for problem in problems:
        if problem.trainee != trainee:
            trainee = problem.trainee
            lines.append(f"\n{trainee}")
        lines.append(f"  {problem.kind:<17} {problem.detail}\n  {'':<17} -> {problem.action}")
    return "\n".join(lines).lstrip()


def write_csv(problems: Iterable[Problem], path: Path) -> None:
    """The list as CSV, formulas neutralised (trainee ids and file names come from trainees)."""
    tables.write_csv(path, [{**asdict(problem), "action": problem.action} for problem in problems],
                     fieldnames=["trainee", "assignment", "kind", "detail", "action"])  # fmt: skip
