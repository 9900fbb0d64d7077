"""Autograde a cohort (``trauma-curriculum autograde A``, what ``make grade`` runs): checked first, in
parallel, quietly.

Before anything is graded, everything that would otherwise fail for every trainee, or silently score
everyone 0, is checked and reported in one line naming the file and the fix: the key (every question,
kind and vignette), the key against the release's check cells, the gradebook (missing, empty, corrupt
or locked by another program), and the sandbox (bubblewrap; ``--unsafe`` grades without it). A failed
check touches no stored grade and no autograded notebook.

Then the trainees are split over ``--jobs`` worker processes (default: one per core). Each worker keeps
one nbgrader API, so imports are paid once per worker, not once per trainee (nbgrader issue #174: stock
autograde grades one submission after another). Workers never share a trainee, so nothing is graded
twice; every kernel talks over its own IPC socket inside the sandbox, so no two kernels can collide on
a TCP port; the SQLite gradebook waits for its lock rather than failing. nbgrader's log goes to a file
under the course (its path is printed), and the screen shows a progress bar and a summary.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course import CONFIG, keys_dir
from .keys import AnswerKeyError, load_key

LOGS = Path("logs")
#: How long a worker waits for the SQLite gradebook's write lock before giving up.
LOCK_WAIT_S = 60


class CannotGrade(RuntimeError):
    """Grading cannot start: one line naming what is wrong and what to do. Nothing was changed."""


@dataclass
class Outcome:
    trainee: str
    ok: bool
    seconds: float
    error: str = ""


@dataclass
class Summary:
    assignment: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    log: Path | None = None

    @property
    def failed(self) -> list[str]:
        return [o.trainee for o in self.outcomes if not o.ok]


def course_config(course: Path):
    from traitlets.config import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG, path=str(course)).load_config()


def check_key_against_release(course: Path, assignment: str) -> None:
    """Every key question has an answer and a check cell in the release, and every check cell a question."""
    key = load_key(assignment, keys_dir(course))
    release = course / "release" / assignment
    notebooks = sorted(release.glob("*.ipynb"))
    if not notebooks:
        raise CannotGrade(f"{release}: no released notebook; run `make release` (nbgrader generate_assignment {assignment})")
    ids = {c.metadata.get("nbgrader", {}).get("grade_id") for nb in notebooks for c in nbformat.read(nb, as_version=4).cells}
    for question in key.questions:
        for part in ("answer", "check"):
            if f"{question}-{part}" not in ids:
                raise CannotGrade(f"{key.path}: question {question!r} has no cell {question}-{part} in {release}; "
                                  "correct the key or run `make sync` and `make release`")  # fmt: skip
    extra = sorted(i.removesuffix("-check") for i in ids if i and i.endswith("-check") and i.removesuffix("-check") not in key.questions)
    if extra:
        raise CannotGrade(f"{key.path}: check cells {extra} of {release} have no question in the key; add them to the key")


def check_gradebook(db_url: str) -> None:
    """A SQLite gradebook that is empty, not a database, or locked stops the run before anything changes."""
    if not db_url.startswith("sqlite:///"):
        return
    path = Path(db_url.removeprefix("sqlite:///").split("?")[0])
    if not path.exists():
        return  # nbgrader creates it
    if path.stat().st_size == 0:
        raise CannotGrade(f"{path}: the gradebook is an empty file; restore it from a backup, or delete it to start "
                          "a new one (every grade in it would be lost)")  # fmt: skip
    try:
        with sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5) as db:
            db.execute("BEGIN IMMEDIATE")  # takes the write lock, as grading will
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.rollback()
    except sqlite3.DatabaseError as error:
        if "locked" in str(error):
            raise CannotGrade(f"{path}: the gradebook is locked by another program (formgrader saving, or another "
                              "grading run); wait for it to finish, or close it, and run again") from None
        raise CannotGrade(f"{path}: not a readable gradebook ({error}); restore it from a backup") from None


def check_generated(db_url: str, assignment: str) -> None:
    """nbgrader grades only notebooks its gradebook knows from ``generate_assignment``; without them it
    fails every submission with "Skipping unknown notebook"."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            known = gradebook.find_assignment(assignment).notebooks
        except MissingEntry:
            known = []
    if not known:
        raise CannotGrade(f"the gradebook has no notebooks of {assignment}: run `make release` (nbgrader "
                          f"generate_assignment {assignment}) in this course first")  # fmt: skip


