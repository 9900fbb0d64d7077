"""A synthetic cohort, so a supervisor can rehearse the whole grading cycle before a real one.

Every trainee is invented: an ability, a tendency to confuse attachment with relational trauma, and a
habit of confidence, from which their answers to the released assignments are drawn. A few submissions
are broken on purpose (corrupt, blank, missing, late, an answer of the wrong type) so that the grading
batch, the problems listing and the cohort report all have something to show. The same helpers build
the test suite's cohorts, so the tests and the rehearsal exercise one piece of code.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import nbformat

from ..core.answers import LAYER_CREDIT
from ..core.labels import LABELS
from ..course import keys_dir, nbgrader
from .authoring import ANSWER_STUB, CONFIDENCE_LINE
from .keys import Key, load_key

DEFAULT_TRAINEES = 32
DEFAULT_SEED = 2026

#: The due date the demo sets for every assignment, and the times trainees hand in (one of them late).
DUE = "2026-06-01 00:00:00 UTC"
ON_TIME = "2026-05-30 18:00:00.000000 UTC"
LATE = "2026-06-03 10:00:00.000000 UTC"

#: The attachment/relational confusion this curriculum most wants supervisors to see.
CONFUSABLE = {"attachment": "relational", "relational": "attachment", "both": "relational"}

WRITTEN_ANSWERS = (
    "Symptoms overlap, so the history decides: who harmed or failed the person, and when it began.",
    "The early bond with whoever raised the child is the attachment layer; later betrayals by other "
    "trusted people are relational, and when both are present they compound.",
    "I would ask who was involved and at what age before choosing a label, since the symptoms look alike.",
    "It is relational because it was a partner.",
    "",
)


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


def answered(release: Path, values: dict[str, str], written: str | None = None, raw: dict[str, str] | None = None,
             confidence: dict[str, object] | None = None):  # fmt: skip
    """The release notebook with answers filled in: ``values`` typed after ``answer:`` as a trainee types
    them, ``raw`` replacing a whole answer cell (what a trainee who deletes the magic line leaves),
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
    if written is not None:
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
                cell.source = written
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


def build_demo_cohort(course: Path, trainees: int = DEFAULT_TRAINEES, seed: int = DEFAULT_SEED) -> list[str]:
    """Write a synthetic cohort's submissions for every released assignment; return the trainee ids."""
    rng = random.Random(seed)
    keys = keys_dir(course)
    assignments = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())
    ids = [f"trainee{number:02d}" for number in range(1, trainees + 1)]
    broken = {("trainee07", "a2-vignette-sorting"): "corrupt", ("trainee13", "a1-foundations"): "blank",
              ("trainee21", "a3-case-formulation"): "missing", ("trainee28", "a2-vignette-sorting"): "late",
              ("trainee30", "a1-foundations"): "wrongtype"}  # fmt: skip
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
            kind = broken.get((trainee, assignment))
            written = rng.choice(WRITTEN_ANSWERS)
            if kind == "corrupt":
                submit(course, trainee, assignment, '{"cells": [ {"cell_type": "code", "sourc')
            elif kind == "blank":
                submit(course, trainee, assignment, nbformat.read(release, as_version=4))
            elif kind == "missing":
                submit(course, trainee, assignment, "I could not find the notebook to upload.", "note.txt")
            elif kind == "wrongtype":
                first = next(iter(items))
                submit(
                    course,
                    trainee,
                    assignment,
                    answered(release, {**values, first: "1"}, written),
                )
            else:
                submit(course, trainee, assignment, answered(release, values, written, confidence=confidence))
            submit(course, trainee, assignment, LATE if kind == "late" else ON_TIME, "timestamp.txt")
    return ids


def prepare_course(course: Path, force: bool = False) -> None:
    """Refuse to mix the demo with real submissions; give every assignment the demo's due date."""
    submitted = course / "submitted"
    if submitted.exists() and not force:
        real = [p.name for p in submitted.iterdir() if not p.name.startswith("trainee")]
        if real:
            raise SystemExit(f"submitted/ already holds real submissions ({', '.join(real[:3])}...); "
                             "rehearse in a copy of the course, or pass --force")  # fmt: skip
    for folder in ("submitted", "autograded", "feedback"):
        shutil.rmtree(course / folder, ignore_errors=True)
    for assignment in sorted(p.name for p in (course / "release").iterdir() if p.is_dir()):
        result = nbgrader(course, "db", "assignment", "add", assignment, f"--duedate={DUE}")
        if result.returncode:
            raise SystemExit(f"could not set the due date of {assignment}: {result.stderr.strip()[-300:]}")
