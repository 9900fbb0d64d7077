"""A synthetic cohort, so a supervisor can rehearse the whole grading cycle before a real one.

Every trainee is invented: a name, an ability, a tendency to confuse attachment with relational trauma,
and a habit of confidence, from which their answers to the released assignments are drawn; written
answers come in four qualities (strong, partial, off topic, blank: :mod:`.demo_answers`), so grading
against the rubric has something to do. A few submissions are broken on purpose (corrupt, blank,
missing, late, an answer of the wrong type) so that the grading batch, the problems listing, the export
and the cohort report all have something to show. The same helpers build the test suite's cohorts, so
the tests and the rehearsal exercise one piece of code.

Nothing real is ever lost: the demo writes only into a course with no submissions, grades or trainees
of its own, and with ``--force`` replaces only its own trainees (ids ``trainee01``... whose folder in
``submitted/`` carries the demo's marker file), never anyone else's.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from ..core.answers import LAYER_CREDIT
from ..core.labels import LABELS
from ..course import keys_dir, nbgrader
from .authoring import ANSWER_STUB, CONFIDENCE_LINE
from .autograde import check_generated, course_config
from .demo_answers import written_answer
from .gradebook import require_gradebook
from .keys import Key, load_key

DEFAULT_TRAINEES = 32
DEFAULT_SEED = 2026

#: The due date the demo sets for every assignment, and the times trainees hand in (one of them late).
DUE = "2026-06-01 00:00:00 UTC"
ON_TIME = "2026-05-30 18:00:00.000000 UTC"
LATE = "2026-06-03 10:00:00.000000 UTC"

#: The attachment/relational confusion this curriculum most wants supervisors to see.
CONFUSABLE = {"attachment": "relational", "relational": "attachment", "both": "relational"}

#: The demo's trainee ids, and the file in ``submitted/<id>/`` that says a folder is the demo's.
DEMO_ID = re.compile(r"trainee\d{2,}")
MARKER = ".demo-cohort"
#: Submissions broken on purpose: (trainee, assignment) -> what is wrong with it.
BROKEN = {("trainee07", "a2-vignette-sorting"): "corrupt", ("trainee13", "a1-foundations"): "blank",
          ("trainee21", "a3-case-formulation"): "missing", ("trainee28", "a2-vignette-sorting"): "late",
          ("trainee30", "a1-foundations"): "wrongtype"}  # fmt: skip
#: Invented names (none of them a case in the curriculum), paired so that every first name is used once.
FIRST_NAMES = ("Anouk", "Bilal", "Catalina", "Darius", "Elif", "Farid", "Greta", "Hiroshi", "Isabel",
               "Jovana", "Kamala", "Lucas", "Maelle", "Niamh", "Orla", "Perrin", "Quentin", "Rosa", "Samir",
               "Tamsin", "Umar", "Valentina", "Wiremu", "Xanthe", "Yara", "Zofia", "Aled", "Brigid", "Chidi",
               "Dagny", "Eero", "Fiona")  # fmt: skip
LAST_NAMES = ("Adeyemi", "Bergstrom", "Castillo", "Dubois", "Eriksen", "Fitzgerald", "Gupta", "Haddad",
              "Ishikawa", "Jankowski", "Kowalczyk", "Lindqvist", "Mensah", "Novak", "O'Connell", "Petrov",
              "Quispe", "Rahman", "Silva", "Takahashi", "Umarov", "Vasquez", "Whitfield", "Xu", "Yilmaz",
              "Zielinski", "Abara", "Brennan", "Chaudhry", "Delacroix", "Ekwueme", "Forsyth")  # fmt: skip


class DemoRefused(RuntimeError):
    """The demo would mix with, or replace, something that is not its own: one line saying what to do."""


def demo_ids(trainees: int) -> list[str]:
    return [f"trainee{number:02d}" for number in range(1, trainees + 1)]


def demo_name(trainee: str) -> tuple[str, str]:
    """The invented (first, last) name of a demo trainee."""
    index = int(trainee.removeprefix("trainee")) - 1
    last = (7 * index + index // len(LAST_NAMES)) % len(LAST_NAMES)
    return FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[last]


def right(key: Key, question: str) -> str:
    """The right answer to a key's question, as a trainee would type it between the quotes."""
    answer = key.answer(question)
    return ("True" if answer else "False") if key.questions[question].kind == "bool" else str(answer)


