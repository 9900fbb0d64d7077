"""Grader-side scoring for the hidden checks of graded assignments.

The answer keys are *not* in this package: they live in the course's ``answer-keys/`` folder, which stays
with the supervisor (it is never in ``release/``, the trainee pack or an installed wheel). A hidden test
cell calls :func:`score`, whose value is the cell's points (nbgrader reads partial credit from a test
cell's last expression). Scoring never raises and never writes to stderr for a trainee's answer: a wrong
or unreadable answer simply earns 0, so feedback can show neither the key nor a traceback that names it.

A key file (``answer-keys/<assignment>.yaml``) maps question names to ``kind``, ``points`` and either
``answer`` or, for a sorted vignette, ``vignette``: the id of an assessment vignette, whose expert label
(checked against the definitions by the same loader as the practice bank) is the answer.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml

from .answers import InvalidAnswer, normalise
from .vignettes import ASSESSMENT_PREFIX, load_bank

#: Set this to a folder of answer keys to grade outside the course directory.
KEYS_ENV = "TRAUMA_CURRICULUM_KEYS"
KEYS_DIRNAME = "answer-keys"
ASSESSMENT_DIRNAME = "assessment-vignettes"

#: Partial credit for sorting (``partial: layers`` in a key): "both" shares one layer with "attachment"
#: and one with "relational", so naming one of the two layers earns half. A grading choice of this
#: curriculum, stated in the README; every other disagreement earns nothing.
LAYER_CREDIT = {
    ("both", "attachment"): 0.5,
    ("both", "relational"): 0.5,
    ("attachment", "both"): 0.5,
    ("relational", "both"): 0.5,
}


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


def load_assessment_bank(keys_dir: Path) -> dict[str, object]:
    """The assessment vignettes, by id (the same loader and checks as the practice bank)."""
    return {v.id: v for v in load_bank(keys_dir / ASSESSMENT_DIRNAME, prefix=ASSESSMENT_PREFIX)}


@cache
def read_key_file(assignment: str, keys_dir: Path) -> dict:
    """The parsed key file of one assignment (``<keys_dir>/<assignment>.yaml``)."""
    path = keys_dir / f"{assignment}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswerKeyError(f"{path}: no answer key for assignment {assignment!r}") from None
    except yaml.YAMLError as error:
        raise AnswerKeyError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise AnswerKeyError(f"{path}: expected a mapping with 'questions' (and optionally 'written')")
    return data


@cache
def load_key(assignment: str, keys_dir: Path) -> dict:
    """One assignment's autograded questions, checked, with vignette items resolved to expert labels."""
    path = keys_dir / f"{assignment}.yaml"
    questions = read_key_file(assignment, keys_dir).get("questions")
    if not isinstance(questions, dict):
        raise AnswerKeyError(f"{path}: field 'questions' must map question names to their keys")
    bank = None
    resolved = {}
    for name, item in questions.items():
        if (
            not isinstance(item, dict)
            or not {"kind", "points"} <= set(item)
            or not {"answer", "vignette"} & set(item)
        ):
            raise AnswerKeyError(f"{path}: question {name!r} needs kind, points, and answer or vignette")
        if "vignette" in item:
            bank = bank if bank is not None else load_assessment_bank(keys_dir)
            if item["vignette"] not in bank:
                raise AnswerKeyError(
                    f"{path}: question {name!r}: no assessment vignette {item['vignette']!r}"
                )
            item = {**item, "answer": bank[item["vignette"]].label}
        resolved[name] = item
    return resolved


def score(assignment: str, question: str, answer: object) -> float:
    """Points earned by ``answer`` to ``question``: full points when right, partial where the key allows."""
    item = load_key(assignment, find_keys_dir()).get(question)
    if item is None:
        raise AnswerKeyError(f"the answer key of {assignment!r} has no question {question!r}")
    try:
        given = normalise(item["kind"], answer)
    except InvalidAnswer:
        return 0.0
    expected = normalise(item["kind"], item["answer"])
    if given == expected:
        return float(item["points"])
    if item.get("partial") == "layers":
        return float(item["points"]) * LAYER_CREDIT.get((expected, given), 0.0)
    return 0.0
