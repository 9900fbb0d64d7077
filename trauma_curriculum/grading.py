"""Grader-side scoring for the hidden checks of graded assignments.

The answer keys are *not* in this package: they live in the course's ``answer-keys/`` folder, which stays
with the supervisor (it is never in ``release/``, the trainee pack or an installed wheel). A hidden test
cell calls :func:`score`, whose value is the cell's points (nbgrader reads partial credit from a test
cell's last expression). Scoring never raises and never writes to stderr for a trainee's answer: a wrong
or unreadable answer simply earns 0, so feedback can show neither the key nor a traceback that names it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml

from .answers import InvalidAnswer, normalise

#: Set this to a folder of answer keys to grade outside the course directory.
KEYS_ENV = "TRAUMA_CURRICULUM_KEYS"
KEYS_DIRNAME = "answer-keys"


class AnswerKeyError(RuntimeError):
    """The grader's answer keys are missing or malformed: a setup problem for the supervisor to fix."""


def find_keys_dir(start: Path | None = None) -> Path:
    """The answer-keys folder: ``$TRAUMA_CURRICULUM_KEYS``, else the nearest ``answer-keys/`` above ``start``."""
    if os.environ.get(KEYS_ENV):
        return Path(os.environ[KEYS_ENV])
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / KEYS_DIRNAME).is_dir():
            return folder / KEYS_DIRNAME
    raise AnswerKeyError(
        f"no {KEYS_DIRNAME}/ folder above {start}; grade inside the course directory or set {KEYS_ENV}"
    )


@cache
def load_key(assignment: str, keys_dir: Path) -> dict:
    """Read and check one assignment's key file (``<keys_dir>/<assignment>.yaml``)."""
    path = keys_dir / f"{assignment}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswerKeyError(f"{path}: no answer key for assignment {assignment!r}") from None
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, dict):
        raise AnswerKeyError(f"{path}: field 'questions' must map question names to their keys")
    for name, item in questions.items():
        if not isinstance(item, dict) or not {"kind", "answer", "points"} <= set(item):
            raise AnswerKeyError(f"{path}: question {name!r} needs the fields kind, answer and points")
    return questions


def score(assignment: str, question: str, answer: object) -> float:
    """Points earned by ``answer`` to ``question``: the key's points when right, else 0.0."""
    item = load_key(assignment, find_keys_dir()).get(question)
    if item is None:
        raise AnswerKeyError(f"the answer key of {assignment!r} has no question {question!r}")
    try:
        given = normalise(item["kind"], answer)
    except InvalidAnswer:
        return 0.0
    return float(item["points"]) if given == normalise(item["kind"], item["answer"]) else 0.0