def wrong(key: Key, question: str, choose=None) -> str:
    """A valid answer that earns nothing (``choose`` picks among them; the first by default)."""
    kind, expected = key.questions[question].kind, key.answer(question)
    if kind == "bool":
        return "False" if expected else "True"
    if kind.startswith("choice:"):
        options = [letter for letter in kind.removeprefix("choice:") if letter != expected]
    else:
        options = [label for label in LABELS if label != expected and (expected, label) not in LAYER_CREDIT]
    return (choose or (lambda values: values[0]))(options)


def half(key: Key, question: str) -> str | None:
    """A label that earns half the points (one layer of a layered history), if the item allows it."""
    if key.questions[question].partial != "layers":
        return None
    return next((given for (expected, given) in LAYER_CREDIT if expected == key.answer(question)), None)


def grade_cell(notebook, grade_id: str):
    """The cell with this nbgrader grade_id."""
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answered(release: Path, values: dict[str, str], written: str | dict[str, str | None] | None = None,
             raw: dict[str, str] | None = None, confidence: dict[str, object] | None = None):  # fmt: skip
    """The release notebook with answers filled in: ``values`` typed after ``answer:`` as a trainee types
    them, ``written`` the text of every written answer (or grade_id -> text; None leaves a cell as
    released), ``raw`` replacing a whole answer cell (what a trainee who deletes the magic line leaves),
    ``confidence`` typed on an item's confidence line."""
    notebook = nbformat.read(release, as_version=4)
    for question, value in values.items():
        cell = grade_cell(notebook, f"{question}-answer")
        cell.source = cell.source.replace(ANSWER_STUB, f"{ANSWER_STUB}{value}", 1)
    for question, code in (raw or {}).items():
        grade_cell(notebook, f"{question}-answer").source = code
    for question, rating in (confidence or {}).items():
        cell = grade_cell(notebook, f"{question}-answer")
        cell.source = cell.source.replace(CONFIDENCE_LINE, f"{CONFIDENCE_LINE}{rating}", 1)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            text = written.get(meta["grade_id"]) if isinstance(written, dict) else written
            if text is not None:
                cell.source = text
    return notebook


def submit(course: Path, trainee: str, assignment: str, content, filename: str | None = None) -> Path:
    """Place a file where ``nbgrader autograde`` looks (``content`` a notebook, text, or None for no file)."""
    folder = course / "submitted" / trainee / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if content is None:
        return folder
    path = folder / (filename or f"{assignment}.ipynb")
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        nbformat.write(content, path)
    return path


def _answer(key: Key, question: str, ability: float, confuser: float, rng: random.Random) -> str:
    vignette = key.vignettes.get(question)
    difficulty = vignette.difficulty if vignette else 2
    expected, kind = key.answer(question), key.questions[question].kind
    if rng.random() < ability - 0.08 * (difficulty - 1):
        return right(key, question)
    if kind == "label" and expected in CONFUSABLE and rng.random() < confuser:
        return CONFUSABLE[expected]
    if kind == "label" and expected == "not_relational" and rng.random() < confuser:
        return "relational"  # another person was involved, but no relationship of trust
    return wrong(key, question, rng.choice)


def _written(assignment: str, notebook, ability: float, rng: random.Random) -> dict[str, str | None]:
    """grade_id -> this trainee's written answer (None: left blank, as released)."""
    found: dict[str, str | None] = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            draw = rng.random()
            quality = "blank" if draw < 0.07 else "off_topic" if draw < 0.15 else None
            if quality is None:
                skill = rng.random()
                quality = "strong" if skill < ability - 0.3 else "good" if skill < ability else "partial"
            found[meta["grade_id"]] = written_answer(assignment, meta["grade_id"], quality) or None
    return found