def check_sandbox(unsafe: bool) -> None:
    from .sandbox import UNSAFE_ENV, sandbox_available

    problem = sandbox_available()
    if problem and not unsafe:
        raise CannotGrade(f"{problem}. Trainee code is graded only inside the sandbox; pass --unsafe to grade "
                          "without it, on a machine with no other trainees' data or keys you need to protect")  # fmt: skip
    if unsafe:
        os.environ[UNSAFE_ENV] = "1"


def submitted_trainees(course: Path, assignment: str, trainee: str | None = None) -> list[str]:
    root = course / "submitted"
    found = sorted(p.parent.name for p in root.glob(f"*/{assignment}") if p.is_dir()) if root.is_dir() else []
    if trainee is not None:
        if trainee not in found:
            raise CannotGrade(f"{root / trainee / assignment}: no submission from {trainee!r} to grade")
        return [trainee]
    return found


_API = None
_LOG = ""


def _worker_init(course: str, log: str) -> None:
    """One nbgrader API per worker process, logging to the run's file."""
    global _API, _LOG
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    os.chdir(course)
    _LOG = log
    logging.basicConfig(filename=log, level=logging.INFO, force=True)
    logging.captureWarnings(True)  # nbgrader's own warnings (SQLAlchemy autoflush notes) go to the log too
    config = course_config(Path(course))
    url = config.CourseDirectory.db_url
    if url.startswith("sqlite:///") and "timeout=" not in url:
        config.CourseDirectory.db_url = f"{url}{'&' if '?' in url else '?'}timeout={LOCK_WAIT_S}"
    _API = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _grade_one(assignment: str, trainee: str) -> Outcome:
    start = time.monotonic()
    result = _API.autograde(assignment, trainee, force=True, create=True)
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(f"\n===== {trainee} =====\n{result.get('log', '')}\n{result.get('error', '')}\n")
    return Outcome(trainee, bool(result.get("success")), time.monotonic() - start, (result.get("error") or "")[-400:])


def autograde(course: Path, assignment: str, *, trainee: str | None = None, jobs: int | None = None,
              unsafe: bool = False, progress=None) -> Summary:  # fmt: skip
    """Check, then autograde every submission of ``assignment`` (or one trainee's); see the module docstring."""
    try:
        load_key(assignment, keys_dir(course))
    except AnswerKeyError as error:
        raise CannotGrade(str(error)) from None
    check_key_against_release(course, assignment)
    config = course_config(course)
    check_gradebook(config.CourseDirectory.db_url)
    check_generated(config.CourseDirectory.db_url, assignment)
    check_sandbox(unsafe)
    trainees = submitted_trainees(course, assignment, trainee)
    log = course / LOGS / f"autograde-{assignment}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log.parent.mkdir(exist_ok=True)
    summary = Summary(assignment, log=log)
    start = time.monotonic()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(trainees) or 1))
    with ProcessPoolExecutor(jobs, initializer=_worker_init, initargs=(str(course), str(log))) as pool:
        futures = [pool.submit(_grade_one, assignment, name) for name in trainees]
        for future in as_completed(futures):
            summary.outcomes.append(future.result())
            if progress:
                progress()
    summary.outcomes.sort(key=lambda o: o.trainee)
    summary.seconds = time.monotonic() - start
    return summary


def readable(course: Path, assignment: str, trainee: str) -> bool:
    """Whether a trainee's submission has notebooks nbgrader can read (a corrupt one is a problem, not a
    failure of the run)."""
    notebooks = sorted((course / "submitted" / trainee / assignment).glob("*.ipynb"))
    try:
        for path in notebooks:
            nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable file is the trainee's problem, listed as such
        return False
    return bool(notebooks)


def format_summary(summary: Summary, problems) -> str:
    """The few lines a supervisor reads: graded, problems by kind, time, where the log is."""
    graded = sum(o.ok for o in summary.outcomes)
    kinds = Counter(problem.kind for problem in problems)
    listed = ", ".join(f"{kind.replace('_', ' ')} {count}" for kind, count in sorted(kinds.items())) or "none"
    lines = [f"{summary.assignment}: {graded} of {len(summary.outcomes)} submissions autograded in "
             f"{summary.seconds:.0f} s; problems: {listed}.", f"nbgrader's log: {summary.log}"]  # fmt: skip
    return "\n".join(lines)