def build_demo_cohort(course: Path, trainees: int = DEFAULT_TRAINEES, seed: int = DEFAULT_SEED) -> list[str]:
    """Write a synthetic cohort's submissions for every released assignment; return the trainee ids."""
    rng, prose = random.Random(seed), random.Random(f"{seed}-written")
    keys = keys_dir(course)
    assignments = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())
    ids = demo_ids(trainees)
    for trainee in ids:
        ability, confuser = rng.uniform(0.45, 0.97), rng.uniform(0.2, 0.9)
        bias, rates = rng.uniform(-10, 25), rng.random() < 0.8
        for assignment in assignments:
            key = load_key(assignment, keys)
            items = key.questions
            release = course / "release" / assignment / f"{assignment}.ipynb"
            values = {q: _answer(key, q, ability, confuser, rng) for q in items}
            confidence = {}
            if rates and assignment.startswith("a2"):
                for q in items:
                    sure = 100 * ability + bias + rng.gauss(0, 12)
                    confidence[q] = int(min(100, max(0, round(sure, -1))))
            kind = BROKEN.get((trainee, assignment))
            written = _written(assignment, nbformat.read(release, as_version=4), ability, prose)
            if kind == "corrupt":
                submit(course, trainee, assignment, '{"cells": [ {"cell_type": "code", "sourc')
            elif kind == "blank":
                submit(course, trainee, assignment, nbformat.read(release, as_version=4))
            elif kind == "missing":
                submit(course, trainee, assignment, "I could not find the notebook to upload.", "note.txt")
            elif kind == "wrongtype":
                typed = {**values, next(iter(items)): "1"}
                submit(course, trainee, assignment, answered(release, typed, written))
            else:
                submit(course, trainee, assignment, answered(release, values, written, confidence=confidence))
            submit(course, trainee, assignment, LATE if kind == "late" else ON_TIME, "timestamp.txt")
        (course / "submitted" / trainee / MARKER).write_text("A synthetic trainee of the demo cohort.\n")
    return ids


def _demo_owned(course: Path, trainee: str) -> bool:
    return bool(DEMO_ID.fullmatch(trainee)) and (course / "submitted" / trainee / MARKER).is_file()


def _listed(names: list[str]) -> str:
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


@dataclass
class Prepared:
    """What :func:`prepare_course` found and did."""

    db_url: str
    replaced: list[str]


def prepare_course(course: Path, force: bool = False) -> Prepared:
    """Make the course ready for a demo cohort, or refuse (:class:`DemoRefused`) before changing anything.

    Refused: any trainee who is not the demo's, in ``submitted/``, ``autograded/``, ``feedback/`` or the
    gradebook (rehearse in a copy of the course instead); a previous demo cohort without ``force``; a
    gradebook that is unreadable, or that does not know the released notebooks (``make release`` first).
    Then, with ``force``, the previous demo's trainees are removed (their folders and gradebook records,
    nobody else's), and every assignment gets the demo's due date.
    """
    db_url = course_config(course).CourseDirectory.db_url
    require_gradebook(db_url, "run `make release` (nbgrader generate_assignment for each assignment) first")
    assignments = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())
    found = {p.name for folder in ("submitted", "autograded", "feedback") if (course / folder).is_dir()
             for p in (course / folder).iterdir() if p.is_dir()}  # fmt: skip
    for assignment in assignments:
        check_generated(db_url, assignment)
    with Gradebook(db_url) as gradebook:
        found |= {student.id for student in gradebook.students}
    real = sorted(name for name in found if not _demo_owned(course, name))
    if real:
        raise DemoRefused(f"this course already has trainees who are not the demo's ({_listed(real)}); "
                          "nothing was changed: rehearse in a copy of the course (cp -r), never beside "
                          "real trainees")  # fmt: skip
    previous = sorted(found)
    if previous and not force:
        raise DemoRefused(f"a demo cohort is already here ({_listed(previous)}); pass --force to replace it "
                          "(only the demo's own trainees are removed)")  # fmt: skip
    with Gradebook(db_url) as gradebook:
        for trainee in previous:
            if trainee in {s.id for s in gradebook.students}:
                gradebook.remove_student(trainee)
    for trainee in previous:
        for folder in ("submitted", "autograded", "feedback"):
            shutil.rmtree(course / folder / trainee, ignore_errors=True)
    for assignment in assignments:
        result = nbgrader(course, "db", "assignment", "add", assignment, f"--duedate={DUE}")
        if result.returncode:
            raise DemoRefused(f"could not set the due date of {assignment}: {result.stderr.strip()[-300:]}")
    return Prepared(db_url, previous)


def name_trainees(db_url: str, trainees: list[str]) -> None:
    """Give the demo's trainees their invented names in the gradebook (formgrader shows them)."""
    with Gradebook(db_url) as gradebook:
        for trainee in trainees:
            first, last = demo_name(trainee)
            gradebook.update_or_create_student(trainee, first_name=first, last_name=last)


def late_ones(course: Path, trainees: list[str]) -> list[tuple[str, str]]:
    """(trainee, assignment) of the demo's late submissions, among these trainees and released assignments."""
    released = {p.name for p in (course / "release").iterdir() if p.is_dir()}
    return [(t, a) for (t, a), kind in BROKEN.items() if kind == "late" and t in trainees and a in released]
